"""R008 dnf-without-yes."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM fedora:40\n"


@pytest.mark.parametrize("run", [
    "RUN dnf install httpd && dnf clean all",
    "RUN dnf5 install httpd",
    "RUN microdnf install httpd",
    "RUN dnf --setopt=install_weak_deps=False install httpd",
    "RUN sudo dnf groupinstall x",
    "RUN <<EOF\ndnf install httpd\nEOF",
    "ONBUILD RUN dnf install httpd",
])
def test_reports_an_install_that_asks(run):
    [d] = findings(BASE + run + "\n", "R008")
    assert "without `-y`" in d.message


@pytest.mark.parametrize("run", [
    "RUN dnf install -y httpd",
    "RUN dnf -y install httpd",
    "RUN microdnf install -y httpd",
    "RUN dnf install --assumeyes httpd",
    "RUN dnf --setopt=assumeyes=True install httpd",
    "RUN dnf upgrade -y",
    "RUN notdnf install httpd",
    "RUN yum install httpd",  # R005's
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R008") == []


def test_fix_and_microdnf_without_fix():
    text = BASE + "RUN dnf install httpd && microdnf install x\n"
    assert fixed(text, "R008") == BASE + "RUN dnf install -y httpd && microdnf install x\n"
    micro = [d for d in findings(text, "R008") if "microdnf" in d.message]
    assert micro[0].fix is None and "older microdnf" in micro[0].rendered_message


@pytest.mark.parametrize("run", [
    "RUN dnf install httpd || ok1\n",
    "RUN ok1 && dnf --setopt=a=b install httpd; bad1 || ok2\n",
])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    assert assert_only_change(box, text, fixed(text, "R008"), adds_after("install", "-y")) >= 2
