"""``dlint check FILE...`` without options skips click; it must behave exactly like the full command line."""
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _dlint(args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("NO_COLOR", None)
    r = subprocess.run([sys.executable, "-m", "dlint", *args], cwd=cwd, capture_output=True, env=env)
    return r.returncode, r.stdout, r.stderr


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n")
    (tmp_path / "clean.dockerfile").write_text("FROM scratch\nCOPY app /app\n")
    (tmp_path / "broken.dockerfile").write_bytes(b"FROM alpine\nFROBNICATE\n")
    bad = tmp_path / "badconfig"
    bad.mkdir()
    (bad / ".dlint.toml").write_text('select = ["NO-SUCH-RULE"]\n')
    (bad / "Dockerfile").write_text("FROM debian:12\n")
    return tmp_path


@pytest.mark.parametrize("args", [
    ["Dockerfile"],
    ["clean.dockerfile"],
    ["Dockerfile", "missing", "broken.dockerfile", "clean.dockerfile"],
    ["."],
    [],
    ["badconfig/Dockerfile"],
])
def test_plain_check_matches_the_full_command_line(project, args):
    fast = _dlint(["check", *args], project)
    # Any option takes the full (click) command line; --format text is the default anyway.
    full = _dlint(["check", "--format", "text", *args], project)
    assert fast == full
    assert fast[0] in (0, 1, 2)


def test_usage_errors_come_from_the_full_command_line(project):
    code, out, err = _dlint(["check", "badconfig/Dockerfile"], project)
    assert code == 2
    assert b"Usage: dlint check" in err and b"NO-SUCH-RULE" in err


def test_plain_check_imports_nothing_heavy(project):
    """click, dataclasses (with inspect), importlib.resources and typing each cost a noticeable share of
    ``dlint check FILE`` (a pre-commit hook runs it on every commit): keep them off its path. Instead use
    ``dlint._dataclass`` for dataclasses, ``dlint.data.load_json`` for data files, and import typing names
    for annotations under ``TYPE_CHECKING = False`` / ``if TYPE_CHECKING:``."""
    probe = textwrap.dedent("""
        import runpy, sys
        before = set(sys.modules)
        sys.argv = ["dlint", "check", "Dockerfile"]
        try:
            runpy.run_module("dlint", run_name="__main__")
        except SystemExit:
            pass
        heavy = {"click", "dataclasses", "inspect", "importlib.resources", "multiprocessing", "typing"}
        sys.stderr.write("HEAVY=" + ",".join(sorted((set(sys.modules) - before) & heavy)) + "\\n")
    """)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, env=env)
    assert "HEAVY=\n" in r.stderr, r.stderr
    assert "L001" in r.stdout
