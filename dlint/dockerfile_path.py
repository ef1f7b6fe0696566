"""What a Dockerfile's path inside its project says about its image: a development, CI or test
environment, a test fixture, a base image, a builder or tool image.

The path is the one the command layer worked out (``dlint.inputs.project_path``): these functions read
no directory."""
from __future__ import annotations

import re

from ._regex import lazy_compile

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List


_ENV_DIRS = {".devcontainer", "devcontainer", ".devcontainers", ".github", ".gitlab", ".circleci", ".ci", "ci",
             "dev", "devel", "development", "test", "tests", "testing", "e2e", "integration-tests"}
ENVIRONMENT_NAME = lazy_compile(r"(?:^|[._-])(dev|devel|development|devcontainer|test|tests|testing|ci|e2e|dev-envs?)(?:$|[._-])")
# Directories of test inputs (Dockerfiles that exercise a builder or a parser) and of base images.
_FIXTURE_DIRS = {"testdata", "test-data", "test_data", "testfiles", "fixtures", "__fixtures__", "test-fixtures"}
BASE_DIR_SUFFIXES = ("-base", "_base", ".base")
# File names of images that are not an application: bases, builders, SDKs, tool and debug images.
_PURPOSE_NAME = lazy_compile(r"(?:^|[._-])(base|build|builder|buildenv|build-env|toolchain|sdk|tools|debug)(?:$|[._-])")


def path_in_project(path: str) -> str:
    """The path as given with its ``.`` and ``..`` parts dropped: what the path says when the command layer
    did not work out where the file sits in its repository (``Settings.project_path`` unset)."""
    if path in ("-", ""):
        return path
    return "/".join(p for p in re.split(r"[\\/]", path) if p not in ("..", "."))


def path_parts(path: str) -> List[str]:
    """The directories and file name of a path inside its project."""
    # `__` also separates directories in flattened file names (owner__repo__dir__Dockerfile).
    return [p for p in re.split(r"[\\/]|__", path) if p]


def file_stem(name: str) -> str:
    return re.sub(r"(?i)dockerfile|containerfile", "", name.lower())


def is_environment_path(path: str) -> bool:
    """Dockerfiles for development containers, CI jobs and tests: their images are not shipped."""
    parts = path_parts(path)
    if not parts:
        return False
    if any(p.lower() in _ENV_DIRS or p.lower() in _FIXTURE_DIRS for p in parts[:-1]):
        return True
    return bool(ENVIRONMENT_NAME.search(file_stem(parts[-1])))


def is_fixture_path(path: str) -> bool:
    """Dockerfiles kept as test inputs (``testdata/``, ``fixtures/``, ...): written to exercise a tool."""
    return any(p.lower() in _FIXTURE_DIRS for p in path_parts(path)[:-1])


def is_base_or_tool_path(path: str) -> bool:
    """Dockerfiles named for a base image, a builder, an SDK, tools or debugging (``Dockerfile.base``,
    ``base/Dockerfile``, ``python-base/Dockerfile``, ``build.Dockerfile``, ``Dockerfile.debug``)."""
    parts = path_parts(path)
    if not parts:
        return False
    if len(parts) > 1 and (parts[-2].lower() == "base" or parts[-2].lower().endswith(BASE_DIR_SUFFIXES)):
        return True
    return bool(_PURPOSE_NAME.search(file_stem(parts[-1])))


_BASE_PATH = lazy_compile(r"(?:^|[._-])(base|sdk|runtime)(?:$|[._-])")


def is_base_path(path: str) -> bool:
    """Named for a base image, an SDK or a runtime (``base/``, ``*-base/``, ``Dockerfile.sdk``)."""
    parts = path_parts(path)
    if not parts:
        return False
    if len(parts) > 1 and (parts[-2].lower() == "base" or parts[-2].lower().endswith(BASE_DIR_SUFFIXES)):
        return True
    return bool(_BASE_PATH.search(file_stem(parts[-1])))
