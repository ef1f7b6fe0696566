"""L004: a package manager's cache or index is left in the layer that made it."""
from __future__ import annotations

from ..rule import SAFE, Rule
from .._regex import lazy_compile
from ..caches import cache_mounts, cleanup_of, cleans, mount_covers, rough_size
from ..diagnostics import Edit, Fix
from ..packages import PackageCall, catalogue
from .cleanup_in_later_layer import pure_cleanups

_WORD_SPLIT = lazy_compile(r"[^\w.-]+")  # a command line's words, to find a tool named in a nested shell

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional

RULE = Rule(
    code="L004",
    name="cache-left-in-layer",
    severity="warning",
    summary="A package manager's download cache or index stays in the layer that created it",
    hadolint=("DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3036", "DL3040"),
    fix=SAFE,
    defers_to=("L001", "L002", "L003"),
)

# Managers whose cache each RUN writes afresh (cleaning one RUN never breaks a later one).
PER_RUN = ("apk", "pip", "uv", "dnf", "zypper", "npm", "yarn")
CLEAN_COMMAND = {
    "apt": "rm -rf /var/lib/apt/lists/*",
    "apk": "rm -rf /var/cache/apk/*",
    "zypper": "zypper clean --all",
    "npm": "npm cache clean --force",
    "yarn": "yarn cache clean",
}
FLAG = {"apk": "--no-cache", "pip": "--no-cache-dir", "uv": "--no-cache"}


def _makes_cache(call: PackageCall) -> bool:
    if call.manager == "apt":
        return call.kind == "update"
    if call.manager in ("npm", "yarn"):
        return call.kind == "install"
    if call.manager in ("pip", "uv"):
        return call.kind == "install"
    return call.kind in ("install", "update", "upgrade")


def _avoids_cache(call: PackageCall, env) -> bool:
    m = catalogue()[call.manager]
    if any(call.has_option(f) for f in m.no_cache_flags):
        return True
    assigned = {a.split("=", 1)[0] for a in call.command.assignments}
    if any(s in env or s in assigned for s in m.env_switches):
        return True
    return False


class _WordsBefore:
    """``word in env``: whether an ENV or ARG before a given instruction (in its stage or the stages it
    builds on) has that word."""

    def __init__(self, inherited: frozenset, first: dict, position: int):
        self.inherited = inherited
        self.first = first
        self.position = position

    def __contains__(self, word) -> bool:
        return word in self.inherited or self.first.get(word, self.position) < self.position


def _words_of(ins) -> List[str]:
    return ins.args.replace("=", " = ").split() if ins.name in ("ENV", "ARG") else []


def _env_before(ctx, stage, run) -> _WordsBefore:
    # Per stage, once: where each word first appears in it, and the words of the stages it builds on
    # (one pass per RUN, or per chain of stages, was quadratic on long files).
    cache = ctx.__dict__.setdefault("_l004_words_before", {})
    if stage.index not in cache:
        graph = ctx.graph
        inherited: frozenset = frozenset()
        for idx in reversed(graph.chain(stage.index)[1:]):
            if idx not in cache:
                cache[idx] = _stage_words(graph.stages[idx], inherited)
            inherited = cache[idx][2]
        cache[stage.index] = _stage_words(stage, inherited)
    inherited, first, _, positions = cache[stage.index]
    return _WordsBefore(inherited, first, positions.get(id(run), len(positions)))


def _stage_words(stage, inherited: frozenset):
    """(words before the stage, first position of each word in it, words through its end, positions)."""
    first: dict = {}
    positions: dict = {}
    for n, ins in enumerate(stage.instructions):
        positions[id(ins)] = n
        for word in _words_of(ins):
            first.setdefault(word, n)
    through = inherited | frozenset(first) if first else inherited
    return inherited, first, through, positions


def _state(ctx, run, manager: str, env):
    """(calls making cache, cleaned after the last of them in this RUN)."""
    script = ctx.script(run)
    calls = [c for c in ctx.calls(run) if c.manager == manager and cleanup_of(c.command) is None]
    makers = [c for c in calls if _makes_cache(c) and not _avoids_cache(c, env)]
    if not makers:
        return [], True
    spec = catalogue()[manager]
    if mount_covers(run, spec.list_paths or spec.cache_paths[:1]):
        return makers, True
    last_use = max(c.command.start for c in makers)
    for cmd in script.commands:
        if cmd.start <= last_use:
            continue
        cl = cleanup_of(cmd)
        # `apt-get clean` empties /var/cache/apt/archives, not the lists
        if cl is not None and manager in cl.managers and (manager != "apt" or cleans(cl, spec.list_paths)):
            return makers, True
    # `export PIP_NO_CACHE_DIR=1` earlier in the same RUN
    for cmd in script.commands:
        if cmd.name == "export" and any(
                (w.value or "").split("=", 1)[0] in spec.env_switches for w in cmd.words[1:]):
            return makers, True
    return makers, False


def _fix(ctx, stage, run, manager: str, makers: List[PackageCall]) -> (Optional[Fix], str):
    title = f"Clean the {manager} cache in the same RUN"
    if manager in FLAG and not (manager == "apk" and any(c.kind == "update" for c in makers)):
        script = ctx.script(run)
        if script is None or script.exec_form or not script.pieces:
            return None, "exec-form or heredoc RUN"
        edits = []
        for c in makers:
            sub = next((w for w in c.command.words if w.value == c.subcommand), None)
            if sub is None:
                return None, "the install command is not literal"
            at = script.file_offset(sub.end)
            edits.append(Edit(at, at, " " + FLAG[manager]))
        return Fix(f"Add {FLAG[manager]}", "safe", edits), ""
    if manager == "dnf":
        tool = makers[-1].tool
        command = f"{tool} clean all"
    elif manager in ("pip", "uv"):
        return None, "pip needs its flag on each install"
    else:
        command = CLEAN_COMMAND.get(manager)
    if command is None:
        return None, "no known cleanup"
    return ctx.append_fix(stage, run, command, title)


def check(ctx):
    from .update_without_install import update_only_runs

    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue
        # Later RUNs are those of this stage: the stages it builds on come before it.
        stage_runs = ctx.runs(stage)
        following = {id(a): b for a, b in zip(stage.instructions, stage.instructions[1:])}
        later_facts = None
        update_only = None
        for k, run in enumerate(stage_runs):
            env = _env_before(ctx, stage, run)
            managers = sorted({c.manager for c in ctx.calls(run)})
            for manager in managers:
                if manager not in PER_RUN and manager != "apt":
                    continue
                makers, clean = _state(ctx, run, manager, env)
                if clean:
                    continue
                if _merged_into_next(ctx, stage, run, following.get(id(run)), manager):
                    continue  # consecutive-installs merges it with the next RUN; the finding moves there
                if ctx.enabled("L001"):
                    if update_only is None:
                        update_only = {(id(r), m) for r, m, _ in update_only_runs(ctx, stage)}
                    if (id(run), manager) in update_only:
                        continue  # update-without-install reports this RUN and its index
                if ctx.enabled("L003") and _deleted_later(ctx, stage, run, manager):
                    continue  # a later cleanup-only RUN: cleanup-in-later-layer reports it
                if later_facts is None:
                    later_facts = _later_users(ctx, stage, stage_runs)
                fix, why = None, ""
                user = later_facts[k].get(manager) if manager in ("apt", "apk") else None
                if user is not None:
                    why = f"line {user.line} may install from these lists later"
                elif any(mount_covers(run, [p]) or any(_under(m, p) for m in cache_mounts(run))
                         for p in catalogue()[manager].cache_paths if p.startswith("/")):
                    why = "a cache mount is on the cache: a cleanup would empty it"
                else:
                    fix, why = _fix(ctx, stage, run, manager, makers)
                what = {"apt": "the apt package lists (/var/lib/apt/lists)", "apk": "the apk cache",
                        "pip": "pip's download cache", "uv": "uv's cache", "dnf": f"the {makers[-1].tool} metadata and package cache",
                        "zypper": "the zypper cache", "npm": "npm's cache (~/.npm)", "yarn": "yarn's cache"}[manager]
                cmd = makers[-1].command
                script = ctx.script(run)
                line, col = ctx.doc.line_col(script.file_offset(cmd.start))
                text = " ".join(x for x in (makers[-1].tool, makers[-1].subcommand) if x)
                plural = what.endswith("lists (/var/lib/apt/lists)")
                msg = (f"`{text}` (line {line}, column {col}) leaves {what} in this layer, and no command after "
                       f"it in this RUN removes {'them' if plural else 'it'} ({rough_size(manager)}); clean in the "
                       "same RUN")
                yield ctx.at_instruction(run, msg, fix, no_fix_reason=why)


def _under(outer: str, inner: str) -> bool:
    return inner.startswith(outer.rstrip("/") + "/")


def _deleted_later(ctx, stage, run, manager: str) -> bool:
    """Whether a later RUN that only deletes removes what ``run`` left of ``manager``'s cache."""
    from ._made import stage_made

    made = stage_made(ctx, stage)
    for deletions in made.deletions.values():
        for d in deletions:
            if d.made.kind == manager and d.made.creators and d.made.creators[-1] is run \
                    and pure_cleanups(ctx, d.run):
                return True
    return False


def _later_users(ctx, stage, runs):
    """For each RUN of ``runs`` (by position): per manager (apt, apk), the first later RUN (in this stage,
    then in the stages built on it) that may install from that manager's lists: it calls the manager, names
    its tool in a nested shell (``sh -c "apt-get ..."``), or runs a script we cannot see. One pass from the
    end, plus one over the child stages."""
    from ._made import runs_unknown_code

    tools = {m: catalogue()[m].tools for m in ("apt", "apk")}

    def uses(r):
        out = {}
        script = ctx.script(r)
        text = script.text if script is not None else r.args
        opaque = script is None or runs_unknown_code(script)
        words = set(_WORD_SPLIT.split(text))
        for m, names in tools.items():
            if opaque or any(c.manager == m for c in ctx.calls(r)) or any(t in words for t in names):
                out[m] = r
        return out

    child_user = {}
    graph = ctx.graph
    for other in ctx.stages:
        if other.index != stage.index and stage.index in graph.chain(other.index)[1:]:
            for r in ctx.runs(other):
                for m, u in uses(r).items():
                    child_user.setdefault(m, u)
    out = [dict()] * len(runs)
    after = dict(child_user)
    for k in range(len(runs) - 1, -1, -1):
        out[k] = dict(after)
        after.update(uses(runs[k]))
    return out


def _merged_into_next(ctx, stage, run, nxt, manager: str) -> bool:
    """Whether consecutive-installs will merge ``run`` with the RUN right after it (``nxt``)."""
    if not ctx.enabled("L002"):
        return False
    from .consecutive_installs import install_managers

    if nxt is None or nxt.name != "RUN":
        return False
    if manager not in install_managers(ctx, run) or manager not in install_managers(ctx, nxt):
        return False
    fix, _ = ctx.merge_fix(stage, run, nxt, "")
    return fix is not None
