"""P003 unpinned-npm-package: versions, tags, scopes, git URLs, tarballs and folders."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P003")]


def test_p003_reports_install_i_and_add():
    text = ("FROM node:22\n"
            "RUN npm install -g typescript @angular/cli@18.2.0\n"
            "RUN npm i --loglevel warn @scope/tool\n"
            "RUN npm add left-pad\n")
    ds = findings(text, "P003")
    assert [d.line for d in ds] == [2, 3, 4]
    assert "`typescript`" in ds[0].message and "angular" not in ds[0].message
    assert "`@scope/tool`" in ds[1].message and "warn" not in ds[1].message


@pytest.mark.parametrize("args", [
    "", "--production", "typescript@5.6.3", "@scope/pkg@^2", "pkg@next", "git+https://github.com/o/r.git#v1.0",
    "git://github.com/o/r.git#semver:^1", "./pkg-1.0.tgz", "https://example.com/p.tar.gz", "./local", "/src/app",
    "file:../lib", "--registry https://npm.example typescript@5",
])
def test_p003_pinned_or_nothing_named_is_not_reported(args):
    assert lines(f"FROM node:22\nRUN npm install {args}\n") == []


def test_p003_npm_ci_and_unversioned_git_url():
    assert lines("FROM node:22\nRUN npm ci\nRUN npm install git+https://github.com/o/r.git\n") == [3]


def test_p003_heredoc_and_onbuild():
    text = "FROM node:22\nRUN <<EOF\nnpm install -g pnpm\nEOF\nONBUILD RUN npm install -g yarn\n"
    assert lines(text) == [2, 5]


def test_p003_off_by_default_no_fix():
    assert BY_CODE["P003"].default_enabled is False and BY_CODE["P003"].hadolint == ("DL3016",)
    text = "FROM node:22\nRUN npm install -g yarn\n"
    assert fixed(text, "P003", unsafe=True) == text
