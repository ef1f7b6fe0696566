"""What the image a Dockerfile builds is *for*, read from the file alone.

One answer, shared by the rules whose findings only make sense for some images:

- ``application``: it starts a program of its own (B001, B003 and L005 report here);
- ``base``: a runtime or SDK meant to be extended (ONBUILD, a shell or REPL as its command, no command,
  ``base/`` or ``*-base`` in its path): L005 reports, B001 and B003 do not;
- ``environment``: a CI, build, development or test image (its path or stage name says so, its command
  builds, tests or compiles at start-up, ``DAPPER_*`` or a ``*_ENV=development`` variable, a command that
  installs packages when it runs): the toolchain and apt's recommends are often the point; nothing reported;
- ``machine``: an image to log into or keep alive (ssh, init, desktop, ``sleep``): nothing reported;
- ``windows``: built for Windows; nothing reported by these rules.
"""
from __future__ import annotations

import re

from . import images
from ._regex import lazy_compile

APPLICATION = "application"
BASE = "base"
ENVIRONMENT = "environment"
MACHINE = "machine"
WINDOWS = "windows"
NONE = "none"

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only
    from typing import List, Optional

# Variables that say the image runs in development or test mode.
_MODE_VARIABLE = lazy_compile(r"(?:RAILS|RACK|NODE|APP|FLASK|MIX|DJANGO|SYMFONY|ASPNETCORE|DOTNET|GO|APPLICATION)_?ENV(?:IRONMENT)?\Z")
_DEV_MODES = {"development", "dev", "test", "testing", "ci"}
# Commands that compile the program when the container starts: a development image.
_COMPILE_AT_START = {"go": ("run", "test", "build", "generate", "vet"), "cargo": ("run", "test", "build", "watch"),
                     "dotnet": ("run", "test", "build", "watch"), "swift": ("build", "run", "test"),
                     "godep": ("go",), "mvn": None, "mvnw": None, "gradle": None, "gradlew": None,
                     "stack": ("build", "run", "test", "exec"), "cabal": ("build", "run", "test"),
                     "npm": ("test", "run-script"), "yarn": ("test", "build", "dev", "watch"),
                     "sbt": None, "lein": None, "mix": ("test", "compile"), "rake": ("test", "spec", "build", "compile")}
_NPM_RUN_DEV = {"build", "test", "dev", "watch", "develop", "lint"}
# Commands that install or compile packages as they run: the image is a tool that builds (its plugins,
# its users' packages), and the toolchain is what it runs.
_INSTALLING_COMMANDS = {"pip": ("install",), "pip3": ("install",), "npm": ("install", "i", "ci"),
                        "gem": ("install",), "bundle": ("install",), "cpanm": None, "luarocks": ("install", "make"),
                        "composer": ("install", "require"), "r": ("cmd",), "rscript": None, "pecl": ("install",),
                        "phpize": None, "docker-php-ext-install": None, "node-gyp": None, "conan": None, "vcpkg": None}
# CI images: a dapper-style entry script, or a `ci` command.
_CI_COMMANDS = {"ci", "entry", "dapper"}


def _argv(ins) -> List[str]:
    if ins.json is not None:
        return list(ins.json)
    return ins.command.split()


def _env_pairs(ctx, production):
    """(name, value) of ENV and ARG defaults along the production stage's chain (values as written)."""
    graph = ctx.graph
    for idx in graph.chain(production):
        for ins in graph.stages[idx].instructions:
            if ins.name not in ("ENV", "ARG"):
                continue
            for name, value in _pairs(ins.args):
                yield name, value


def _pairs(args: str):
    words = args.split()
    if len(words) >= 2 and "=" not in words[0]:
        yield words[0], " ".join(words[1:]).strip("\"'")  # legacy `ENV NAME value`
        return
    for w in words:
        if "=" in w:
            name, _, value = w.partition("=")
            yield name, value.strip("\"'")
        else:
            yield w, ""


def _commands(ctx, production):
    """Word lists of each command the ENTRYPOINT and CMD run (shell form parsed; `sh -c` followed)."""
    entry, cmd = images.runtime_argv(ctx, production)
    out = []
    for ins in (entry, cmd):
        if ins is None:
            continue
        script = ctx.script(ins)
        if script is not None:
            for c in script.commands:
                words = [w.value or "" for w in c.words]
                out.append(words)
        argv = images.unwrapped_argv(_argv(ins))
        if len(argv) > 2 and images.SHELL_NAMES.match(images.program_name(argv[0])) and argv[1] in ("-c", "-lc", "-ec", "-xc"):
            for part in re.split(r"&&|\|\||;|\|", argv[2]):
                if part.split():
                    out.append(part.split())
    return out


def _strip_wrappers(words: List[str]) -> List[str]:
    while words and images.program_name(words[0]) in ("exec", "env", "nohup", "sudo", "time", "nice") + images.INIT_WRAPPERS:
        words = words[1:]
        while words and (words[0].startswith("-") or "=" in words[0]):
            words = words[1:]
    return words


def _first_argument(words: List[str]) -> str:
    return next((w.lower() for w in words[1:] if w and not w.startswith("-")), "")


def command_builds(ctx, production) -> Optional[str]:
    """The command the image starts with when it compiles, tests or installs packages as it runs (``go run``,
    ``cargo build``, ``dotnet run``, ``mvn spring-boot:run``, ``swift build``, ``make``, ``npm run test``,
    ``pip install``), or a CI entry script; None otherwise."""
    for words in _commands(ctx, production):
        words = _strip_wrappers(words)
        if not words or not words[0]:
            continue
        name = images.program_name(words[0])
        sub = _first_argument(words)
        if name in _COMPILE_AT_START:
            subs = _COMPILE_AT_START[name]
            if subs is None or sub in subs:
                return " ".join(words[:2])
            if name in ("npm", "yarn", "pnpm") and sub == "run" and len(words) > 2 and words[2] in _NPM_RUN_DEV:
                return " ".join(words[:3])
        if name in _INSTALLING_COMMANDS:
            subs = _INSTALLING_COMMANDS[name]
            if subs is None or sub in subs:
                return " ".join(words[:2])
        if name in _CI_COMMANDS:
            return words[0]
        if images.BUILDERS.match(name):
            return words[0]
    return None


def environment_signal(ctx, production) -> Optional[str]:
    """Why the image is a CI, build, development or test environment, or None."""
    if images.is_environment_path(ctx.path):
        return "its path names a development, CI or test environment"
    if images.is_environment_stage(ctx, production):
        return "its stage name names a development, test or debug environment"
    for name, value in _env_pairs(ctx, production):
        if name.startswith("DAPPER_"):
            return f"`{name}`: a dapper CI build image"
        if _MODE_VARIABLE.match(name) and value.lower() in _DEV_MODES:
            return f"`{name}={value}`"
    built = command_builds(ctx, production)
    if built is not None:
        return f"it runs `{built}`"
    entry, cmd = images.runtime_argv(ctx, production)
    for ins in (entry, cmd):
        if ins is not None and any(w in ("--watch", "--reload", "runserver") for w in _argv(ins)):
            return "it starts a development server"
    return None


_BASE_PATH = lazy_compile(r"(?:^|[._-])(base|sdk|runtime)(?:$|[._-])")


def _base_path(path: str) -> bool:
    parts = images.path_parts(path)
    if not parts:
        return False
    if len(parts) > 1 and (parts[-2].lower() == "base" or parts[-2].lower().endswith(images.BASE_DIR_SUFFIXES)):
        return True
    return bool(_BASE_PATH.search(images.file_stem(parts[-1])))


def _keeps_alive(ctx, production) -> bool:
    for words in _commands(ctx, production):
        words = _strip_wrappers(words)
        if words and words[0] and images.SYSTEM_COMMANDS.match(images.program_name(words[0])):
            return True
    return False


def image_purpose(ctx) -> str:
    """One of APPLICATION, BASE, ENVIRONMENT, MACHINE, WINDOWS, NONE (no stage ships)."""
    memo = ctx.memo("purpose")
    if "kind" not in memo:
        memo["kind"] = _purpose(ctx)
    return memo["kind"]


def _purpose(ctx) -> str:
    production = ctx.graph.production
    if production is None:
        return NONE
    if images.is_windows_stage(ctx, production):
        return WINDOWS
    if environment_signal(ctx, production) is not None:
        return ENVIRONMENT
    if images.is_base_or_tool_path(ctx.path):
        return BASE if _base_path(ctx.path) else ENVIRONMENT
    if images.is_login_machine(ctx, production) or _keeps_alive(ctx, production):
        return MACHINE
    if images.is_application_image(ctx, production):
        return APPLICATION
    return BASE


def ships_an_application(ctx) -> bool:
    return image_purpose(ctx) == APPLICATION
