"""P008 unpinned-dnf-package: dnf, microdnf, dnf5, tdnf."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P008")]


def test_p008_reports_each_dnf_tool_but_not_yum():
    text = ("FROM fedora:40\n"
            "RUN dnf install -y httpd\n"
            "RUN microdnf install -y tar gzip-1.13\n"
            "RUN dnf5 install -y jq\n"
            "RUN tdnf install -y ca-certificates\n"
            "RUN yum install -y wget\n")
    ds = findings(text, "P008")
    assert [d.line for d in ds] == [2, 3, 4, 5]
    assert "`tar`" in ds[1].message and "gzip" not in ds[1].message


@pytest.mark.parametrize("args", [
    "httpd-2.4.62", "MariaDB-server-${MARIADB_VERSION}", "https://example.com/x-1.0.rpm", "@core",
    "--setopt=install_weak_deps=0 jq-1.7.1", "$PACKAGES",
])
def test_p008_pinned_is_not_reported(args):
    assert lines(f"FROM fedora:40\nARG PACKAGES\nRUN dnf install -y {args}\n") == []


def test_p008_modules_and_groups():
    text = ("FROM fedora:40\n"
            "RUN dnf module install -y nodejs:20\n"
            "RUN dnf module install -y nodejs\n"
            "RUN dnf group install -y 'Development Tools'\n")
    assert lines(text) == [3]


def test_p008_heredoc_onbuild_no_fix():
    assert BY_CODE["P008"].default_enabled is False and BY_CODE["P008"].hadolint == ("DL3041",)
    text = "FROM fedora:40\nRUN <<EOF\ndnf install -y git\nEOF\nONBUILD RUN microdnf install -y vim\n"
    assert lines(text) == [2, 5]
    assert fixed(text, "P008", unsafe=True) == text
