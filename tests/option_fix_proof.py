"""Differential execution for fixes that add an option to a command (``-y``, ``-l``, ``--non-interactive``) or
rename the program (``apt`` -> ``apt-get``): the build before and after the fix, run for real in the shell
sandbox with stub commands, must run the same commands in the same order, in the same directories and with
the same outcome, with each command failing in turn; the only difference allowed is the change itself in
the logged argv."""
from __future__ import annotations

import re

from dlint.fixer import fix_text
from dlint.settings import Settings
from dlint.shell import script_of
from dlint.syntax import parse
from shell_sandbox import Sandbox

STUBS = ("ok1", "ok2", "bad1", "sudo", "apt-get", "apt", "yum", "dnf", "zypper", "useradd", "wget", "apk")


def make_box(tmp_path_factory) -> Sandbox:
    box = Sandbox(str(tmp_path_factory.mktemp("root")))
    for name in STUBS:
        box.stub(name)
    return box


def steps_of(text: str):
    doc = parse(text)
    steps = []
    for ins in doc.stages[-1].instructions:
        if ins.name == "RUN":
            steps.append(("RUN", script_of(ins).text))
        elif ins.name == "WORKDIR":
            steps.append(("WORKDIR", ins.args))
        elif ins.name == "SHELL":
            steps.append(("SHELL", ins.json))
    return steps


def fixed(text: str, code: str, unsafe: bool = False) -> str:
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled={code}), unsafe)
    assert problem is None
    return new


def assert_only_change(box: Sandbox, original: str, after: str, change) -> int:
    """``change(log line of the original)`` -> the line the fixed build must log instead. Returns the number of
    builds compared (no failure, then each call failing in turn)."""
    assert original != after, "the fix changed nothing"
    before_steps, after_steps = steps_of(original), steps_of(after)
    log, _ = box.run_build(before_steps)
    failures = [None] + box.calls(log)
    for fail in failures:
        b_log, b_status = box.run_build(before_steps, fail=fail)
        a_fail = None if fail is None else (change(fail[0]), fail[1])
        a_log, a_status = box.run_build(after_steps, fail=a_fail)
        expected = [change(line.split(" | ", 1)[0]) + " | " + line.split(" | ", 1)[1] for line in b_log]
        assert (a_log, a_status) == (expected, b_status), f"\nfailing: {fail}\n--- original\n{original}\n--- fixed\n{after}"
    return len(failures)


def adds_after(word: str, option: str):
    """The change of a fix that inserts ``option`` right after the first argv word ``word``."""
    pattern = re.compile(rf"(^|\s){re.escape(word)}(?=\s|$)")

    def change(argv: str) -> str:
        return pattern.sub(lambda m: f"{m.group(0)} {option}", argv, count=1)

    return change
