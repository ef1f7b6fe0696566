"""P006 unpinned-yum-package: name-version, rpm files, modules and groups."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P006")]


def test_p006_reports_yum_install_naming_the_packages():
    text = "FROM rockylinux:9\nRUN yum install -y --setopt=tsflags=nodocs httpd mod_ssl-2.4.57-5.el9 && yum clean all\n"
    [d] = findings(text, "P006")
    assert d.line == 2 and "`httpd`" in d.message and "mod_ssl" not in d.message and d.severity == "warning"


@pytest.mark.parametrize("args", [
    "httpd-2.4.57", "nodejs-18.19.0-1.el9", "java-11-openjdk", "https://example.com/epel-release-9.noarch.rpm",
    "/tmp/pkg.rpm", "nodejs-${NODE_VERSION}", "--enablerepo epel jq-1.6", "@development", "$PACKAGES",
])
def test_p006_pinned_is_not_reported(args):
    assert lines(f"FROM rockylinux:9\nARG PACKAGES\nRUN yum install -y {args}\n") == []


def test_p006_modules_need_a_stream_groups_are_not_packages():
    text = ("FROM rockylinux:8\n"
            "RUN yum module install -y nodejs:18\n"
            "RUN yum module install -y nodejs\n"
            "RUN yum group install -y 'Development Tools'\n"
            "RUN yum groupinstall -y 'Development Tools'\n"
            "RUN yum module enable -y nodejs:18\n")
    assert lines(text) == [3]


def test_p006_reads_a_list_set_in_the_same_run_and_not_dnf():
    text = ("FROM rockylinux:9\n"
            "RUN INSTALL_PKGS=\"python3 python3-devel nss_wrapper-libs\" && \\\n"
            "    yum -y --setopt=tsflags=nodocs install $INSTALL_PKGS && rpm -V $INSTALL_PKGS\n"
            "RUN dnf install -y curl\n")
    [d] = findings(text, "P006")
    assert d.line == 2 and "`python3`" in d.message


def test_p006_heredoc_onbuild_no_fix():
    assert BY_CODE["P006"].default_enabled is False and BY_CODE["P006"].hadolint == ("DL3033",)
    text = "FROM centos:7\nRUN <<EOF\nyum install -y wget\nEOF\nONBUILD RUN yum install -y git\n"
    assert lines(text) == [2, 5]
    assert fixed(text, "P006", unsafe=True) == text
