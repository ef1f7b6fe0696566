"""Where the report cannot go, or the input cannot come from: one clear line on stderr, exit code 2, no
traceback (and never a report written over an input)."""
import os

import pytest
from permissions import permission_bits_enforced
from run_dlint import GOOD, assert_no_crash, dlint, out

CJK = "FROM debian:12\nRUN apt-get update && apt-get install -y curl # 日本語\n".encode("utf-8")


def one_error(r) -> str:
    assert_no_crash(r)
    assert r.returncode == 2, out(r)
    lines = out(r)[1].splitlines()
    assert len(lines) == 1, out(r)
    return lines[0]


@pytest.mark.parametrize("name", ["Dockerfile", "./Dockerfile", "link", "hardlink"])
@pytest.mark.parametrize("where", ["file", "directory"])
def test_output_file_that_is_an_input_is_refused(tmp_path, name, where):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    os.symlink("Dockerfile", tmp_path / "link")
    os.link(tmp_path / "Dockerfile", tmp_path / "hardlink")
    r = dlint("check", "-o", name, "Dockerfile" if where == "file" else ".", cwd=tmp_path)
    assert one_error(r).startswith(f"dlint: error: the output file {name} is one of the inputs")
    assert (tmp_path / "Dockerfile").read_bytes() == GOOD


def test_output_file_beside_the_input_is_written(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    (tmp_path / "report.txt").write_text("old")
    r = dlint("check", "-q", "-o", "report.txt", "Dockerfile", cwd=tmp_path)
    assert r.returncode == 1, out(r)
    assert (tmp_path / "report.txt").read_text().startswith("Dockerfile:2:1: L001 ")


def test_output_into_a_missing_directory(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint("check", "-o", "missing/report.txt", "Dockerfile", cwd=tmp_path)
    assert one_error(r) == ("dlint: error: cannot write the report to missing/report.txt: No such file or "
                            "directory")


def test_output_into_an_unwritable_directory(tmp_path):
    preexec = permission_bits_enforced(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    (tmp_path / "ro").mkdir()
    os.chmod(tmp_path / "ro", 0o555)
    try:
        r = dlint("check", "-o", "ro/report.txt", "Dockerfile", cwd=tmp_path, preexec_fn=preexec)
    finally:
        os.chmod(tmp_path / "ro", 0o755)
    assert one_error(r) == "dlint: error: cannot write the report to ro/report.txt: Permission denied"


@pytest.mark.parametrize("encoding,fmt,data,char", [
    ("cp1252", "text", CJK, "U+65E5"),
    ("ascii", "sarif", GOOD, "U+2014"),  # SARIF's own text has an em dash
])
def test_console_encoding_that_cannot_show_the_report(tmp_path, encoding, fmt, data, char):
    (tmp_path / "Dockerfile").write_bytes(data)
    r = dlint("check", "--format", fmt, "Dockerfile", cwd=tmp_path,
              extra_env={"PYTHONIOENCODING": encoding})
    line = one_error(r)
    assert line.startswith(f"dlint: error: standard output's encoding ({encoding}) cannot show {char} "), line
    assert "PYTHONIOENCODING=utf-8" in line and "-o FILE" in line
    assert r.stdout == b""  # nothing half-written


def close_fd(fd):
    return lambda: os.close(fd)


def onto_dev_full():
    fd = os.open("/dev/full", os.O_WRONLY)
    os.dup2(fd, 1)
    os.close(fd)


@pytest.mark.parametrize("args", [["check", "Dockerfile"], ["check", "-q", "Dockerfile"], ["fix", "Dockerfile"],
                                  ["fix", "--diff", "Dockerfile"]], ids=" ".join)
def test_closed_standard_output(tmp_path, args):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint(*args, cwd=tmp_path, preexec_fn=close_fd(1))
    assert one_error(r) == "dlint: error: standard output is closed: nowhere to write the report"
    assert (tmp_path / "Dockerfile").read_bytes() == GOOD


def test_closed_standard_output_with_a_report_file(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint("check", "-q", "-o", "report.txt", "Dockerfile", cwd=tmp_path, preexec_fn=close_fd(1))
    assert r.returncode == 1 and r.stderr == b"", out(r)
    assert (tmp_path / "report.txt").read_text().startswith("Dockerfile:2:1: L001 ")


@pytest.mark.parametrize("command", ["check", "fix"])
def test_closed_standard_input(tmp_path, command):
    r = dlint(command, "-", cwd=tmp_path, stdin=None, preexec_fn=close_fd(0))
    assert one_error(r) == "-: error: standard input is closed: nothing to read"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["check", "Dockerfile"], ["check", "-q", "Dockerfile"],
                                  ["check", "--format", "json", "Dockerfile"], ["fix", "--diff", "Dockerfile"],
                                  ["fix", "-", "--stdin-filename", "Dockerfile"]], ids=" ".join)
def test_standard_output_full(tmp_path, args):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint(*args, cwd=tmp_path, input=GOOD if "-" in args else None, preexec_fn=onto_dev_full)
    assert one_error(r) == "dlint: error: cannot write to standard output: No space left on device"


def test_closed_standard_error_still_checks(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint("check", "-q", "Dockerfile", "missing", cwd=tmp_path, preexec_fn=close_fd(2))
    assert r.returncode == 2
    assert out(r)[0].startswith("Dockerfile:2:1: L001 "), out(r)


# --- a file reached twice is checked and fixed once ---

def linked_pair(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    os.symlink("Dockerfile", tmp_path / "Containerfile")


@pytest.mark.parametrize("args,name", [
    (["."], "./Dockerfile"), (["Dockerfile", "Dockerfile"], "Dockerfile"),
    (["Containerfile", "Dockerfile"], "Dockerfile"),  # its own name rather than the link's
    (["Containerfile", "."], "./Dockerfile"), (["./Dockerfile", "Dockerfile"], "./Dockerfile"),
    (["Containerfile", "Containerfile"], "Containerfile"),  # only the link given: its name
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_a_file_reached_twice_is_checked_once(tmp_path, args, name):
    linked_pair(tmp_path)
    r = dlint("check", "-q", *args, cwd=tmp_path)
    assert_no_crash(r)
    lines = out(r)[0].splitlines()
    once = out(dlint("check", "-q", "--select", "L001,L005", "Dockerfile", cwd=tmp_path))[0].splitlines()
    r = dlint("check", "-q", "--select", "L001,L005", *args, cwd=tmp_path)
    lines = out(r)[0].splitlines()
    assert len(once) == 2 and len(lines) == 2 and len(set(lines)) == 2, out(r)  # L001 and L005, once each
    assert all(line.startswith(name + ":") for line in lines), out(r)


@pytest.mark.parametrize("args", [["."], ["Dockerfile", "Containerfile"], ["Containerfile", "Containerfile"]],
                         ids=" ".join)
def test_a_file_reached_twice_is_fixed_once(tmp_path, args):
    linked_pair(tmp_path)
    r = dlint("fix", *args, cwd=tmp_path)
    assert_no_crash(r)
    assert "error" not in out(r)[1], out(r)
    assert len([line for line in out(r)[1].splitlines() if line.startswith("fixed ")]) == 1, out(r)
    assert os.path.islink(tmp_path / "Containerfile")
    assert (tmp_path / "Dockerfile").read_bytes().startswith(b"FROM debian:12\nRUN apt-get update && \\\n")


# --- fix: what remains, and the failure threshold ---

REMAINS = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"  # L001 fixed, L005 (info) remains


def test_fix_quiet_says_what_remains(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(REMAINS)
    r = dlint("fix", "-q", "--extend-select", "L005", "Dockerfile", cwd=tmp_path)
    assert r.returncode == 1
    lines = out(r)[0].splitlines()
    assert len(lines) == 1 and lines[0].startswith("Dockerfile:2:1: L005 [info] "), out(r)
    assert out(r)[1] == ""


@pytest.mark.parametrize("threshold,code", [("warning", 0), ("info", 1)])
def test_fix_follows_the_configured_failure_threshold(tmp_path, threshold, code):
    (tmp_path / "Dockerfile").write_bytes(REMAINS)
    (tmp_path / ".dlint.toml").write_text(f'failure-threshold = "{threshold}"\nextend-select = ["L005"]\n')
    r = dlint("fix", "-q", "Dockerfile", cwd=tmp_path)
    assert r.returncode == code, out(r)
    assert out(r)[0].startswith("Dockerfile:2:1: L005 [info] ")


# --- an empty selection, a config that is no file ---

def usage_error(r) -> str:
    assert_no_crash(r)
    assert r.returncode == 2, out(r)
    (line,) = [l for l in out(r)[1].splitlines() if l.startswith("Error: ")]
    return line


@pytest.mark.parametrize("command", ["check", "fix", "layers"])
@pytest.mark.parametrize("value", ["", ",", " , "])
def test_empty_select_option_is_an_error(tmp_path, command, value):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint(command, "--select", value, "Dockerfile", cwd=tmp_path)
    assert usage_error(r) == (f"Error: --select {value!r} names no rule: give rule codes, names or prefixes "
                              "(e.g. --select L001,L005), or leave --select out for the defaults")
    assert (tmp_path / "Dockerfile").read_bytes() == GOOD


@pytest.mark.parametrize("value", ['[""]', '[]', '""'])
def test_empty_select_in_config_is_an_error(tmp_path, value):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    (tmp_path / ".dlint.toml").write_text(f"select = {value}\n")
    r = dlint("check", "Dockerfile", cwd=tmp_path)
    assert usage_error(r).startswith(f"Error: {tmp_path / '.dlint.toml'}: `select` names no rule ")


def test_config_that_is_a_device(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    r = dlint("check", "--config", "/dev/null", "Dockerfile", cwd=tmp_path)
    assert usage_error(r) == ("Error: /dev/null: config file is not a regular file (a character device): give a "
                              ".dlint.toml or pyproject.toml file")
    r = dlint("check", "--config", "missing.toml", "Dockerfile", cwd=tmp_path)
    assert usage_error(r) == "Error: missing.toml: config file not found"
