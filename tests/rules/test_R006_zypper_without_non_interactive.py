"""R006 zypper-without-non-interactive."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM opensuse/leap:15.6\n"


@pytest.mark.parametrize("run", [
    "RUN zypper install httpd && zypper clean",
    "RUN zypper in httpd",
    "RUN zypper rm httpd",
    "RUN zypper --root /x source-install httpd",
    "RUN zypper patch",
    "RUN sudo zypper in httpd",
    "RUN <<EOF\nzypper in httpd\nEOF",
    "ONBUILD RUN zypper in httpd",
    'RUN ["zypper", "in", "httpd"]',
])
def test_reports(run):
    [d] = findings(BASE + run + "\n", "R006")
    assert "--non-interactive" in d.message


@pytest.mark.parametrize("run", [
    "RUN zypper install -n httpd",
    "RUN zypper -n install httpd",
    "RUN zypper --non-interactive install httpd",
    "RUN zypper install -y httpd",
    "RUN zypper install --no-confirm httpd",
    "RUN zypper refresh",
    "RUN zypper clean --all",
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R006") == []


@pytest.mark.parametrize("before,after", [
    ("RUN zypper in httpd\n", "RUN zypper --non-interactive in httpd\n"),
    ("RUN zypper --root /x install httpd\n", "RUN zypper --non-interactive --root /x install httpd\n"),
    ('RUN ["zypper", "in", "httpd"]\n', 'RUN ["zypper", "--non-interactive", "in", "httpd"]\n'),
])
def test_fix(before, after):
    assert fixed(BASE + before, "R006") == BASE + after
    assert findings(BASE + after, "R006") == []


@pytest.mark.parametrize("run", [
    "RUN zypper in httpd || ok1\n",
    "RUN ok1 && zypper in httpd; bad1 || ok2\n",
])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    assert assert_only_change(box, text, fixed(text, "R006"), adds_after("zypper", "--non-interactive")) >= 2
