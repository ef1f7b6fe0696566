"""Ctrl-C at any moment of a run, starting up included: exit status 130, "Aborted!", no traceback, and a file
being fixed is either as it was or fully fixed.

Python handles a Ctrl-C itself until the first statement of dlint's own code runs (its start-up, ``site``,
and the import of the ``dlint`` package that ``python -m dlint`` does first): there the process is killed by
the signal, or Python prints its own traceback. The tests send the signal from that first statement on, at
chosen moments (deterministically), and at a few moments after the process started (any outcome Python
itself gives before dlint's code runs is accepted there, and nothing else).
"""
import os
import re
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "dlint")
GOOD = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")

# Runs what ``python -m dlint ARGS`` runs, with SIGINT sent to itself as the AT-th function or module
# starts after dlint/__main__.py began (AT 0: never); writes how many started to $CALLS_FILE.
LAUNCHER = r'''
import os, runpy, signal, sys

at = int(sys.argv[1])
calls = 0
main_file = os.path.join(os.environ["DLINT_PACKAGE"], "__main__.py")


def count(frame, event, arg):
    global calls
    if calls == 0 and frame.f_code.co_filename != main_file:
        return None
    calls += 1
    if calls == at:
        os.kill(os.getpid(), signal.SIGINT)
    return None


sys.argv = ["dlint", *sys.argv[2:]]
sys.settrace(count)
try:
    runpy._run_module_as_main("dlint")
finally:
    sys.settrace(None)
    with open(os.environ["CALLS_FILE"], "w") as fh:
        fh.write(str(calls))
'''


def env(tmp_path):
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1",
                DLINT_PACKAGE=PACKAGE, CALLS_FILE=str(tmp_path / "calls"))


def launch(tmp_path, at, args):
    launcher = tmp_path / "launcher.py"
    launcher.write_text(LAUNCHER)
    r = subprocess.run([sys.executable, str(launcher), str(at), *args], cwd=tmp_path / "work", env=env(tmp_path),
                       capture_output=True, timeout=300)
    return r, int((tmp_path / "calls").read_text())


def moments(total):
    """Spread over the whole run, dense at the start, where the imports are."""
    points = {2, 3, 4, 6, 10, 30, 100, 300, 1000, 3000, 10000, total // 2, total - 100, total - 10}
    return sorted(p for p in points if 2 <= p <= total)


@pytest.mark.parametrize("args", [["check", "Dockerfile"],  # without click
                                  ["check", "--format", "json", "Dockerfile"],
                                  ["fix", "--extend-select", "L005", "Dockerfile"]], ids=["check", "check-options", "fix"])
def test_interrupt_at_any_moment(tmp_path, args):
    work = tmp_path / "work"
    work.mkdir()
    (work / "Dockerfile").write_bytes(GOOD)
    r, total = launch(tmp_path, 0, args)
    assert r.returncode == 1 and b"Traceback" not in r.stderr, r.stderr
    fixed = (work / "Dockerfile").read_bytes()
    assert (fixed != GOOD) == (args[0] == "fix")
    assert total > 1000  # the run really went through imports and checking
    for at in moments(total):
        (work / "Dockerfile").write_bytes(GOOD)
        r, _ = launch(tmp_path, at, args)
        stderr = r.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr, (at, stderr)
        assert r.returncode == 130, (at, r.returncode, stderr)
        assert stderr.endswith("Aborted!\n"), (at, stderr)
        assert (work / "Dockerfile").read_bytes() in (GOOD, fixed), at
        assert os.listdir(work) == ["Dockerfile"], at  # no temporary file left


def started_in_dlint(stderr: str) -> bool:
    """Whether a traceback goes through dlint's code beyond the import of the package itself."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', stderr)
    return any(os.path.dirname(os.path.abspath(f)) == PACKAGE and os.path.basename(f) != "__init__.py"
               and line != "0" for f, line in frames)


@pytest.mark.parametrize("delay", [0, 0.01, 0.03, 0.06, 0.1, 0.2])
def test_interrupt_soon_after_start(tmp_path, delay):
    (tmp_path / "Dockerfile").write_bytes(GOOD)
    proc = subprocess.Popen([sys.executable, "-m", "dlint", "check", "Dockerfile"], cwd=tmp_path, env=env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    stderr = stderr.decode("utf-8", "replace")
    if "Traceback" in stderr:  # Python's own start-up was interrupted
        assert not started_in_dlint(stderr), stderr
        return
    # killed before Python handled SIGINT (or after its exit began), stopped by dlint, or done already
    assert proc.returncode in (-signal.SIGINT, 130, 1), (proc.returncode, stderr)
    if proc.returncode == 130:
        assert stderr.endswith("Aborted!\n")


def test_started_in_dlint_sees_dlint_frames():
    inside = f'Traceback (most recent call last):\n  File "{PACKAGE}/entry.py", line 20, in main\nKeyboardInterrupt\n'
    outside = ('Traceback (most recent call last):\n  File "<frozen site>", line 616, in <module>\n'
               f'  File "{PACKAGE}/__init__.py", line 1, in <module>\nKeyboardInterrupt\n')
    assert started_in_dlint(inside) and not started_in_dlint(outside)


def children(pid: int) -> list:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return fh.read().split()
    except OSError:
        return []


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                    reason="needs /proc to see the worker processes")
def test_ctrl_c_reaches_workers_too(tmp_path):
    """A terminal's Ctrl-C goes to every process of the foreground group: only one "Aborted!", no traceback
    from a worker."""
    for i in range(200):
        (tmp_path / f"{i:03d}.Dockerfile").write_bytes(GOOD + f"# file {i}\n".encode())
    proc = subprocess.Popen([sys.executable, "-m", "dlint", "check", "-q", "."], cwd=tmp_path, env=env(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert children(proc.pid), "no worker processes were started"
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    stderr = stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode == 130 and stderr == "Aborted!\n", (proc.returncode, stderr)
