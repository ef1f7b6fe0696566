"""P007 unpinned-zypper-package."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P007")]


def test_p007_reports_install_and_in():
    text = ("FROM opensuse/leap:15.6\n"
            "RUN zypper --non-interactive install curl 'git>=2.43'\n"
            "RUN zypper -n in --no-recommends vim\n")
    ds = findings(text, "P007")
    assert [d.line for d in ds] == [2, 3]
    assert "`curl`" in ds[0].message and "git" not in ds[0].message


@pytest.mark.parametrize("args", ["curl=8.6.0", "'curl>=8'", "'curl<9'", "/tmp/pkg.rpm", "--repo oss curl=8.6.0",
                                  "-t pattern=x", "$PKGS"])
def test_p007_pinned_is_not_reported(args):
    assert lines(f"FROM opensuse/leap:15.6\nARG PKGS\nRUN zypper -n install {args}\n") == []


def test_p007_other_commands_heredoc_onbuild_no_fix():
    assert BY_CODE["P007"].default_enabled is False and BY_CODE["P007"].hadolint == ("DL3037",)
    text = ("FROM opensuse/leap:15.6\nRUN zypper refresh && zypper remove -y vim\n"
            "RUN <<EOF\nzypper -n install tar\nEOF\nONBUILD RUN zypper -n in gzip\n")
    assert lines(text) == [3, 6]
    assert fixed(text, "P007", unsafe=True) == text
