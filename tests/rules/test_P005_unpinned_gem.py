"""P005 unpinned-gem: gem:version, -v, local gem files, options that take a value."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P005")]


def test_p005_reports_gem_install_and_gem_i():
    text = "FROM ruby:3.3\nRUN gem install --no-document bundler rake:13.2.1\nRUN gem i rails\n"
    ds = findings(text, "P005")
    assert [d.line for d in ds] == [2, 3]
    assert "`bundler`" in ds[0].message and "rake" not in ds[0].message


@pytest.mark.parametrize("args", [
    "bundler:2.5.22", "bundler -v 2.5.22", "-v 2.5.22 bundler", "bundler --version 2.5.22", "bundler --version=2.5",
    "/tmp/app-1.0.gem", "./vendor/app.gem", "--install-dir /opt/gems rake:13.2.1", "$GEMS",
])
def test_p005_pinned_is_not_reported(args):
    assert lines(f"FROM ruby:3.3\nARG GEMS\nRUN gem install {args}\n") == []


def test_p005_other_gem_commands():
    assert lines("FROM ruby:3.3\nRUN gem update --system && gem list && gem uninstall rake\n") == []


def test_p005_heredoc_onbuild_and_no_fix():
    assert BY_CODE["P005"].default_enabled is False and BY_CODE["P005"].hadolint == ("DL3028",)
    text = "FROM ruby:3.3\nRUN <<EOF\ngem install bundler\nEOF\nONBUILD RUN gem install rake\n"
    assert lines(text) == [2, 5]
    assert fixed(text, "P005", unsafe=True) == text
