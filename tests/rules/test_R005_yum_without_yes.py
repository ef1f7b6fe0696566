"""R005 yum-without-yes."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM centos:7\n"


@pytest.mark.parametrize("run", [
    "RUN yum install httpd && yum clean all",
    "RUN yum groupinstall 'Development Tools'",
    "RUN yum --enablerepo=epel localinstall ./x.rpm",
    "RUN sudo yum install httpd",
    'RUN ["yum", "install", "httpd"]',
    "RUN <<EOF\nyum install httpd\nEOF",
    "ONBUILD RUN yum install httpd",
])
def test_reports_an_install_that_asks(run):
    [d] = findings(BASE + run + "\n", "R005")
    assert "`yum " in d.message and "without `-y`" in d.message


@pytest.mark.parametrize("run", [
    "RUN yum install -y httpd",
    "RUN yum -y install httpd",
    "RUN yum install --assumeyes httpd",
    "RUN yum -qy install httpd",
    "RUN yum install --assumeno httpd",
    "RUN yum --setopt=assumeyes=1 install httpd",
    "RUN yum update -y && yum clean all",
    "RUN yum makecache",
    "RUN dnf install httpd",  # R008's
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R005") == []


def test_assumeyes_in_yum_conf_counts_after_it():
    conf = "RUN echo assumeyes=1 >> /etc/yum.conf\n"
    assert findings(BASE + conf + "RUN yum install httpd\n", "R005") == []


def test_powershell_is_not_read():
    assert findings(BASE + 'SHELL ["pwsh", "-c"]\nRUN yum install httpd\n', "R005") == []


@pytest.mark.parametrize("before,after", [
    ("RUN yum install httpd && yum clean all\n", "RUN yum install -y httpd && yum clean all\n"),
    ("RUN yum --enablerepo=epel groupinstall x\n", "RUN yum --enablerepo=epel groupinstall -y x\n"),
    ('RUN ["yum", "install", "httpd"]\n', 'RUN ["yum", "install", "-y", "httpd"]\n'),
])
def test_fix(before, after):
    assert fixed(BASE + before, "R005") == BASE + after
    assert findings(BASE + after, "R005") == []


def test_no_fix_when_a_pipe_answers():
    [d] = findings(BASE + "RUN echo y | yum install httpd\n", "R005")
    assert d.fix is None


@pytest.mark.parametrize("run", [
    "RUN yum install httpd || ok1\n",
    "RUN ok1 && yum install httpd; bad1 || ok2\n",
    "RUN if ok1; then yum install httpd; fi\n",
    "RUN set -e; yum install httpd; ok2\n",
])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    assert assert_only_change(box, text, fixed(text, "R005"), adds_after("install", "-y")) >= 2


@pytest.mark.parametrize("run,reported", [
    ("RUN yum --disableplugin fastestmirror install httpd", True),  # an option's value it does not list
    ("RUN yum -q list install", False),  # `list`: another subcommand
    ("RUN yum --setopt=x=1 list install", False),
])
def test_subcommand_after_an_unknown_option_with_a_value(run, reported):
    assert bool(findings(BASE + run + "\n", "R005")) is reported
