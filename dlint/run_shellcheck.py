"""Running ShellCheck (the optional extra ``dlint[shellcheck]``) over the scripts of one Dockerfile.

All the scripts of a file go to one ``shellcheck`` process, each as a file of its own in a private temporary
directory; ShellCheck reads them and reports, it runs nothing. When many files are checked, the command
layer hands the scripts of all of them to a few processes first (``dlint.rules._shellcheck.prefetch``):
each file then finds its answers here and starts no process of its own. Its findings come back per script, in the
script's own lines and columns (1-based, a tab counting as one column, as ShellCheck's ``json1`` format
reports them). Answers are kept for the run, by script text: a script checked once is not checked again
(``dlint fix`` checks the text again after each round of fixes).

Without the ``shellcheck`` program nothing is run and nothing is reported here: the command layer says once
per run that the ShellCheck checks are off (``MISSING``).
"""
from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

MISSING = ("ShellCheck checks (SC codes) are off: the shellcheck program was not found; "
           "install it with `pip install 'dlint[shellcheck]'`")

# Codes ShellCheck is never asked for, as hadolint leaves them out by default: SC2187 (ash is checked as
# dash, a note about the shell rather than the script), SC1090 and SC1091 (a sourced file ShellCheck cannot
# follow: only a shell comment directive could tell it where, and a RUN has no place for one).
EXCLUDED = ("SC1090", "SC1091", "SC2187")

# A process that takes longer than this is stopped, and its file's scripts get no ShellCheck finding.
TIMEOUT_SECONDS = 60

_cache: Dict[str, List[dict]] = {}
_CACHE_LIMIT = 200_000  # scripts (a corpus of 2,000 Dockerfiles has about 15,000)
_BATCH = 2000  # scripts per process at most (command lines stay short)
_binary: Dict[str, Optional[str]] = {}
invocations = 0  # processes started in this process (for the tests: one per file at most)


def binary() -> Optional[str]:
    """The path of the ``shellcheck`` program: beside this Python's scripts first (where the extra installs
    it, in a virtual environment that is not on PATH), then on PATH; None when there is none."""
    if "path" not in _binary:
        import shutil
        import sysconfig

        found = None
        name = "shellcheck.exe" if os.name == "nt" else "shellcheck"
        for directory in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
            candidate = os.path.join(directory or "", name)
            if directory and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                found = candidate
                break
        _binary["path"] = found or shutil.which("shellcheck")
    return _binary["path"]


def missing_notice(settings_list) -> Optional[str]:
    """``MISSING`` the first time in this process that a file is checked with the ShellCheck rule enabled
    and there is no ``shellcheck`` program; None otherwise."""
    if _binary.get("told") or not settings_list:
        return None
    from .engine import rule_runs
    from .rules import BY_CODE

    rule = BY_CODE.get("SC")
    if rule is None or not any(rule_runs(rule, s) for s in settings_list) or binary() is not None:
        return None
    _binary["told"] = "yes"
    return MISSING


def check_scripts(scripts: List[str], workers: int = 1) -> List[List[dict]]:
    """ShellCheck's findings for each script (``json1`` comments: line, column, endLine, endColumn, level,
    code, message), with one process for all those not checked before (or ``workers`` running side by
    side, for many scripts); [] for each when there is no program or it fails."""
    todo = [s for s in dict.fromkeys(scripts) if s not in _cache]
    program = binary()
    if todo and program is not None:
        if len(_cache) + len(todo) > _CACHE_LIMIT:
            _cache.clear()
        _cache.update(zip(todo, _run(program, todo, workers)))
    return [_cache.get(s, []) for s in scripts]


def _run(program: str, scripts: List[str], workers: int) -> List[List[dict]]:
    import subprocess
    import tempfile

    global invocations
    out: List[List[dict]] = [[] for _ in scripts]
    count = max(1, min(workers, len(scripts) // 50), -(-len(scripts) // _BATCH))
    size = -(-len(scripts) // count)
    with tempfile.TemporaryDirectory(prefix="dlint-shellcheck-") as tmp:
        index = {}
        for i, script in enumerate(scripts):
            name = os.path.join(tmp, f"{i}.sh")
            # one replacement character for each byte that is not UTF-8: columns stay where they were
            with open(name, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
                fh.write(script)
            index[name] = i
        names = list(index)
        running = []
        for k in range(0, len(names), size):
            report = os.path.join(tmp, f"report-{k}.json")
            try:
                with open(report, "wb") as sink:
                    proc = subprocess.Popen([program, "--norc", "--format=json1", "--exclude=" + ",".join(EXCLUDED),
                                             *names[k:k + size]], stdin=subprocess.DEVNULL, stdout=sink,
                                            stderr=subprocess.DEVNULL, cwd=tmp)
            except OSError:
                continue
            invocations += 1
            running.append((proc, report))
        for proc, report in running:
            try:
                proc.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                continue
            try:
                with open(report, "rb") as fh:
                    comments = json.loads(fh.read().decode("utf-8", "replace")).get("comments", [])
            except (OSError, ValueError, AttributeError):
                continue
            for c in comments if isinstance(comments, list) else ():
                i = index.get(c.get("file")) if isinstance(c, dict) else None
                if i is not None:
                    out[i].append(c)
    return out
