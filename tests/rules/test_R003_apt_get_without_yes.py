"""R003 apt-get-without-yes: apt-get install that would stop at a question; the -y fix."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run", [
    "RUN apt-get install curl",
    "RUN apt-get update && apt-get install --no-install-recommends curl",
    "RUN sudo apt-get -q install curl",  # one -q is not quiet enough to imply -y
    "RUN /usr/bin/apt-get install curl",
    'RUN ["apt-get", "install", "curl"]',
    "RUN <<EOF\nset -e\napt-get install curl\nEOF",
    "ONBUILD RUN apt-get install curl",
    "RUN sh -c 'apt-get install curl'",
])
def test_reports_an_install_that_may_ask(run):
    [d] = findings(BASE + run + "\n", "R003")
    assert "without `-y`" in d.message


@pytest.mark.parametrize("run", [
    "RUN apt-get install -y curl",
    "RUN apt-get -y install curl",
    "RUN apt-get install --yes curl",
    "RUN apt-get install --assume-yes curl",
    "RUN apt-get -qy install curl",
    "RUN apt-get -qq install curl",
    "RUN apt-get -q -q install curl",
    "RUN apt-get install -q=2 curl",
    "RUN apt-get install -o APT::Get::Assume-Yes=true curl",
    "RUN apt-get install --assume-no curl",  # says no on purpose
    "RUN apt-get update",
    "RUN apt-get -o Dpkg::Options::=--force-confdef install -y curl",
    "RUN echo apt-get install curl",
    "RUN command -v apt-get",
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R003") == []


def test_an_earlier_assume_yes_configuration_counts_for_later_installs():
    conf = "RUN echo 'APT::Get::Assume-Yes \"true\";' > /etc/apt/apt.conf.d/90yes\n"
    assert findings(BASE + conf + "RUN apt-get install curl\n", "R003") == []
    assert len(findings(BASE + "RUN apt-get install curl\n" + conf, "R003")) == 1


def test_windows_shells_are_not_read():
    text = 'FROM debian:12\nSHELL ["powershell", "-Command"]\nRUN apt-get install curl\n'
    assert findings(text, "R003") == []


def test_escape_directive_and_continuations():
    text = "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install `\n    curl\n"
    [d] = findings(text, "R003")
    assert d.line == 3 and "(line 4, column 5)" in d.message  # on the RUN, naming where the install is
    assert fixed(text, "R003") == "# escape=`\nFROM debian:12\nRUN apt-get update && `\n    apt-get install -y `\n    curl\n"


@pytest.mark.parametrize("before,after", [
    ("RUN apt-get install curl\n", "RUN apt-get install -y curl\n"),
    ("RUN apt-get -q install \\\n    curl\n", "RUN apt-get -q install -y \\\n    curl\n"),
    ('RUN ["apt-get", "install", "curl"]\n', 'RUN ["apt-get", "install", "-y", "curl"]\n'),
    ("ONBUILD RUN sudo apt-get install curl\n", "ONBUILD RUN sudo apt-get install -y curl\n"),
    ("RUN <<EOF\napt-get install curl\nEOF\n", "RUN <<EOF\napt-get install -y curl\nEOF\n"),
])
def test_fix_inserts_y_after_install(before, after):
    assert fixed(BASE + before, "R003") == BASE + after
    assert findings(BASE + after, "R003") == []
    assert fixed(BASE + after, "R003") == BASE + after


def test_no_fix_when_the_input_may_answer():
    [d] = findings(BASE + "RUN yes | apt-get install curl\n", "R003")
    assert d.fix is None and "pipe or redirect" in d.rendered_message
    [d] = findings(BASE + "RUN apt-get install curl < answers.txt\n", "R003")
    assert d.fix is None


HOSTILE = [
    "RUN apt-get install curl || ok1\n",
    "RUN ok1 && apt-get install curl; ok2\n",
    "RUN if ok1; then apt-get install curl; fi; bad1 || ok2\n",
    "RUN (cd /work/d1 && apt-get install curl) && ok1\n",
    "RUN set -e; ok1; apt-get install curl; ok2\n",
    "RUN apt-get install curl & ok1; wait\n",
    "RUN sudo apt-get install curl # trailing comment\n",
    "RUN apt-get update && apt-get install \\\n    curl && ok1\n",
    "RUN <<EOF\nok1\napt-get install curl\nok2\nEOF\n",
]


@pytest.mark.parametrize("run", HOSTILE)
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    assert assert_only_change(box, text, fixed(text, "R003"), adds_after("install", "-y")) >= 2


@pytest.mark.parametrize("run,sub", [("RUN apt-get upgrade", "upgrade"), ("RUN apt-get remove --purge x", "remove"),
                                     ("RUN apt-get dist-upgrade", "dist-upgrade"), ("RUN apt-get autoremove", "autoremove")])
def test_other_subcommands_that_ask(run, sub):
    [d] = findings(BASE + run + "\n", "R003")
    assert f"`apt-get {sub}`" in d.message
    assert fixed(BASE + run + "\n", "R003") == BASE + run.replace(sub, sub + " -y", 1) + "\n"


@pytest.mark.parametrize("run", ["RUN apt-get install -s curl", "RUN apt-get --dry-run install curl",
                                 "RUN apt-get -qs install curl", "RUN apt-get source curl", "RUN apt-get clean"])
def test_simulations_and_subcommands_that_ask_nothing(run):
    assert findings(BASE + run + "\n", "R003") == []


def test_hadolint_pragma_and_code_select_it():
    from dlint.rules import expand

    assert findings(BASE + "# hadolint ignore=DL3014\nRUN apt-get install curl\n", "R003") == []
    assert expand(["DL3014"]) == ["R003"]  # --select DL3014
