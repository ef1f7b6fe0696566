"""P001 unpinned-apt-package: what counts as pinned, where it reports, what it does not read."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P001")]


def test_p001_reports_the_run_once_at_its_first_line_naming_the_packages():
    text = ("FROM debian:12\n"
            "RUN apt-get update \\\n"
            "    && apt-get install -y --no-install-recommends curl git=1:2.39.5-0+deb12u1 \\\n"
            "    && apt-get install -y wget\n")
    [d] = findings(text, "P001")
    assert (d.line, d.column, d.severity) == (2, 1, "warning")
    assert "`curl`" in d.message and "`wget`" in d.message and "git" not in d.message


@pytest.mark.parametrize("packages", [
    "curl=7.88.1-10+deb12u14", "curl=7.88.*", "curl/bookworm-backports", "./local.deb", "/tmp/x/pkg.deb",
    "-t bookworm-backports curl=7.88.1", "-o Dpkg::Options::=--force-confnew curl=7.88.1",
])
def test_p001_pinned_words_and_option_values_are_not_reported(packages):
    assert lines(f"FROM debian:12\nRUN apt-get install -y {packages}\n") == []


@pytest.mark.parametrize("run", [
    "apt-get update", "apt-get remove -y curl", "echo apt-get install curl", "apt-get install -y $PKGS",
    "apt-get install -y \"$@\"", "apt-get install -y $(cat /tmp/packages)", "apt-get install -y $1",
])
def test_p001_leaves_alone_what_installs_nothing_or_cannot_be_seen(run):
    assert lines(f"FROM debian:12\nARG PKGS\nRUN {run}\n") == []


def test_p001_reads_apt_and_aptitude_and_wrappers():
    text = "FROM debian:12\nRUN apt install -y curl\nRUN sudo aptitude install -y git\nRUN env DEBIAN_FRONTEND=noninteractive apt-get install -y vim\n"
    assert lines(text) == [2, 3, 4]


def test_p001_reads_variables_whose_value_is_in_the_file():
    text = ("FROM debian:12\n"
            "ENV BUILD_DEPS=\"gcc make=4.3-4.1\"\n"
            "ARG RUNTIME=\"libssl3=3.0.15-1~deb12u1\"\n"
            "RUN apt-get install -y $BUILD_DEPS\n"
            "RUN apt-get install -y ${RUNTIME}\n"
            "RUN PKGS='curl=7.88.1' && apt-get install -y $PKGS\n"
            "RUN PKGS='curl' && apt-get install -y $PKGS\n")
    ds = findings(text, "P001")
    assert [d.line for d in ds] == [4, 7]
    assert "`gcc`" in ds[0].message and "make" not in ds[0].message


def test_p001_heredoc_exec_form_onbuild_and_escape():
    text = ("# escape=`\n"
            "FROM debian:12\n"
            "RUN <<EOF\n"
            "apt-get update\n"
            "apt-get install -y curl\n"
            "EOF\n"
            "RUN [\"apt-get\", \"install\", \"-y\", \"git\"]\n"
            "ONBUILD RUN apt-get install -y vim\n"
            "RUN apt-get install -y `\n"
            "    wget\n")
    assert lines(text) == [3, 7, 8, 9]


def test_p001_not_under_a_powershell_shell():
    text = ('FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
            'SHELL ["powershell", "-Command"]\n'
            'RUN apt-get install -y curl\n')
    assert lines(text) == []


def test_p001_hadolint_ignore_comment_silences_it():
    text = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\nRUN apt-get install -y git\n"
    assert lines(text) == [4]


def test_p001_is_off_by_default_and_has_no_fix():
    assert BY_CODE["P001"].default_enabled is False and BY_CODE["P001"].hadolint == ("DL3008",)
    text = "FROM debian:12\nRUN apt-get install -y curl\n"
    assert fixed(text, "P001", unsafe=True) == text


def test_p001_tasks_and_template_placeholders_are_not_packages_to_pin():
    text = ("FROM ubuntu:24.04\n"
            "RUN apt-get install -y lamp-server^ %%EXTRA_PACKAGE%% '{{ .Package }}'\n"
            "RUN apt-get install -y libstdc++6:i386\n")
    assert lines(text) == [3]
