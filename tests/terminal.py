"""Running dlint with its standard error on a pseudo-terminal (where the progress line shows)."""
import os
import select
import subprocess
import sys

import pytest


def run_with_terminal_stderr(args, cwd):
    """Run dlint with stderr on a pseudo-terminal and stdout on a pipe; (exit code, stdout, stderr)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = dict(os.environ)
    env.pop("DLINT_NO_PROGRESS", None)
    proc = subprocess.Popen([sys.executable, "-m", "dlint", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    err = b""
    out_chunks = []
    streams = [master, proc.stdout.fileno()]
    while streams:
        ready, _, _ = select.select(streams, [], [])
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal side closes with EIO once the process is gone
                data = b""
            if not data:
                streams.remove(fd)
            elif fd == master:
                err += data
            else:
                out_chunks.append(data)
    os.close(master)
    return proc.wait(), b"".join(out_chunks).decode(), err.decode()
