"""Runs the enabled rules over a parsed Dockerfile and applies the ignore comments to their findings."""
from __future__ import annotations

import bisect

from .context import Context
from .diagnostics import Edit
from .suppressions import Suppressions

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Iterable, List, Optional

    from .diagnostics import Diagnostic
    from .settings import Settings
    from .syntax import Document


# Files with at least this many instructions share their rules with a helper process when a core is free:
# below it, forking (and the copies the helper makes of the pages it touches) costs more than it saves.
SPLIT_MIN_INSTRUCTIONS = 3000


def _check_one(ctx: Context, rule) -> List[Diagnostic]:
    ctx.rule = rule
    return list(rule.check(ctx))


def _check_split(ctx: Context, chosen: list) -> Optional[Dict[str, List[Diagnostic]]]:
    """The findings of each rule, with some rules run by a forked copy of this process while this one runs
    the others; None when that is not possible here. Same findings as running them in turn."""
    import os

    # The helper runs the rules whose metadata says ``heavy``: together about half of the rule time on long
    # files, and they share work (the WORKDIR/ENV walk and the parsed COPYs) that the others do not need.
    theirs = [r for r in chosen if r.heavy]
    mine = [r for r in chosen if not r.heavy]
    if not theirs or not mine or not hasattr(os, "fork"):
        return None
    import pickle
    import signal

    # Both halves need every RUN's shell commands and package calls: made once, before the fork.
    for stage in ctx.stages:
        for run in ctx.runs(stage):
            ctx.calls(run)
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the helper: its findings go through the pipe, then it leaves without any cleanup
        status = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C is reported by the parent alone
            data = pickle.dumps({r.code: _check_one(ctx, r) for r in theirs}, pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        found = {r.code: _check_one(ctx, r) for r in mine}
        chunks = []
        while True:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if status == 0 and chunks:
        found.update(pickle.loads(b"".join(chunks)))
    else:  # the helper failed: run its rules here, so that an error shows as it would have
        found.update({r.code: _check_one(ctx, r) for r in theirs})
    return found


def rule_runs(rule, settings: Settings) -> bool:
    """Whether ``rule`` runs with ``settings`` (its code is enabled, or one of its finding codes)."""
    if rule.code in settings.enabled:
        return True
    if rule.subcodes is None:
        return False
    code = rule.code
    # asked for every rule of every file: the codes of other rules are passed over without a call
    return any(rule.owns(c) for c in settings.enabled if c.startswith(code) and c not in settings.ignored)


def _selected(rule, code: str, settings: Settings) -> bool:
    """Whether a finding reported under its own ``code`` by ``rule`` is selected."""
    return (rule.code in settings.enabled or code in settings.enabled) and code not in settings.ignored


def check_rules(path: str, doc: Document, settings: Settings, rules: Iterable) -> List[Diagnostic]:
    from . import rules as registry

    ctx = Context(path, doc, settings)
    chosen = [rule for rule in rules if rule_runs(rule, settings)]
    found = None
    if settings.spare_core and len(doc.instructions) >= SPLIT_MIN_INSTRUCTIONS:
        found = _check_split(ctx, chosen)
    if found is None:
        found = {rule.code: _check_one(ctx, rule) for rule in chosen}
    diags: List[Diagnostic] = [d for rule in chosen for d in found[rule.code]
                               if d.code == rule.code or _selected(rule, d.code, settings)]
    if settings.ignored:  # findings ignored by their own code (``SC2086``) or hadolint code (``DL3042``)
        diags = [d for d in diags if d.code not in settings.ignored and d.hadolint not in settings.ignored]
    if not diags:
        return diags
    sup = Suppressions(doc, registry.resolve_for_suppression)  # no warnings needed here
    starts = [ins.start for ins in doc.instructions]  # in file order, not overlapping
    out = []
    for d in diags:
        owner = None
        stage = None
        i = bisect.bisect_right(starts, d.start) - 1
        if i >= 0 and d.start < doc.instructions[i].end:
            owner, stage = starts[i], ctx.graph.stage_index(doc.instructions[i])
        found_by = None if d.code in registry.BY_CODE else registry.owner(d.code)
        family = found_by.code if found_by is not None else None
        # with disable-ignore-pragma the comments suppress nothing (a fix still leaves them where they are)
        if settings.disable_ignore_pragma or not sup.suppressed(d, owner, stage, family):
            out.append(d)
    if sup.comment_spans:
        _drop_fixes_moving_pragmas(out, sup)
    out.sort(key=lambda d: (d.line, d.column, d.code))
    if out:
        from .estimates import estimate_all

        estimate_all(ctx, out, registry.ESTIMATORS, settings.context)
    return out


def _drop_fixes_moving_pragmas(diags: List[Diagnostic], sup: "Suppressions") -> None:
    """A fix that would delete or move an ignore comment, or pull the instruction it applies to into
    another one, would change what the comment means: such a finding is reported without a fix."""
    spans = [Edit(start, end, "") for start, end in sup.comment_spans]
    spans.extend(Edit(start, start + 1, "") for start in sup.targets)
    for d in diags:
        if d.fix is None:
            continue
        if any(e.overlaps(span) for e in d.fix.edits for span in spans):
            d.fix = None
            d.no_fix_reason = "it would move an ignore comment or what the comment applies to"
