"""SC: ShellCheck on RUN bodies, each finding under its own code at its place in the Dockerfile."""
import json
import subprocess
import uuid

import pytest
from click.testing import CliRunner

from dlint import run_shellcheck
from dlint.checking import check_source
from dlint.cli import main
from dlint.settings import Settings
from dlint.testing import findings

pytestmark = pytest.mark.skipif(run_shellcheck.binary() is None,
                                reason="the shellcheck program (pip install 'dlint[shellcheck]') is not installed")


def sc(text, path="Dockerfile"):
    """(code, line, column, end line, end column) of the SC findings, in file order."""
    return [(d.code, d.line, d.column, d.end_line, d.end_column) for d in findings(text, "SC", path)]


def codes(text):
    return sorted({d.code for d in findings(text, "SC")})


def unique():
    """A shell comment that makes a script text new, so that no answer kept from an earlier check is reused."""
    return f"# {uuid.uuid4().hex}"


# --- positions ------------------------------------------------------------------------------------------

def test_finding_on_a_continuation_line_is_reported_on_that_line():
    text = ("FROM debian:12\nARG VERSION=1.2\n"
            "RUN curl -fsSLo /tmp/app.tgz \"https://example.com/app-$VERSION.tgz\"; \\\n"
            "    cd /opt; \\\n"
            "    tar xzf /tmp/app.tgz\n")
    assert sc(text) == [("SC2164", 4, 5, 4, 12)]  # `cd /opt`, on its own line


def test_the_span_is_the_word_shellcheck_names():
    text = "FROM debian:12\nRUN mkdir -p /x && echo $undefined_word > /x/y\n"
    found = findings(text, "SC")
    assert {d.code for d in found} == {"SC2086", "SC2154"}
    for d in found:
        assert text.splitlines()[d.line - 1][d.column - 1:d.end_column - 1] == "$undefined_word"


def test_heredoc_body_positions():
    text = "FROM debian:12\nRUN <<EOF\nmkdir /opt\n  cd /opt\nEOF\n"
    assert sc(text) == [("SC2164", 4, 3, 4, 10)]


def test_heredoc_with_stripped_tabs_keeps_columns_in_the_file():
    text = "FROM debian:12\nRUN <<-EOF\n\t\tmkdir /opt\n\t\tcd /opt\n\tEOF\n"
    assert sc(text) == [("SC2164", 4, 3, 4, 10)]


def test_set_e_in_a_heredoc_is_understood():
    assert sc("FROM debian:12\nRUN <<EOF\nset -e\ncd /opt\nEOF\n") == []


def test_heredoc_fed_to_a_command_is_checked_in_place():
    text = "FROM debian:12\nRUN cat <<EOF > /etc/motd\nhello $user_name\nEOF\n"
    assert ("SC2154", 3, 7, 3, 17) in sc(text)


def test_backtick_escape_file():
    text = "# escape=`\nFROM debian:12\nRUN mkdir /opt/app; `\n    cd /opt/app; `\n    touch x\n"
    assert sc(text) == [("SC2164", 4, 5, 4, 16)]


def test_crlf_file():
    text = "FROM debian:12\r\nRUN mkdir /opt/app; \\\r\n    cd /opt/app; \\\r\n    touch x\r\n"
    assert sc(text) == [("SC2164", 3, 5, 3, 16)]


def test_crlf_heredoc_body():
    text = "FROM debian:12\r\nRUN <<EOF\r\nmkdir /x\r\ncd /x\r\nEOF\r\n"
    assert sc(text) == [("SC2164", 4, 1, 4, 6)]


def test_onbuild_run_is_checked():
    assert sc("FROM debian:12\nONBUILD RUN mkdir /x; cd /x; touch y\n") == [("SC2164", 2, 23, 2, 28)]


def test_non_utf8_bytes_do_not_break_the_check():
    data = b"FROM debian:12\nRUN echo '\xff\xfe' > /x; cd /tmp; ls\n"
    result = check_source("Dockerfile", data, Settings(enabled={"SC"}))
    [d] = [d for d in result.diagnostics if d.code.startswith("SC")]
    assert (d.code, d.line, d.column) == ("SC2164", 2, 21)  # each byte that is not UTF-8 is one column


# --- what ShellCheck is told ------------------------------------------------------------------------------

def test_arg_and_env_names_count_as_assigned():
    text = ("FROM debian:12\nARG release\nENV prefix=/opt other=1\n"
            "RUN echo \"$release\" \"$prefix\" \"$other\" \"$http_proxy\" \"$no_proxy\" \"$missing_one\"\n")
    assert [(c, d) for c, d, *_ in sc(text)] == [("SC2154", 4)]
    [d] = findings(text, "SC")
    assert "missing_one" in d.message


def test_names_after_the_run_and_in_other_stages_do_not_count():
    text = ("FROM debian:12 AS one\nENV from_one=1\n"
            "FROM debian:12\nRUN echo \"$from_one\" \"$later\"\nENV later=1\n")
    assert sorted(d.message.split()[0] for d in findings(text, "SC")) == ["from_one", "later"]


def test_names_of_the_stage_built_on_count():
    text = "FROM debian:12 AS base\nARG tool_version\nFROM base\nRUN echo \"$tool_version\"\n"
    assert sc(text) == []


def test_hadolint_default_exclusions():
    # SC1091 (a sourced file not followed), SC1090 (a sourced path not known), SC2187 (ash)
    text = ("FROM alpine:3\nRUN . /etc/os-release && echo \"$ID\"\nRUN . \"$HOME/.profile\"\n"
            "SHELL [\"/bin/ash\", \"-c\"]\nRUN echo hi\n")
    assert sc(text) == []


def test_a_users_shellcheckrc_is_not_read(tmp_path, monkeypatch):
    (tmp_path / ".shellcheckrc").write_text("disable=SC2164\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert codes(f"FROM debian:12\nRUN cd /x; ls {unique()}\n") == ["SC2164"]


# --- the shell in force -----------------------------------------------------------------------------------

BASHISM = "RUN [[ -f /etc/os-release ]] && echo yes\n"


def test_default_shell_is_sh():
    assert codes("FROM debian:12\n" + BASHISM) == ["SC3010"]


@pytest.mark.parametrize("shell", ['["/bin/bash", "-c"]', '["bash", "-o", "pipefail", "-c"]',
                                   '["/usr/bin/env", "bash", "-c"]'])
def test_bash_shell_is_checked_as_bash(shell):
    assert codes(f"FROM debian:12\nSHELL {shell}\n" + BASHISM) == []
    assert codes(f"FROM debian:12\nSHELL {shell}\nRUN cd /x; ls\n") == ["SC2164"]


def test_shell_carries_over_to_a_stage_built_on_it():
    assert codes("FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-c\"]\nFROM base\n" + BASHISM) == []


@pytest.mark.parametrize("shell", ['["powershell", "-Command"]', '["pwsh", "-c"]', '["cmd", "/S", "/C"]',
                                   '["/bin/zsh", "-c"]', '["/usr/bin/python3", "-c"]'])
def test_other_shells_are_not_checked(shell):
    assert codes(f"FROM debian:12\nSHELL {shell}\nRUN cd /x; echo $a\n") == []


def test_windows_stage_is_not_checked():
    text = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command \"$ErrorActionPreference = 'Stop'; echo $x\"\n"
    assert codes(text) == []


def test_hadolint_shell_pragma():
    assert codes("FROM debian:12\n# hadolint shell=powershell\nRUN cd /x; echo $a\n") == []
    assert codes("FROM debian:12\n# hadolint shell=bash\n" + BASHISM) == []
    # it holds in its stage until a SHELL; one before the first FROM holds in every stage
    assert codes("FROM debian:12\n# hadolint shell=bash\nSHELL [\"/bin/sh\", \"-c\"]\n" + BASHISM) == ["SC3010"]
    assert codes("FROM debian:12\n# hadolint shell=bash\nFROM debian:12\n" + BASHISM) == ["SC3010"]
    assert codes("# hadolint shell=pwsh\nFROM debian:12\nRUN cd /x\nFROM debian:12\nRUN cd /x; ls\n") == []


def test_an_escaped_colon_after_a_file_name_is_no_windows_path():
    text = ("FROM centos:7\nRUN echo -e \"export PATH=\\/etc\\/init.d:\\$PATH\" > /etc/profile.d/x.sh\n"
            "RUN cd /x; ls\n")
    assert codes(text) == ["SC2164", "SC3037"]  # echo -e is not POSIX; the stage is no Windows one


def test_exec_form_runs_no_shell():
    assert codes('FROM debian:12\nRUN ["sh", "-c", "cd /x; echo $a"]\nRUN ["/bin/echo", "$b"]\n') == []


def test_heredoc_with_its_own_shebang():
    assert codes("FROM debian:12\nRUN <<EOF\n#!/bin/bash\n[[ -f /x ]] && echo yes\nEOF\n") == []
    assert codes("FROM debian:12\nRUN <<EOF\n#!/bin/sh\n[[ -f /x ]] && echo yes\nEOF\n") == ["SC3010"]
    assert codes("FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nprint('$x')\nEOF\n") == []


# --- selecting and suppressing single codes -----------------------------------------------------------------

TWO = "FROM debian:12\nRUN cd /x; echo $undefined_var\n"  # SC2164, SC2086, SC2154


def cli(tmp_path, monkeypatch, text, *args):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(text)
    r = CliRunner().invoke(main, ["check", "--format", "json", *args, "Dockerfile"])
    assert r.exit_code in (0, 1), r.output
    return sorted(d["code"] for d in json.loads(r.stdout))


def test_select_and_ignore_single_codes(tmp_path, monkeypatch):
    assert cli(tmp_path, monkeypatch, TWO, "--select", "SC") == ["SC2086", "SC2154", "SC2164"]
    assert cli(tmp_path, monkeypatch, TWO, "--select", "SC2164") == ["SC2164"]
    assert cli(tmp_path, monkeypatch, TWO, "--select", "sc2164,SC2086") == ["SC2086", "SC2164"]
    assert cli(tmp_path, monkeypatch, TWO, "--select", "SC", "--ignore", "SC2086") == ["SC2154", "SC2164"]
    assert cli(tmp_path, monkeypatch, TWO, "--select", "SC2164", "--ignore", "SC") == []
    assert "SC2164" in cli(tmp_path, monkeypatch, TWO, "--select", "ALL")
    assert "SC2164" not in cli(tmp_path, monkeypatch, TWO)  # off by default


def test_a_family_prefix_does_not_select_a_longer_family():
    from dlint import rules as registry

    security = registry.expand(["S"])
    assert "S001" in security and "SC" not in security
    assert all(registry.BY_CODE[c].code[1:].isdigit() for c in security)
    assert registry.expand(["SC"]) == ["SC"] and registry.expand(["sc2086"]) == ["SC2086"]


def test_config_selects_and_ignores_single_codes(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.dlint]\nextend-select = ["SC"]\nignore = ["SC2154"]\n')
    assert cli(tmp_path, monkeypatch, TWO, "--ignore", "L") == ["SC2086", "SC2164"]


@pytest.mark.parametrize("comment", ["# hadolint ignore=SC2086", "# dlint: ignore=SC2086",
                                     "# dlint: ignore=DL3003,SC2086"])
def test_ignore_comments_name_single_codes(comment):
    assert codes(f"FROM debian:12\n{comment}\n" + TWO.split("\n", 1)[1]) == ["SC2154", "SC2164"]


@pytest.mark.parametrize("comment", ["# dlint: ignore=SC", "# dlint: ignore=shellcheck",
                                     "# dlint: ignore=SC2086,SC2154 SC2164"])
def test_ignore_comment_for_the_whole_rule(comment):
    assert codes(f"FROM debian:12\n{comment}\n" + TWO.split("\n", 1)[1]) == []


def test_a_single_codes_severity_can_be_overridden(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.dlint]\nextend-select = ["SC"]\n'
                                             '[tool.dlint.severity]\nSC2086 = "error"\n')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(TWO)
    r = CliRunner().invoke(main, ["check", "--format", "json", "Dockerfile"])
    levels = {d["code"]: d["severity"] for d in json.loads(r.stdout)}
    assert levels["SC2086"] == "error" and levels["SC2164"] == "warning" and levels["SC2154"] == "warning"


def test_dlint_rule_shows_the_page_for_a_single_code():
    a = CliRunner().invoke(main, ["rule", "SC2086"])
    b = CliRunner().invoke(main, ["rule", "SC"])
    assert a.exit_code == b.exit_code == 0 and a.output == b.output and a.output.startswith("# SC shellcheck")


def test_dlint_rules_lists_the_rule_once():
    r = CliRunner().invoke(main, ["rules"])
    assert [line.split()[0] for line in r.output.splitlines()].count("SC") == 1
    assert not [line for line in r.output.splitlines() if line.startswith("SC2")]


def test_unknown_code_shapes_are_still_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(TWO)
    r = CliRunner().invoke(main, ["check", "--select", "SC20", "Dockerfile"])
    assert r.exit_code == 2 and "unknown rule" in r.output


def test_sarif_points_single_codes_at_the_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(TWO)
    r = CliRunner().invoke(main, ["check", "--format", "sarif", "--select", "SC2164", "Dockerfile"])
    run = json.loads(r.stdout)["runs"][0]
    [result] = run["results"]
    assert result["ruleId"] == "SC2164" and run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "SC"


# --- one process per file ---------------------------------------------------------------------------------

@pytest.fixture
def started(monkeypatch):
    """The shellcheck processes started (their argument lists)."""
    calls = []
    real = subprocess.Popen

    def counting(args, *a, **kw):
        if str(args[0]).endswith(("shellcheck", "shellcheck.exe")):
            calls.append(list(args))
        return real(args, *a, **kw)

    monkeypatch.setattr(subprocess, "Popen", counting)
    return calls


def test_all_runs_of_a_file_go_to_one_process(started):
    u = unique()
    text = (f"FROM debian:12 AS build\nRUN cd /a; ls {u}\nRUN <<EOF\ncd /b {u}\nEOF\n"
            f"SHELL [\"/bin/bash\", \"-c\"]\nRUN cd /c; ls {u}\nFROM build\nONBUILD RUN cd /d; ls {u}\n"
            f"RUN cd /e; ls {u}\n")
    found = findings(text, "SC")
    assert [d.line for d in found] == [2, 4, 7, 9, 10]
    assert len(started) == 1 and len([a for a in started[0] if a.endswith(".sh")]) == 5
    findings(text, "SC")  # the same scripts again: answered without a new process
    assert len(started) == 1


def test_a_file_without_shell_runs_starts_no_process(started):
    assert findings('FROM debian:12\nRUN ["/bin/true"]\nCOPY a /a\n', "SC") == []
    assert started == []


def test_several_files_share_one_process(started, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    u = unique()
    for i in range(3):
        (tmp_path / f"{i}.Dockerfile").write_text(f"FROM debian:12\nRUN cd /x; ls {unique()}\nRUN cd /y; ls {u}\n")
    (tmp_path / "bad.Dockerfile").write_text("FROM debian:12\nRUN <<EOF\ncd /z\n")  # unterminated heredoc
    (tmp_path / "off.Dockerfile").write_text(f"FROM debian:12\nRUN cd /off; ls {u}\n")
    (tmp_path / "pyproject.toml").write_text('[tool.dlint]\nper-file-ignores = {"off.Dockerfile" = ["SC"]}\n')
    r = CliRunner().invoke(main, ["check", "--format", "json", "--select", "SC", "0.Dockerfile", "1.Dockerfile",
                                  "2.Dockerfile", "bad.Dockerfile", "off.Dockerfile"])
    found = json.loads(r.stdout)
    assert sorted((d["file"], d["line"]) for d in found) == [(f"{i}.Dockerfile", n) for i in range(3) for n in (2, 3)]
    # the scripts of all the files went to one process before the files were checked (the shared one once)
    assert len(started) == 1 and len([a for a in started[0] if a.endswith(".sh")]) == 4


def test_many_scripts_are_split_between_the_cores(started):
    from dlint.rules._shellcheck import prefetch

    entries = [(f"{i}.Dockerfile", f"FROM debian:12\nRUN cd /x; ls {unique()}\n".encode(), Settings(enabled={"SC"}))
               for i in range(120)]
    assert prefetch(entries, workers=2) == 120
    assert len(started) == 2
    assert findings(entries[7][1].decode(), "SC") and len(started) == 2  # answered from what was kept


def test_fixing_checks_only_the_changed_scripts_again(started, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    u = unique()
    text = f"FROM debian:12\nRUN cd /x; ls {u}\nRUN apt-get update {u}\nRUN apt-get install -y curl\n"
    (tmp_path / "Dockerfile").write_text(text)
    r = CliRunner().invoke(main, ["fix", "--select", "SC,L001", "Dockerfile"])
    assert r.exit_code in (0, 1), r.output
    assert (tmp_path / "Dockerfile").read_text() != text  # L001 merged the two RUNs
    # the first check, then one for the merged RUN; the RUN with `cd` is not checked a second time
    assert len(started) == 2 and len([a for a in started[1] if a.endswith(".sh")]) == 1


# --- without the program ----------------------------------------------------------------------------------

def test_without_the_program_dlint_says_so_once_and_goes_on(tmp_path, monkeypatch, started):
    monkeypatch.setattr(run_shellcheck, "_binary", {"path": None})
    monkeypatch.chdir(tmp_path)
    for name in ("a.Dockerfile", "b.Dockerfile"):
        (tmp_path / name).write_text("FROM debian:12\nRUN cd /x; ls\n")
    r = CliRunner().invoke(main, ["check", "--select", "ALL", "a.Dockerfile", "b.Dockerfile"])
    assert r.exit_code in (0, 1)
    assert r.stderr.count("ShellCheck checks (SC codes) are off") == 1
    assert "pip install 'dlint[shellcheck]'" in r.stderr
    assert "SC2164" not in r.stdout and started == []


def test_without_the_program_nothing_is_said_when_the_rule_is_off(tmp_path, monkeypatch):
    monkeypatch.setattr(run_shellcheck, "_binary", {"path": None})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN cd /x; ls\n")
    r = CliRunner().invoke(main, ["check", "Dockerfile"])
    assert "ShellCheck" not in r.stderr


def test_a_failing_program_reports_nothing(monkeypatch, tmp_path):
    fake = tmp_path / "shellcheck"
    fake.write_text("#!/bin/sh\necho 'not json'\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(run_shellcheck, "_binary", {"path": str(fake)})
    assert findings(f"FROM debian:12\nRUN cd /x; ls {unique()}\n", "SC") == []
