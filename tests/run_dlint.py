"""Running the real `dlint` command from the tests, on this checkout."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Two findings with safe fixes (L001 and L002): `dlint fix` rewrites it, `dlint check` exits 1.
GOOD = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"


def env():
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")


def dlint(*args, cwd, timeout=300, extra_env=None, **kwargs):
    try:
        return subprocess.run([sys.executable, "-m", "dlint", *args], cwd=cwd, env={**env(), **(extra_env or {})},
                              capture_output=True,
                              timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        pytest.fail(f"dlint {' '.join(args[:3])} ... did not finish within {timeout} s")


def out(proc):
    return proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def errors(proc):
    """The error lines on stderr."""
    return [line for line in out(proc)[1].splitlines() if ": error: " in line]


def assert_no_crash(proc):
    stdout, stderr = out(proc)
    assert "Traceback" not in stdout + stderr and "internal error" not in stdout + stderr, (stdout + stderr)[-3000:]
