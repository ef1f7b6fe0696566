"""What cache-left-in-layer (L004) and cache-left-in-build-stage (L009) report: a package manager's cache
or index left in the layer that made it, in the stages that ship or in the others."""
from __future__ import annotations

from ..rule import SAFE, UNSAFE
from .._regex import lazy_compile
from ..cleanups import MountUnknown, cache_mounts, covers, mount_covers, mount_targets, rough_size
from ..diagnostics import Edit, Fix
from ..packages import PackageCall, catalogue
from ._facts import PER_RUN, install_managers, package_cache_state, pure_cleanups, update_only_runs, words_before

_WORD_SPLIT = lazy_compile(r"[^\w.-]+")  # a command line's words, to find a tool named in a nested shell

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional


CLEAN_COMMAND = {
    "apt": "rm -rf /var/lib/apt/lists/*",
    "apk": "rm -rf /var/cache/apk/*",
    "zypper": "zypper clean --all",
    "npm": "npm cache clean --force",
    "yarn": "yarn cache clean",
}
FLAG = {"apk": "--no-cache", "pip": "--no-cache-dir", "uv": "--no-cache"}


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


# Where apt keeps downloaded packages under the cache mount on /var/cache/apt: out of reach of the
# ``docker-clean`` hook of the Debian and Ubuntu images, which deletes /var/cache/apt/archives/*.deb after
# every install (an ``-o`` option cannot remove a hook: ``-o DPkg::Post-Invoke::=`` only adds one).
APT_ARCHIVES = "/var/cache/apt/debs/"
# Options that name a cache directory on the command line: the mount would miss it.
_CACHE_OPTIONS = ("--cache-dir", "--cache", "--cache-folder", "--store-dir", "--cachedir")
_ROOT_USERS = ("root", "0", "root:root", "0:0", "root:0", "0:root")


def _user_at(ctx, stage, run) -> Optional[str]:
    """The USER in force at ``run`` (None: none set in the Dockerfile, root unless the base image says not)."""
    user = None
    chain = ctx.graph.chain(stage.index)
    for idx in reversed(chain):
        for ins in ctx.graph.stages[idx].instructions:
            if ins is run:
                return user
            if ins.name == "USER":
                user = ins.args.strip()
    return user


def _targets(ctx, stage, run, manager: str, tool: str):
    """(targets with their sharing mode, uid for the mount or None): where the cache of ``manager`` is for
    ``run`` (the USER, HOME and variables in force); None when the data has none. Raises MountUnknown."""
    from ._stage_walk import stage_workdirs_and_envs

    user = _user_at(ctx, stage, run)
    env_at = stage_workdirs_and_envs(ctx, stage)[id(run)].env
    words = words_before(ctx, stage, run)
    script = ctx.script(run)

    def env(name):
        value = env_at.get(name)
        if value is None and name in words:
            raise MountUnknown(f"{name} is set to a value that is not known here")
        return value

    for cmd in script.commands if script is not None else ():
        names = {a.split("=", 1)[0] for a in cmd.assignments}
        if cmd.name == "export":
            names |= {(w.value or "").split("=", 1)[0] for w in cmd.words[1:]}
        names.discard("DEBIAN_FRONTEND")
        if names & {"HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "PIP_CACHE_DIR", "UV_CACHE_DIR", "npm_config_cache",
                    "NPM_CONFIG_CACHE", "YARN_CACHE_FOLDER", "npm_config_store_dir", "GOCACHE", "GOMODCACHE",
                    "GOPATH", "CARGO_HOME", "COMPOSER_HOME", "COMPOSER_CACHE_DIR", "GEM_HOME", "GRADLE_USER_HOME"}:
            raise MountUnknown("the RUN moves the cache with a variable of its own")
    for c in ctx.calls(run):
        if c.manager == manager and c.has_option(*_CACHE_OPTIONS):
            raise MountUnknown("the command names its cache directory")
    uid = None
    root = user is None or user in _ROOT_USERS
    home = env("HOME")
    if root:
        home = home or "/root"
    else:
        import re

        m = re.fullmatch(r"([0-9]+)(?::[0-9]+)?", user)
        if m is None:
            raise MountUnknown(f"a cache mount belongs to root unless given a uid, and USER {user} does not tell it")
        uid = m.group(1)
    targets = mount_targets(manager, tool, home, root, env)
    return (targets, uid) if targets is not None else None


def _mounted(ctx, stage, run, manager: str, makers) -> bool:
    """Whether cache mounts on ``run`` already hold every place ``manager`` keeps its cache for this user."""
    mounts = cache_mounts(run)
    if not mounts:
        return False
    try:
        got = _targets(ctx, stage, run, manager, makers[-1].tool)
    except MountUnknown:
        return False
    return got is not None and all(any(covers(m, t) for m in mounts) for t, _ in got[0])


def _yarn_berry(ctx, makers) -> bool:
    """Whether the yarn called is yarn 2 or later: flags only it has, a .yarnrc.yml in the build context, or
    corepack (which brings the version package.json names) run in the file."""
    if any(c.has_option("--immutable", "--immutable-cache", "--check-cache", "--mode") for c in makers):
        return True
    bc = ctx.build_context
    if bc is not None and bc.has(".yarnrc.yml"):
        return True
    return any(cmd.name == "corepack" for stage in ctx.stages for r in ctx.runs(stage)
               for cmd in (ctx.script(r).commands if ctx.script(r) is not None else ()))


def _mount_fix(ctx, stage, run, manager: str, makers: List[PackageCall]) -> (Optional[Fix], str):
    """Give ``run`` cache mounts on the manager's cache (``cache-strategy = "mount"``)."""
    try:
        got = _targets(ctx, stage, run, manager, makers[-1].tool)
    except MountUnknown as exc:
        return None, f"where the cache is for this RUN is not known: {exc}"
    if got is None:
        return None, f"no known cache location of {manager} for a cache mount"
    if manager == "yarn" and _yarn_berry(ctx, makers):
        return None, "yarn 2 or later keeps its cache where .yarnrc.yml says (often in the project), not in yarn 1's cache"
    targets, uid = got
    have = cache_mounts(run)
    flags = "".join(f"--mount=type=cache,target={t}" + (f",sharing={sharing}" if sharing else "")
                    + (f",uid={uid}" if uid else "") + " "
                    for t, sharing in targets if not any(covers(m, t) for m in have))
    text = ctx.doc.text
    at = run.start
    while at < run.end and text[at] in " \t\ufeff":
        at += 1
    at += 3  # the RUN keyword
    while at < run.end and text[at] in " \t":
        at += 1
    edits = [Edit(at, at, flags)]
    if manager == "apt":
        script = ctx.script(run)
        if script is None or script.exec_form or not script.pieces:
            return None, "exec-form or heredoc RUN: the apt options that keep the downloads cannot be added"
        for c in ctx.calls(run):
            if c.manager != "apt" or c.kind not in ("install", "upgrade") or c.tool not in ("apt-get", "apt"):
                continue
            if any(o.startswith("Dir::Cache") for o in c.options) or any(
                    (w.value or "").startswith("Dir::Cache") for w in c.command.words):
                continue
            sub = next((w for w in c.command.words if w.value == c.subcommand), None)
            if sub is None:
                return None, "the apt command is not literal"
            keep = "-o APT::Keep-Downloaded-Packages=true " if c.tool == "apt" else ""
            pos = script.file_offset(sub.start)
            edits.append(Edit(pos, pos, f"-o Dir::Cache::Archives={APT_ARCHIVES} {keep}"))
    # A legacy builder fails on RUN --mount: safe only where the file already needs BuildKit.
    # Under another user the builder makes the missing parents of the target (~/.cache) as root's: unsafe.
    buildkit = uid is None and (ctx.doc.directive("syntax") is not None or any(
        f.name == "mount" for ins in ctx.doc.instructions if ins.name == "RUN" for f in ins.flags))
    shown = ", ".join(t for t, _ in targets)
    return Fix(f"Give the RUN a cache mount on {shown}", SAFE if buildkit else UNSAFE, edits), ""



def findings(ctx, shipped: bool):
    """The caches left in the layers of the stages that ship (``shipped``), or of the other stages (what
    cache-left-in-build-stage, L009, reports: cleanup-in-later-layer and consecutive-installs report only
    in stages that ship, so nothing is left to them there)."""
    for stage in ctx.stages:
        if ctx.is_shipping(stage) != shipped:
            continue
        # Later RUNs are those of this stage: the stages it builds on come before it.
        stage_runs = ctx.runs(stage)
        following = {id(a): b for a, b in zip(stage.instructions, stage.instructions[1:])}
        later_facts = None
        update_only = None
        for k, run in enumerate(stage_runs):
            env = words_before(ctx, stage, run)
            managers = sorted({c.manager for c in ctx.calls(run)})
            for manager in managers:
                if manager not in PER_RUN and manager != "apt":
                    continue
                makers, clean = package_cache_state(ctx, run, manager, env)
                if clean or _mounted(ctx, stage, run, manager, makers):
                    continue
                # consecutive-installs merges it with the next RUN: the cache is still in this layer (and
                # reported), but a cleanup here would run before the merged install, so no fix
                merged = shipped and _merged_into_next(ctx, stage, run, following.get(id(run)), manager)
                if ctx.enabled("L001"):
                    if update_only is None:
                        update_only = {(id(r), m) for r, m, _ in update_only_runs(ctx, stage)}
                    if (id(run), manager) in update_only:
                        continue  # update-without-install reports this RUN and its index
                if shipped and ctx.enabled("L003") and _deleted_later(ctx, stage, run, manager):
                    continue  # a later cleanup-only RUN: cleanup-in-later-layer reports it
                if later_facts is None:
                    later_facts = _later_users(ctx, stage, stage_runs)
                fix, why = None, ""
                user = later_facts[k].get(manager) if manager in ("apt", "apk") else None
                opaque_user = user is not None and (id(user), manager) in later_facts.opaque
                if merged:
                    why = (f"consecutive-installs (L002) merges this RUN with the next one (line "
                           f"{following[id(run)].line}): clean once, after the merged install")
                elif user is not None and not opaque_user:
                    why = f"line {user.line} may install from these lists later"
                elif ctx.settings.cache_strategy == "mount":
                    fix, why = _mount_fix(ctx, stage, run, manager, makers)
                elif any(mount_covers(run, [p]) or any(_under(m, p) for m in cache_mounts(run))
                         for p in catalogue()[manager].cache_paths if p.startswith("/")):
                    why = "a cache mount is on the cache: a cleanup would empty it"
                else:
                    fix, why = _fix(ctx, stage, run, manager, makers)
                    if fix is not None and opaque_user:
                        # Provable only if that RUN installs nothing with the manager: it runs code that
                        # cannot be seen here (a script, make), so the fix is offered as unsafe.
                        fix = Fix(f"{fix.title} (assumes line {user.line} does not install with {manager})",
                                  UNSAFE, fix.edits)
                what = {"apt": "the apt package lists (/var/lib/apt/lists)", "apk": "the apk cache",
                        "pip": "pip's download cache", "uv": "uv's cache", "dnf": f"the {makers[-1].tool} metadata and package cache",
                        "zypper": "the zypper cache", "npm": "npm's cache (~/.npm)", "yarn": "yarn's cache"}[manager]
                cmd = makers[-1].command
                script = ctx.script(run)
                line, col = ctx.doc.line_col(script.file_offset(cmd.start))
                text = " ".join(x for x in (makers[-1].tool, makers[-1].subcommand) if x)
                plural = what.endswith("lists (/var/lib/apt/lists)")
                msg = (f"`{text}` (line {line}, column {col}) leaves {what} in this layer, and no command after "
                       f"it in this RUN removes {'them' if plural else 'it'} ({rough_size(manager)}); "
                       + ("clean in the same RUN" if ctx.settings.cache_strategy != "mount"
                          else "keep it in a cache mount of the RUN"))
                yield ctx.at_instruction(run, msg, fix, no_fix_reason=why,
                                         hadolint=_hadolint_code(manager, makers[-1].tool))


# The hadolint rule for each manager's cache (hadolint has none for npm's or uv's); the dnf family splits
# into yum's (DL3032) and dnf's (DL3040, which covers microdnf too).
_HADOLINT = {"apt": "DL3009", "apk": "DL3019", "pip": "DL3042", "yarn": "DL3060", "zypper": "DL3036"}


def _hadolint_code(manager: str, tool: str) -> Optional[str]:
    if manager == "dnf":
        return "DL3032" if tool == "yum" else "DL3040" if tool in ("dnf", "microdnf") else None
    return _HADOLINT.get(manager)


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
    from ..shell import runs_unknown_code

    tools = {m: catalogue()[m].tools for m in ("apt", "apk")}

    opaque_runs = set()

    def uses(r):
        out = {}
        script = ctx.script(r)
        text = script.text if script is not None else r.args
        opaque = script is None or runs_unknown_code(script)
        words = set(_WORD_SPLIT.split(text))
        for m, names in tools.items():
            seen = any(c.manager == m for c in ctx.calls(r)) or any(t in words for t in names)
            if seen or opaque:
                out[m] = r
            if opaque and not seen and script is not None:
                opaque_runs.add((id(r), m))  # it may use the lists only through code it does not show
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
    return _LaterUsers(out, opaque_runs)


class _LaterUsers(list):
    """Per RUN, per manager, the first later RUN that may install from its lists; ``opaque``: (id, manager)
    of those that may only through code they do not show (a script, make)."""

    def __init__(self, items, opaque):
        super().__init__(items)
        self.opaque = opaque


def _merged_into_next(ctx, stage, run, nxt, manager: str) -> bool:
    """Whether consecutive-installs will merge ``run`` with the RUN right after it (``nxt``)."""
    if not ctx.enabled("L002"):
        return False
    from .. import purpose

    if purpose.image_purpose(ctx) == purpose.ENVIRONMENT:
        return False  # consecutive-installs leaves development, CI and build images alone
    if nxt is None or nxt.name != "RUN":
        return False
    if manager not in install_managers(ctx, run) or manager not in install_managers(ctx, nxt):
        return False
    fix, _ = ctx.merge_fix(stage, run, nxt, "")
    return fix is not None
