"""Runs RUN bodies for real, in a chroot holding only /bin/sh and stub commands that log their argv, working
directory, umask and chosen environment variables. Used to prove that fixes keep what a build does."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import Dict, Iterable, List, Optional, Tuple

LOG = "/sandbox.log"
_NAME_OK = re.compile(r"[A-Za-z0-9_.+/-]+\Z")


def available() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and os.path.exists("/bin/sh")


def _libs(binary: str) -> List[str]:
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return re.findall(r"(/\S+)", out)


def has_bash() -> bool:
    return os.path.exists("/bin/bash")


class Sandbox:
    def __init__(self, root: str):
        self.root = root
        shell = os.path.realpath("/bin/sh")
        binaries = [shell] + ([os.path.realpath("/bin/bash")] if has_bash() else [])
        for binary in binaries:
            for path in [binary] + _libs(binary):
                dest = os.path.join(root, path.lstrip("/"))
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                if not os.path.exists(dest):
                    shutil.copy2(path, dest)
        os.makedirs(os.path.join(root, "bin"), exist_ok=True)
        if not os.path.exists(os.path.join(root, "bin", "sh")):
            shutil.copy2(shell, os.path.join(root, "bin", "sh"))
        if has_bash() and not os.path.exists(os.path.join(root, "bin", "bash")):
            shutil.copy2(os.path.realpath("/bin/bash"), os.path.join(root, "bin", "bash"))
        for d in ("usr/bin", "tmp", "root", "work/d1", "work/d2", "var/lib/apt/lists"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        self.stubs = set()
        self.known = self._tree()

    def _tree(self):
        out = set()
        for base, dirs, files in os.walk(self.root):
            for name in dirs + files:
                out.add(os.path.join(base, name))
        return out

    def restore(self) -> None:
        """Remove whatever earlier runs created, so that every build starts from the same files."""
        for path in sorted(self._tree() - self.known, key=len, reverse=True):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.lexists(path):
                os.unlink(path)

    def stub(self, name: str) -> None:
        """An executable that logs its call; names starting with ``bad`` fail with status 1, and so does the
        ``FAIL_NTH``-th call whose argv (name and arguments joined by blanks) is ``FAIL_CMD``, when the build
        sets those (see ``run_build``'s ``fail``)."""
        name = name.strip()
        if name in self.stubs or not _NAME_OK.match(name) or name in (".", "..") or "/../" in name:
            return
        path = name if name.startswith("/") else "/usr/bin/" + name
        dest = os.path.join(self.root, path.lstrip("/"))
        if os.path.isdir(dest) or os.path.basename(path) in ("sh", "dash", "bash"):
            return
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
        except OSError:  # a name that collides with a stub already there (`/usr/bin/env/x`)
            return
        status = 1 if os.path.basename(name).startswith("bad") else 0
        with open(dest, "w") as fh:
            fh.write(
                "#!/bin/sh\n"
                # read stdin to its end first: in `a | b`, b then logs after a, whatever the scheduling
                "while read -r _; do :; done\n"
                f"printf '%s\\n' \"{name} $* | cwd=$(pwd) | umask=$(umask) | X=${{X-unset}} Y=${{Y-unset}}\" >> {LOG}\n"
                # the FAIL_NTH-th call of the argv FAIL_CMD fails: count this argv's lines in the log
                f"if [ \"{name} $*\" = \"${{FAIL_CMD-}}\" ]; then\n"
                "  n=0\n"
                f"  while IFS= read -r line; do [ \"${{line%% | *}}\" = \"$FAIL_CMD\" ] && n=$((n+1)); done < {LOG}\n"
                "  [ \"$n\" = \"${FAIL_NTH-}\" ] && exit 1\n"
                "fi\n"
                f"exit {status}\n"
            )
        os.chmod(dest, 0o755)
        self.stubs.add(name)
        self.known |= {dest}
        parent = os.path.dirname(dest)
        while parent.startswith(self.root) and parent != self.root:
            self.known.add(parent)
            parent = os.path.dirname(parent)

    def reset_log(self) -> None:
        path = os.path.join(self.root, LOG.lstrip("/"))
        with open(path, "w"):
            pass
        self.known.add(path)

    def log(self) -> List[str]:
        with open(os.path.join(self.root, LOG.lstrip("/"))) as fh:
            return fh.read().splitlines()

    def run_build(self, steps: Iterable[Tuple[str, object]], timeout: float = 10.0,
                  fail: Optional[Tuple[str, int]] = None) -> Tuple[List[str], Optional[int]]:
        """Run steps like a build: ("RUN", script), ("WORKDIR", dir), ("ENV", {k: v}), ("SHELL", argv).
        Stops at the first failing RUN. ``fail`` = (argv, n) makes the n-th call of that stub argv fail.
        Returns (log, status of the failing RUN or None)."""
        self.restore()
        self.reset_log()
        cwd = "/work"
        env: Dict[str, str] = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/root"}
        if fail is not None:
            env["FAIL_CMD"], env["FAIL_NTH"] = fail[0], str(fail[1])
        shell = ["/bin/sh", "-c"]
        root = self.root
        for kind, value in steps:
            if kind == "SHELL":
                shell = list(value)
                continue
            if kind == "WORKDIR":
                cwd = value if value.startswith("/") else os.path.join(cwd, value)
                os.makedirs(os.path.join(root, cwd.lstrip("/")), exist_ok=True)
            elif kind == "ENV":
                env.update(value)
            elif kind == "RUN":
                def enter(cwd=cwd):
                    os.chroot(root)
                    os.chdir(cwd)
                    os.umask(0o022)

                proc = subprocess.run(shell + [value], preexec_fn=enter, env=env, timeout=timeout,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if proc.returncode != 0:
                    return self.log(), proc.returncode
        return self.log(), None

    def calls(self, log: List[str]) -> List[Tuple[str, int]]:
        """(argv, n) for every stub call in a log: the failures ``run_build`` can inject, one at a time."""
        seen: Dict[str, int] = {}
        out = []
        for line in log:
            argv = line.split(" | ", 1)[0]
            seen[argv] = seen.get(argv, 0) + 1
            out.append((argv, seen[argv]))
        return out


# What fixes add or move on purpose (cleanups, cache flags): left out when comparing logs before and after.
ADDED_FLAGS = (" --no-cache-dir", " --no-cache", " --no-install-recommends")


def without_cleanups(log):
    """The log less the cleanup commands fixes add or move, and less the cache flags they add."""
    out = []
    for line in log:
        argv = line.split(" | ", 1)[0]
        if argv.startswith("rm ") or re.search(r"\b(auto|dist)?clean\b|\bcache (purge|clean)\b", argv):
            continue
        for flag in ADDED_FLAGS:
            line = line.replace(flag, "")
        out.append(line)
    return out
