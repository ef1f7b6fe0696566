"""Everyday options: --version, --statistics, --show-fixes, --quiet, the summary line, and progress on a
terminal."""
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import dlint
from dlint.cli import main
from terminal import run_with_terminal_stderr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SAMPLE = """\
FROM debian:12-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends python3-pip
RUN pip install --break-system-packages requests
RUN pip install --break-system-packages flask
COPY app /app
"""
# Only these rules, so that the expected counts stay put as rules are added.
SELECT = ("--select", "L001,L002,L005")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(SAMPLE)
    (tmp_path / "b.Dockerfile").write_text("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n")
    return tmp_path


def findings(*args):
    return json.loads(run("check", "--format", "json", *SELECT, *args).stdout)


def test_version():
    r = run("--version")
    assert r.exit_code == 0
    assert r.output == f"dlint, version {dlint.__version__}\n"
    p = subprocess.run([sys.executable, "-m", "dlint", "--version"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout == r.output
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as fh:
        declared = re.search(r'^version = "([^"]+)"', fh.read(), re.M).group(1)
    assert dlint.__version__ == declared


def test_statistics_counts_per_rule(project):
    diags = findings("Dockerfile", "b.Dockerfile")
    r = run("check", "--statistics", *SELECT, "Dockerfile", "b.Dockerfile")
    assert r.exit_code == 1
    rows = [line.split(None, 3) for line in r.stdout.splitlines()]
    counted = {code: int(n) for n, code, *_ in rows}
    expected = {}
    for d in diags:
        expected[d["code"]] = expected.get(d["code"], 0) + 1
    assert counted == expected == {"L001": 2, "L002": 1, "L005": 1}
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    by_code = {row[1]: row for row in rows}
    assert by_code["L001"][2] == "update-without-install"
    # then the bytes the rule's findings waste together (their estimates summed), and what is fixable
    from dlint.estimates import format_bytes

    wasted = {}
    for d in diags:
        if d["estimated_bytes"]:
            wasted[d["code"]] = wasted.get(d["code"], 0) + d["estimated_bytes"]
    assert wasted["L001"] == 2 * 19885580  # two Debian 12 updates, each leaving the package lists
    assert by_code["L001"][3] == f"{format_bytes(wasted['L001'])}  2 fixable" == "~40 MB  2 fixable"
    assert by_code["L005"][3].split("  ") == [format_bytes(wasted["L005"]) if "L005" in wasted else "-",
                                             "1 fixable with --unsafe-fixes"]
    assert "L" not in r.stderr


def test_statistics_json(project):
    r = run("check", "--statistics", "--format", "json", *SELECT, "Dockerfile", "b.Dockerfile")
    assert r.exit_code == 1
    rows = json.loads(r.stdout)
    assert rows[0] == {"code": "L001", "name": "update-without-install", "count": 2, "fixable": 2, "unsafe_fixable": 0,
                       "estimated_bytes": 2 * 19885580}
    assert {row["code"]: (row["count"], row["fixable"], row["unsafe_fixable"]) for row in rows} == {
        "L001": (2, 2, 0), "L002": (1, 1, 0), "L005": (1, 0, 1)}


def test_statistics_of_a_clean_file_and_unsupported_formats(project):
    (project / "clean.Dockerfile").write_text("FROM debian:12\nCOPY a /a\n")
    r = run("check", "--statistics", *SELECT, "clean.Dockerfile")
    assert (r.exit_code, r.stdout) == (0, "")
    r = run("check", "--statistics", "--format", "sarif", "Dockerfile")
    assert r.exit_code == 2 and "--statistics prints text or json" in r.output


def test_show_fixes_previews_the_edit(project):
    r = run("check", "--show-fixes", "--select", "L001", "Dockerfile")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    removed = [l[11:] for l in lines if l.startswith("         - ")]
    added = [l[11:] for l in lines if l.startswith("         + ")]
    assert removed == ["RUN apt-get update", "RUN apt-get install -y --no-install-recommends python3-pip"]
    # the added lines are exactly what dlint fix writes there
    run("fix", "--select", "L001", "Dockerfile")
    fixed = (project / "Dockerfile").read_text().splitlines()
    assert added == fixed[1:1 + len(added)]
    assert fixed[1 + len(added):] == SAMPLE.splitlines()[3:]


def test_without_show_fixes_only_the_fix_title(project):
    r = run("check", "--select", "L001", "Dockerfile")
    assert "       = fix available: " in r.stdout
    assert not any(l.startswith("         - ") for l in r.stdout.splitlines())


def test_quiet_prints_only_the_finding_lines(project):
    r = run("check", "--quiet", *SELECT, "Dockerfile", "b.Dockerfile")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == len(findings("Dockerfile", "b.Dockerfile")) == 4
    assert all(re.match(r"^(Dockerfile|b\.Dockerfile):\d+:\d+: L00\d \[\w+\] ", l) for l in lines)
    r = run("check", "-q", *SELECT, "Dockerfile", "b.Dockerfile")
    assert r.stdout.splitlines() == lines


def test_fix_quiet_prints_one_line_per_remaining_finding(project):
    (project / "Dockerfile").write_text("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
                                        "RUN apt-get install -y git\n")
    r = run("fix", "--quiet", *SELECT, "Dockerfile")
    assert r.exit_code == 1
    assert (project / "Dockerfile").read_text().startswith("FROM debian:12\nRUN apt-get update && \\\n")
    # no "fixed" line, no excerpt, no summary: the pre-commit hook still says why it failed
    lines = r.output.splitlines()
    assert lines and all(re.match(r"^Dockerfile:\d+:\d+: L00\d \[\w+\] ", l) for l in lines), r.output
    assert lines == [l for l in run("check", "-q", *SELECT, "Dockerfile").stdout.splitlines()]


@pytest.mark.parametrize("where", ["option", "config"])
def test_fix_follows_the_failure_threshold(project, where):
    (project / "Dockerfile").write_text("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n")
    if where == "config":
        (project / ".dlint.toml").write_text('failure-threshold = "warning"\n')
        args = ()
    else:
        args = ("--failure-threshold", "warning")
    r = run("fix", "-q", *args, "--select", "L005", "Dockerfile")
    assert r.exit_code == 0, r.output  # L005 (info) remains: below the threshold
    assert re.match(r"^Dockerfile:2:\d+: L005 \[info\] ", r.output)
    r = run("fix", "-q", "--failure-threshold", "info", "--select", "L005", "Dockerfile")
    assert r.exit_code == 1


def test_summary_line(project):
    r = run("check", *SELECT, "Dockerfile", "b.Dockerfile")
    assert r.stdout.splitlines()[-1] == (
        "Found 4 findings in 2 files: 3 fixable with `dlint fix`, 1 fixable with `dlint fix --unsafe-fixes`.")
    r = run("check", "--select", "L001", "b.Dockerfile")
    assert r.stdout.splitlines()[-1] == "Found 1 finding in 1 file: 1 fixable with `dlint fix`."
    (project / "clean.Dockerfile").write_text("FROM debian:12\nCOPY a /a\n")
    assert run("check", *SELECT, "clean.Dockerfile").stdout == ""


def test_findings_left_after_fix_show_the_fixed_lines(project):
    r = run("fix", *SELECT, "b.Dockerfile")
    assert r.exit_code == 1
    fixed = (project / "b.Dockerfile").read_text().splitlines()
    head = [l for l in r.stdout.splitlines() if l.startswith("b.Dockerfile:")]
    assert len(head) == 1 and " L005 " in head[0]
    line = int(head[0].split(":")[1])
    assert fixed[line - 1].startswith("RUN apt-get update")  # the merged RUN
    install = next(i for i, l in enumerate(fixed, 1) if l.startswith("    apt-get install"))
    assert f"`apt-get install` (line {install}, column 5)" in head[0]  # the command, in the fixed file
    assert f"  {line:>4} | {fixed[line - 1]}" in r.stdout.splitlines()


# --------------------------------------------------------------------------------------------- progress

def many_files(directory, n):
    directory.mkdir()
    for i in range(n):
        (directory / f"svc{i}.Dockerfile").write_text(f"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y pkg{i}\n")


def test_progress_on_a_terminal_for_many_files(tmp_path):
    many_files(tmp_path / "many", 60)
    code, out, err = run_with_terminal_stderr(["check", "--select", "L001", "many"], tmp_path)
    assert code == 1
    assert "\rchecked 60/60 files" in err
    assert err.endswith("\r\x1b[K")  # the counter is erased before the report
    assert "checked" not in out and out.count(" L001 ") == 60
    code, out, err = run_with_terminal_stderr(["fix", "--quiet", "--select", "L001", "many"], tmp_path)
    assert code == 0
    assert "\rfixed 60/60 files" in err


def test_no_progress_when_piped_or_few_files(tmp_path):
    many_files(tmp_path / "many", 60)
    p = subprocess.run([sys.executable, "-m", "dlint", "check", "--select", "L001", "many"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert p.returncode == 1 and p.stderr == ""
    many_files(tmp_path / "few", 5)
    code, out, err = run_with_terminal_stderr(["check", "--select", "L001", "few"], tmp_path)
    assert code == 1 and err == "" and out.count(" L001 ") == 5


def test_directories_are_searched_for_dockerfiles_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    finding = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    dockerfiles = ["Dockerfile", "Dockerfile.prod", "web/Dockerfile-dev", "api.Dockerfile", "Containerfile"]
    others = ["tests/dockerfile_gen.py", "docs/Dockerfile.md", "Dockerfile.j2", "dockerfile-lint.sh",
              "Dockerfile.template", "README.md"]
    for rel in dockerfiles + others:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(finding)
    r = run("check", "--format", "json", "--select", "L001", ".")
    assert r.exit_code == 1, r.output
    found = sorted(os.path.relpath(d["file"]) for d in json.loads(r.stdout))
    assert found == sorted(dockerfiles)
    # a file named on the command line is checked whatever its name
    r = run("check", "--format", "json", "--select", "L001", "Dockerfile.j2")
    assert [d["file"] for d in json.loads(r.stdout)] == ["Dockerfile.j2"]
