"""The pre-commit hooks, run by the real pre-commit against a throwaway git repository.

pre-commit builds the hook's environment with pip from this repository, so the first run needs PyPI for
dlint's dependencies.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from dlint.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, ".pre-commit-hooks.yaml")

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install -e '.[test]')"),
]

GIT_ENV = {
    "GIT_AUTHOR_NAME": "dlint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "dlint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# What the user's repository holds: Dockerfiles under the names the hooks must pick up, each with a
# finding, and files the hooks must leave alone.
USER_FILES = {
    "Dockerfile": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
    "services/api.Dockerfile": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends git\n",
    "Containerfile": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends jq\n",
    "README.md": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
    "docker/build.sh": "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
}
HOOKED = ["Containerfile", "Dockerfile", "services/api.Dockerfile"]


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, **GIT_ENV))


def pre_commit(*args, cwd, home):
    env = dict(os.environ, **GIT_ENV, PRE_COMMIT_HOME=str(home), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PRE_COMMIT", None)
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=900)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This repository as it is on disk, committed to a fresh git repository.

    ``pre-commit try-repo`` on a checkout with uncommitted changes commits only the changes to tracked
    files, so a new file not yet added would be missing from the hook; a snapshot of every file that is
    not ignored tests exactly what is on disk.
    """
    dest = tmp_path_factory.mktemp("hook-repo")
    listing = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                             capture_output=True, text=True)
    if listing.returncode == 0:
        for rel in filter(None, listing.stdout.split("\0")):
            src = os.path.join(ROOT, rel)
            if os.path.isfile(src):
                os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
                shutil.copy2(src, os.path.join(dest, rel))
    else:  # not a git checkout (an unpacked source archive)
        shutil.copytree(ROOT, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".git", ".ci-venv", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
            ".hypothesis", "bench"))
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


@pytest.fixture
def user_repo(tmp_path):
    repo = tmp_path / "user"
    for rel, text in USER_FILES.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "initial", cwd=repo)
    return repo


def test_manifest_is_valid(tmp_path):
    r = pre_commit("validate-manifest", MANIFEST, cwd=ROOT, home=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_hooks_match_dockerfile_names():
    yaml = pytest.importorskip("yaml")
    with open(MANIFEST, encoding="utf-8") as fh:
        hooks = {h["id"]: h for h in yaml.safe_load(fh)}
    assert set(hooks) == {"dlint", "dlint-fix"}
    assert hooks["dlint"]["entry"] == "dlint check" and hooks["dlint-fix"]["entry"] == "dlint fix"
    names = {
        "Dockerfile": True, "app/Dockerfile": True, "Dockerfile.prod": True, "web/Dockerfile.dev": True,
        "Dockerfile-builder": True, "api.Dockerfile": True, "deploy/worker.dockerfile": True,
        "Containerfile": True, "Containerfile.arm64": True, "x/Containerfile-test": True,
        "README.md": False, "Dockerfiles/notes.txt": False, "docker-compose.yml": False, "mydockerfile": False,
        "build.sh": False, "docs/Dockerfile.md/x.txt": False, "NotADockerfile": False,
        "docs/Dockerfile.md": False, "Dockerfile.j2": False, "Dockerfile.template": False,
        "Containerfile.sh": False, "scripts/Dockerfile-lint.py": False,
    }
    for hook in hooks.values():
        assert hook["language"] == "python"
        files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
        for name, expected in names.items():
            assert bool(files.search(name) and not exclude.search(name)) == expected, (hook["id"], name)


def test_check_hook_fails_on_findings(hook_repo, user_repo, tmp_path):
    r = pre_commit("try-repo", str(hook_repo), "dlint", "--all-files", cwd=user_repo, home=tmp_path / "home")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert re.search(r"^dlint\.+Failed$", r.stdout, re.M), out
    assert "- hook id: dlint" in out
    for rel in HOOKED:
        assert f"{rel}:2:1: L001 " in out, rel
    assert "README.md" not in out and "build.sh" not in out
    for rel, text in USER_FILES.items():  # checking changes nothing
        assert (user_repo / rel).read_text() == text


def test_fix_hook_rewrites_the_files(hook_repo, user_repo, tmp_path, monkeypatch):
    r = pre_commit("try-repo", str(hook_repo), "dlint-fix", "--all-files", cwd=user_repo, home=tmp_path / "home")
    out = r.stdout + r.stderr
    assert r.returncode == 1, out  # pre-commit fails a hook that modified files
    assert re.search(r"^dlint fix\.+Failed$", r.stdout, re.M), out
    assert "- files were modified by this hook" in out
    # Each file is what `dlint fix` makes of it here, and the other files are untouched.
    expected_dir = tmp_path / "expected"
    for rel in HOOKED:
        (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (expected_dir / rel).write_text(USER_FILES[rel])
    monkeypatch.chdir(expected_dir)
    CliRunner().invoke(main, ["fix", "--quiet", *HOOKED])
    for rel in HOOKED:
        got = (user_repo / rel).read_text()
        assert got == (expected_dir / rel).read_text(), rel
        assert got != USER_FILES[rel] and "RUN apt-get update && " in got, rel
    for rel in ("README.md", "docker/build.sh"):
        assert (user_repo / rel).read_text() == USER_FILES[rel]
    changed = git("status", "--porcelain", cwd=user_repo).stdout.split()
    assert sorted(p for p in changed if p != "M") == HOOKED
