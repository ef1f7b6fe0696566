"""Facts about a file that more than one rule reads, each computed in one place.

Rules never import one another: what two rules both need lives here, and is kept per file in the
context's memo (``ctx.memo``), so it is computed once whichever rule asks first.

- ``update_only_runs(ctx, stage)``: RUNs that update a package index and install nothing, with the RUN
  that installs later;
- ``install_managers(ctx, run)``: the package managers a RUN installs system packages with;
- ``pure_cleanups(ctx, run)``: the cleanups of a RUN that does nothing else (None otherwise);
- ``words_before(ctx, stage, run)``: the ENV/ARG names set before a RUN (``name in words``);
- ``package_cache_state(ctx, run, manager, words)``: the calls that leave ``manager``'s cache, and whether
  the RUN cleans it after them;
- ``makes_cache(call)``, ``avoids_cache(call, words)``: whether one package-manager call writes a cache;
- ``ships_an_application(ctx)``: whether the file builds an application image (not a dev, CI or base image).
"""
from __future__ import annotations

from ..cleanups import Cleanup, cleanup_of, cleans, mount_covers
from ..packages import PackageCall, catalogue

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional


# Managers whose cache each RUN writes afresh (cleaning one RUN never breaks a later one).
PER_RUN = ("apk", "pip", "uv", "dnf", "zypper", "npm", "yarn")


def makes_cache(call: PackageCall) -> bool:
    if call.manager == "apt":
        return call.kind == "update"
    if call.manager in ("npm", "yarn"):
        return call.kind == "install"
    if call.manager in ("pip", "uv"):
        return call.kind == "install"
    return call.kind in ("install", "update", "upgrade")


def avoids_cache(call: PackageCall, env) -> bool:
    m = catalogue()[call.manager]
    if any(call.has_option(f) for f in m.no_cache_flags):
        return True
    assigned = {a.split("=", 1)[0] for a in call.command.assignments}
    if any(s in env or s in assigned for s in m.env_switches):
        return True
    return False


class WordsBefore:
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


def words_before(ctx, stage, run) -> WordsBefore:
    # Per stage, once: where each word first appears in it, and the words of the stages it builds on
    # (one pass per RUN, or per chain of stages, was quadratic on long files).
    cache = ctx.memo("words_before")
    if stage.index not in cache:
        graph = ctx.graph
        inherited: frozenset = frozenset()
        for idx in reversed(graph.chain(stage.index)[1:]):
            if idx not in cache:
                cache[idx] = _stage_words(graph.stages[idx], inherited)
            inherited = cache[idx][2]
        cache[stage.index] = _stage_words(stage, inherited)
    inherited, first, _, positions = cache[stage.index]
    return WordsBefore(inherited, first, positions.get(id(run), len(positions)))


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


def package_cache_state(ctx, run, manager: str, env):
    """(calls making cache, cleaned after the last of them in this RUN)."""
    script = ctx.script(run)
    calls = [c for c in ctx.calls(run) if c.manager == manager and cleanup_of(c.command) is None]
    makers = [c for c in calls if makes_cache(c) and not avoids_cache(c, env)]
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


def update_only_runs(ctx, stage):
    """(update RUN, manager, later install RUN) triples in a stage."""
    runs = ctx.runs(stage)
    # From the last RUN back, the next RUN that installs with each manager (one pass, not a scan per RUN).
    found = []
    next_install: dict = {}
    for run in reversed(runs):
        calls = ctx.calls(run)
        installs = {c.manager for c in calls if c.kind in ("install", "upgrade")}
        for manager in sorted({c.manager for c in calls if c.kind == "update"} - installs, reverse=True):
            if manager in next_install:
                found.append((run, manager, next_install[manager]))
        for manager in installs:
            next_install[manager] = run
    yield from reversed(found)


def install_managers(ctx, ins):
    out = set()
    for c in ctx.calls(ins):
        if c.kind in ("install", "upgrade"):
            if c.manager in ("npm", "yarn", "pnpm") and not c.global_install:
                continue  # project dependencies belong to the project's own step
            out.add(c.manager)
    return out


_NEUTRAL = {"set", "true", ":"}


def pure_cleanups(ctx, run) -> Optional[List[Cleanup]]:
    script = ctx.script(run)
    if script is None or script.exec_form or not script.commands:
        return None
    out = []
    for cmd in script.commands:
        if cmd.name in _NEUTRAL:
            continue
        if cmd.context and any(c in cmd.context for c in ("condition", "substitution", "negated", "function")):
            return None
        c = cleanup_of(cmd)
        if c is None:
            return None
        out.append(c)
    return out or None


def ships_an_application(ctx) -> bool:
    """Whether the image starts an application of its own (see ``dlint.purpose``): images for development,
    CI or tests, bases for other builds, builders, tool and debug images, and machines to log into are not."""
    from .. import purpose

    return purpose.ships_an_application(ctx)
