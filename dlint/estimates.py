"""What each finding costs: the bytes of image it wastes, estimated from the Dockerfile alone.

After the rules have run, each finding of a layer or base-image rule gets ``estimated_bytes`` (an
integer, or None when unknown) and ``estimate_basis`` (what the number stands for). The figures come from
``data/byte_estimates.json`` (dated, with the source of each one) and are scaled by what the RUN installs
where that is known: the packages it names, the requirements or lock file it installs from.

Nothing here reads files: sizes from the build context come through the ``context`` object the command
passes in (``dlint.build_context.BuildContext``, plain data), which may be None (standard input, no readable directory).
A rule names its estimator in its metadata (``Rule(estimate=estimates.cache_in_layer)``); the estimate is
worked out from the instruction at the finding, the stage's base image and the package calls of that RUN.
"""
from __future__ import annotations

import bisect
import posixpath
from functools import lru_cache

from .data import load_json

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

TAR_BLOCK = 512  # a tar entry: one header block, its content padded to whole blocks
TAR_END = 1024  # two zero blocks end every layer tar
INDEX_CACHES = ("apk", "dnf")  # managers whose cache after an install is their index, not packages


def _layer(estimate: Callable) -> Callable:
    """Marks the estimator of a layer rule: a finding in a stage that does not ship wastes nothing."""
    estimate.shipped_stages_only = True
    return estimate


@lru_cache(maxsize=1)
def data() -> dict:
    return load_json("byte_estimates.json")


def format_bytes(n: Optional[int]) -> str:
    """``~38 MB`` (decimal units, as image sizes are usually given), ``~4 kB`` for small amounts."""
    if n is None:
        return "unknown"
    if n >= 999_500:
        mb = n / 1e6
        return f"~{mb:.0f} MB" if mb >= 9.95 else f"~{mb:.1f} MB"
    if n >= 1000:
        return f"~{round(n / 1000)} kB"
    return f"~{n} B"


class Estimate:
    __slots__ = ("bytes", "basis")

    def __init__(self, n: Optional[int], basis: str):
        self.bytes = n
        self.basis = basis


# ---------------------------------------------------------------------------------------------- release


def release_of(ref) -> Tuple[Optional[str], str]:
    """(key in the data's releases, how it was found) for a base image reference; (None, why) if unknown."""
    if ref is None:
        return None, "base image not known"
    d = data()
    releases = d["releases"]
    tag = (ref.tag or "latest").lower()
    name = ref.name
    for key, rel in releases.items():
        if key.startswith("_"):
            continue
        if rel["codename"] in tag.replace("_", "-").split("-"):
            return key, rel["label"]
    if name in ("debian", "ubuntu"):
        aliases = d["tag_aliases"][name]
        version = tag.split("-", 1)[0]
        key = aliases.get(version) or (f"{name}-{version}" if f"{name}-{version}" in releases else None)
        if key is not None:
            return key, releases[key]["label"]
        return None, f"{name} release of tag `{tag}` not known"
    family = d["image_families"].get(name)
    if family is not None:
        key = family["default"]
        if key is None:
            return None, family["why"]
        return key, f"{releases[key]['label']}, the release `{name}` images are built on unless the tag names another"
    return None, f"the distribution of `{ref.name}` is not known"


# ---------------------------------------------------------------------------------------------- helpers


class _State:
    """What one file's estimates share: instructions by offset, and what was counted already per stage."""

    def __init__(self, ctx, context):
        self.ctx = ctx
        self.context = context
        self.starts = [ins.start for ins in ctx.doc.instructions]
        self.counted: Dict[Tuple[int, str], Set[str]] = {}  # (stage, what) -> names already counted

    def instruction_at(self, offset: int):
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ctx.doc.instructions[i].end:
            return self.ctx.doc.instructions[i]
        return None

    def fresh(self, stage: int, what: str, names: Iterable[str]) -> List[str]:
        """The names not counted yet in this stage for ``what``; they count from now on."""
        seen = self.counted.setdefault((stage, what), set())
        out = [n for n in names if n not in seen]
        seen.update(out)
        return out


def _release(ctx, stage: int):
    return release_of(ctx.graph.root_base(stage).ref)


def _lists(ctx, stage: int, manager: str) -> Estimate:
    """The package index a manager's update leaves behind."""
    d = data()
    if manager == "apt":
        key, how = _release(ctx, stage)
        if key is None or not key.startswith(("debian", "ubuntu")):
            key, how = d["apt_lists_fallback"], f"{d['releases'][d['apt_lists_fallback']]['label']} ({how})"
        n = d["apt_lists"].get(key, {}).get("bytes")
        return Estimate(n, f"apt package lists of {how}" if n is not None else f"apt package lists of {how}: size unknown")
    other = d["indexes"].get(manager)
    if other is None or other["bytes"] is None:
        return Estimate(None, f"{manager} package index: size unknown")
    if "images" in other:  # a figure of some distributions only
        ref = ctx.graph.root_base(stage).ref
        if ref is None or ref.name not in other["images"]:
            known = ", ".join(other["images"])
            return Estimate(None, f"{manager} package index: size unknown on this base image (known on {known})")
    return Estimate(other["bytes"], other["what"])


def _apt_cache(ctx, stage: int) -> Estimate:
    """apt's downloaded .deb files and binary caches in /var/cache/apt after an install."""
    key, how = _release(ctx, stage)
    rel = data()["releases"].get(key) if key else None
    if rel is not None and rel.get("docker_clean"):
        return Estimate(0, "/var/cache/apt, which the base image keeps empty (docker-clean)")
    return Estimate(None, "apt's cache of downloaded packages: size unknown")


def _package_data(ctx, stage: int) -> Tuple[Optional[dict], str]:
    """Installed sizes of packages and what they pull in, for the stage's distribution; None if unknown."""
    key, how = _release(ctx, stage)
    spec = data()["apt_packages"]
    if key in spec["releases"]:
        return _apt_packages(spec["file"]), how
    ref = ctx.graph.root_base(stage).ref
    family = data()["image_families"].get(ref.name) if ref is not None else None
    distribution = key.split("-")[0] if key else (family or {}).get("distribution")
    if distribution in spec["distributions"]:
        return _apt_packages(spec["file"]), spec["label"]
    return None, how


@lru_cache(maxsize=2)
def _apt_packages(name: str) -> dict:
    return load_json(name)


def _packages_bytes(pk: dict, names: Iterable[str]) -> int:
    sizes = pk["sizes"]
    return sum(sizes.get(n, 0) for n in names)


def _plain_package(spec: str) -> str:
    """``curl=7.88*`` -> ``curl``; ``libfoo:amd64`` -> ``libfoo``."""
    for sep in ("=", ":"):
        spec = spec.split(sep, 1)[0]
    return spec.strip().lower()


def _stage_installed(ctx, stage: int) -> Set[str]:
    """Packages named by apt installs in this stage and the stages it builds on."""
    out: Set[str] = set()
    for idx in ctx.graph.chain(stage):
        for run in ctx.runs(ctx.graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager == "apt" and call.kind == "install":
                    out.update(_plain_package(p) for p in call.packages)
    return out


def _workdir_before(stage_obj, ins) -> str:
    workdir = "/"
    for other in stage_obj.instructions:
        if other is ins:
            break
        if other.name == "WORKDIR" and other.args:
            path = other.args.strip().strip("\"'")
            workdir = posixpath.normpath(posixpath.join(workdir, path)) if "$" not in path else workdir
    return workdir


def _copy_parts(ins) -> Tuple[List[str], Optional[str]]:
    words = ins.words()
    if ins.heredocs or len(words) < 2:
        return [], None
    return words[:-1], words[-1]


def _tar_bytes(files: int, content: int, dirs: int = 0) -> int:
    """Bytes a layer tar takes for these entries: a header per entry, each file's content padded to whole
    blocks (for several files, half a block of padding each on average)."""
    if files == 1:
        padded = -(-content // TAR_BLOCK) * TAR_BLOCK
    else:
        padded = content + files * (TAR_BLOCK // 2)
    return (files + dirs) * TAR_BLOCK + padded


def _copied(state: _State, ins) -> Tuple[Optional[int], Optional[int], str]:
    """(content bytes rounded to tar blocks, entries, what) of the local sources of a COPY/ADD; None if
    they cannot be read."""
    if state.context is None:
        return None, None, "build context not readable"
    if ins.flag("from") is not None:
        return None, None, f"copied from `{ins.flag('from').value}`, whose size is not known before building"
    sources, _ = _copy_parts(ins)
    total = files = dirs = 0
    for src in sources:
        if "://" in src:
            return None, None, "a download: size not known"
        found = state.context.stat(src)
        if found is None:
            return None, None, f"`{src}` not found in the build context"
        total += found[0]
        files += found[1]
        dirs += found[2]
    return total, (files, dirs), "copied files"


# ---------------------------------------------------------------------------------------------- per rule


@_layer
def package_index(state: _State, d, ins, stage: int) -> Estimate:
    for call in state.ctx.calls(ins):
        if call.kind == "update":
            if _lists_stay_after_merge(state.ctx, stage, ins, call.manager):
                return Estimate(0, f"none by itself: merged, the {call.manager} lists move into the installing "
                                   "RUN's layer, and a later RUN may still read them there")
            state.fresh(stage, "lists", [call.manager])
            return _lists(state.ctx, stage, call.manager)
    return Estimate(None, "package index: size unknown")


def _lists_stay_after_merge(ctx, stage: int, update_run, manager: str) -> bool:
    """Whether the lists an update-only RUN fetches stay in the image once it is merged into the RUN that
    installs: that RUN keeps them (it does not delete them) and a later RUN of the stage, or of a stage
    built on it, may install from them, so they cannot be deleted there either."""
    st = ctx.graph.stages[stage]
    runs = ctx.runs(st)
    k = runs.index(update_run) if update_run in runs else -1
    install = next((r for r in runs[k + 1:] if any(c.manager == manager and c.kind in ("install", "upgrade")
                                                    for c in ctx.calls(r))), None)
    if install is None or _cleans_lists(ctx, install, manager):
        return False
    from .shell import runs_unknown_code

    later = runs[runs.index(install) + 1:]
    for other in ctx.stages:
        if other.index != stage and stage in ctx.graph.chain(other.index)[1:]:
            later += ctx.runs(other)
    for r in later:
        script = ctx.script(r)
        if script is None or runs_unknown_code(script) or any(c.manager == manager for c in ctx.calls(r)):
            return True
    return False


@_layer
def repeated_package_database(state: _State, d, ins, stage: int) -> Estimate:
    ctx = state.ctx
    st = ctx.graph.stages[stage]
    runs = ctx.runs(st)
    try:
        first = runs.index(ins)
    except ValueError:
        return Estimate(None, "repeated package database: size unknown")
    group = [ins]
    manager = None
    for run in runs[first:]:
        calls = [c for c in ctx.calls(run) if c.kind in ("install", "upgrade")]
        if not calls:
            break
        manager = manager or calls[0].manager
        if run is not ins:
            if run.line > ins.line and any(c.manager == manager for c in calls):
                group.append(run)
            else:
                break
    figure = data()["package_database_per_layer"].get(manager or "")
    if figure is None or figure["bytes"] is None:
        return Estimate(None, f"{manager or 'package manager'} database written again in each layer: size unknown")
    n = (len(group) - 1) * figure["bytes"]
    basis = f"{manager} database and logs written again in {len(group) - 1} more layer{'s' * (len(group) != 2)}"
    # The first RUN updates the index and none of the group cleans it: merging also removes the lists.
    updates = any(c.kind == "update" for c in ctx.calls(ins))
    if updates and not any(_cleans_lists(ctx, r, manager) for r in group) and state.fresh(stage, "lists", [manager]):
        lists = _lists(ctx, stage, manager)
        if lists.bytes is not None:
            n += lists.bytes
            basis += f", and the {lists.basis}"
    return Estimate(n, basis)


def _cleans_lists(ctx, run, manager: str) -> bool:
    from .cleanups import cleanup_of, managers_of_path

    script = ctx.script(run)
    if script is None:
        return False
    for cmd in script.commands:
        c = cleanup_of(cmd)
        if c is not None and manager in c.managers and (not c.paths or any(manager in managers_of_path(p) for p in c.paths)):
            return True
    return False


def _cleaned_caches(ctx, ins) -> List[Tuple[str, str]]:
    """(manager, "lists" or "cache") a RUN deletes."""
    from .cleanups import cleanup_of, normalize
    from .packages import catalogue

    script = ctx.script(ins)
    out: List[Tuple[str, str]] = []
    if script is None:
        return out
    managers = catalogue()
    for cmd in script.commands:
        c = cleanup_of(cmd)
        if c is None:
            continue
        if not c.paths:  # the manager's own clean command
            out.extend((m, "cache") for m in sorted(c.managers))
            continue
        for p in c.paths:
            p = normalize(p)
            for m in sorted(c.managers):
                spec = managers[m]
                lists = [normalize(x) for x in spec.list_paths]
                if any(x == p or x.startswith(p.rstrip("/") + "/") or p.startswith(x + "/") for x in lists) and m == "apt":
                    out.append((m, "lists"))
                else:
                    out.append((m, "cache"))
    seen: Set[Tuple[str, str]] = set()
    return [x for x in out if not (x in seen or seen.add(x))]


@_layer
def earlier_caches(state: _State, d, ins, stage: int) -> Estimate:
    ctx = state.ctx
    total = 0
    parts: List[str] = []
    unknown: List[str] = []
    for manager, what in _cleaned_caches(ctx, ins):
        if not state.fresh(stage, what, [manager]):
            continue
        if manager == "apt" and what == "lists":
            e = _lists(ctx, stage, "apt")
        elif manager == "apt":
            e = _apt_cache(ctx, stage)
        else:
            e = _earlier_caches(state, ins, stage, manager)
        if e.bytes is None:
            unknown.append(e.basis)
        else:
            total += e.bytes
            parts.append(e.basis)
    if not parts and unknown:
        return Estimate(None, unknown[0])
    if not parts:
        return Estimate(None, "caches of earlier layers: size unknown")
    return Estimate(total, "; ".join(parts))


def _earlier_caches(state: _State, ins, stage: int, manager: str) -> Estimate:
    st = state.ctx.graph.stages[stage]
    total = 0
    bases: List[str] = []
    count = 0
    lines: List[str] = []
    for run in state.ctx.runs(st):
        if run.line >= ins.line:
            break
        for call in state.ctx.calls(run):
            if call.manager == manager and (call.kind == "install" or _go_build(call)):
                e = _cache_of_call(state, st, run, call)
                if e.bytes is None:
                    return e
                if manager in INDEX_CACHES:  # one index, however many RUNs fetched it
                    return e
                total += e.bytes
                bases.append(e.basis)
                count += e.bytes // data()["caches"][manager]["bytes_per_package"]
                lines.append(str(run.line))
    if not bases:
        return Estimate(None, f"{manager} cache: size unknown")
    if len(bases) == 1:
        return Estimate(total, bases[0])
    unit = "programs built" if manager == "go" else "packages"
    return Estimate(total, f"{data()['caches'][manager]['what']} for {count} {unit} (lines {', '.join(lines)})")


def _cache_of_call(state: _State, st, run, call) -> Estimate:
    """The download cache an install call leaves, from how many packages it installs."""
    if call.manager in INDEX_CACHES:  # what stays is the index it fetched, not the packages
        return _lists(state.ctx, st.index, call.manager)
    caches = data()["caches"]
    spec = caches.get(call.manager)
    if spec is None or spec.get("bytes_per_package") is None:
        return Estimate(None, f"{call.manager} cache: size unknown")
    per = spec["bytes_per_package"]
    count, what = _install_count(state, st, run, call, spec)
    if count is None:
        return Estimate(None, f"{spec['what']}: size unknown ({what})")
    return Estimate(count * per, f"{spec['what']} for {count} {what}")


def _go_build(call) -> bool:
    """``go build`` fills Go's build cache as ``go install`` does."""
    return call.manager == "go" and call.subcommand == "build"


def _install_count(state: _State, st, run, call, spec) -> Tuple[Optional[int], str]:
    names = [p for p in call.packages if p and not p.startswith(".")]
    if call.manager == "go":  # the figure is per program: each remote one named, or the local one
        n = max(1, len([p for p in names if "@" in p]))
        return n, "program" + "s" * (n != 1) + " built"
    files = []
    opts = call.options
    for i, o in enumerate(opts):
        if o in ("-r", "--requirement") and i + 1 < len(opts):
            files.append(opts[i + 1])
        elif o.startswith("--requirement="):
            files.append(o.split("=", 1)[1])
        elif o.startswith("-r") and len(o) > 2:
            files.append(o[2:])
    if call.manager == "npm" and not names and call.subcommand in ("ci", "install", "i"):
        files.append("package-lock.json")
    if call.manager == "yarn" and not names and call.subcommand == "install":
        files.append("yarn.lock")
    if not files:
        if not names:
            return None, "packages not named"
        return len(names), "package" + "s" * (len(names) != 1) + " named"
    count = len(names)
    for f in files:
        kind = "npm-lock" if f.endswith("package-lock.json") else "yarn-lock" if f.endswith("yarn.lock") else "requirements"
        n = _context_count(state, st, run, f, kind)
        if n is None:
            return None, f"`{f}` not readable in the build context"
        count += n
    kind = "packages in the lock file" if call.manager in ("npm", "yarn") else "requirements"
    return count, kind


def _context_count(state: _State, st, run, image_path: str, kind: str) -> Optional[int]:
    """Count the entries of a requirements or lock file the RUN reads, from the build context file a
    COPY put there."""
    if state.context is None:
        return None
    target = posixpath.normpath(posixpath.join(_workdir_before(st, run), image_path))
    found = None
    for ins in st.instructions:
        if ins is run:
            break
        if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
            continue
        sources, dest = _copy_parts(ins)
        if dest is None:
            continue
        dest_abs = posixpath.normpath(posixpath.join(_workdir_before(st, ins), dest))
        for src in sources:
            base = posixpath.basename(src.rstrip("/"))
            if dest.endswith("/") or len(sources) > 1 or dest in (".", "./"):
                if posixpath.join(dest_abs, base) == target:
                    found = src
                elif src in (".", "./") and target.startswith(dest_abs.rstrip("/") + "/"):
                    found = target[len(dest_abs.rstrip("/")) + 1:]
            elif dest_abs == target:
                found = src
    if found is None:
        return None
    return state.context.count(found, kind)


@_layer
def cache_in_layer(state: _State, d, ins, stage: int) -> Estimate:
    ctx = state.ctx
    st = ctx.graph.stages[stage]
    calls = ctx.calls(ins)
    total = 0
    parts: List[str] = []
    unknown: Optional[str] = None
    cleaned = {m for m, _ in _cleaned_caches(ctx, ins)}
    for call in calls:
        if call.kind != "install" or call.manager in cleaned:
            continue
        if call.manager == "apt":
            if any(c.kind == "update" and c.manager == "apt" for c in calls) and state.fresh(stage, "lists", ["apt"]):
                e = _lists(ctx, stage, "apt")
            else:
                continue
        else:
            spec = data()["caches"].get(call.manager, {})
            if any(call.has_option(flag) for flag in spec.get("off_flags", ())):
                continue
            e = _cache_of_call(state, st, ins, call)
        if e.bytes is None:
            unknown = unknown or e.basis
        else:
            total += e.bytes
            parts.append(e.basis)
    if not parts:
        return Estimate(None, unknown or "cache: size unknown")
    return Estimate(total, "; ".join(parts))


def _apt_installs_at(ctx, ins, d) -> list:
    """The apt installs of RUN ``ins`` the finding ``d`` is on (all of them when it is on none)."""
    calls = [c for c in ctx.calls(ins) if c.manager == "apt" and c.kind == "install"]
    script = ctx.script(ins)
    if script is not None and script.pieces and len(calls) > 1:
        at = [c for c in calls if script.file_offset(c.command.start) <= d.start < script.file_offset(c.command.end)]
        calls = at or calls
    return calls


@_layer
def recommended_packages(state: _State, d, ins, stage: int) -> Estimate:
    ctx = state.ctx
    pk, how = _package_data(ctx, stage)
    if pk is None:
        return Estimate(None, f"recommended packages on {how}: sizes unknown")
    calls = _apt_installs_at(ctx, ins, d)
    explicit = _stage_installed(ctx, stage)
    recommends = pk["recommends"]
    names: List[str] = []
    unknown = []
    for call in calls:
        for p in call.packages:
            name = _plain_package(p)
            if name in recommends:
                names.extend(r for r in recommends[name] if r not in explicit)
            elif name:
                unknown.append(name)
    if not names and unknown:
        return Estimate(None, f"packages recommended by {', '.join(unknown[:3])}: sizes unknown")
    return _packages_estimate(state, stage, pk, "recommends", names, unknown,
                              lambda k: f"{k} recommended package{'s' * (k != 1)} ({how}, installed size)")


@_layer
def files_stored_again(state: _State, d, ins, stage: int) -> Estimate:
    """A RUN that only changes mode or owner: the files are stored again, in tar form."""
    ctx = state.ctx
    st = ctx.graph.stages[stage]
    script = ctx.script(ins)
    targets: List[str] = []
    workdir = _workdir_before(st, ins)
    if script is not None:
        for cmd in script.commands:
            values = cmd.values()
            if values and values[0] in ("chmod", "chown", "chgrp"):
                args = [v for v in values[1:] if v is not None and not v.startswith("-")]
                targets.extend(posixpath.normpath(posixpath.join(workdir, a)) for a in args[1:])
    best = None
    for other in st.instructions:
        if other is ins:
            break
        if other.name not in ("COPY", "ADD"):
            continue
        sources, dest = _copy_parts(other)
        if dest is None:
            continue
        dest_abs = posixpath.normpath(posixpath.join(_workdir_before(st, other), dest))
        for t in targets:
            if t == dest_abs or t.startswith(dest_abs.rstrip("/") + "/") or dest_abs.startswith(t.rstrip("/") + "/"):
                best = (other, t, dest_abs)
    if best is None:
        return Estimate(None, "files stored again: size unknown")
    copy, target, dest_abs = best
    if state.context is None or copy.flag("from") is not None:
        _, _, why = _copied(state, copy)
        return Estimate(None, f"files stored again: size unknown ({why})")
    sources, dest = _copy_parts(copy)
    if target != dest_abs and target.startswith(dest_abs.rstrip("/") + "/"):
        # one file below the destination directory: the source of that name
        name = target[len(dest_abs.rstrip("/")) + 1:]
        picked = [s for s in sources if posixpath.basename(s.rstrip("/")) == name.split("/")[0]]
        sources = picked or sources
    content = files = dirs = 0
    for src in sources:
        found = state.context.stat(src)
        if found is None:
            return Estimate(None, f"files stored again: `{src}` not found in the build context")
        content += found[0]
        files += found[1]
        dirs += found[2]
    entries = files + dirs
    parents = max(0, target.strip("/").count("/"))  # the directories above the target, each an entry
    n = _tar_bytes(files, content, dirs + parents) + TAR_END
    return Estimate(n, f"{entries} entr{'y' if entries == 1 else 'ies'} stored again ({content:,} bytes of content, as tar)")


@_layer
def copied_files(state: _State, d, ins, stage: int) -> Estimate:
    content, entries, why = _copied(state, ins)
    if content is None:
        return Estimate(None, f"copied files: size unknown ({why})")
    files, dirs = entries
    return Estimate(_tar_bytes(files, content, dirs) + TAR_END, f"the copied files ({content:,} bytes of content, as tar)")


@_layer
def extra_layers(state: _State, d, ins, stage: int) -> Estimate:
    return Estimate(None, "layers, not bytes: merging RUNs saves layers; bytes unknown")


def full_base_image(state: _State, d, ins, stage: int) -> Estimate:
    """A full base image against the distroless one the finding recommends: the size of one minus the other,
    both from the data file; unknown when either is not listed there."""
    from .app_stack import detect_stack
    from .distroless import recommend

    ctx = state.ctx
    sizes = data()["base_images"]
    ref = ctx.graph.root_base(stage).ref
    key = _hub_key(ref)
    full = sizes["images"].get(key) if key else None
    rec = recommend(detect_stack(ctx, stage))
    small = sizes["distroless"].get(rec.image) if rec is not None else None
    if full is None or full.get("bytes") is None:
        shown = key or (ref.text if ref is not None else "the base image")
        return Estimate(None, f"full base image against a distroless one: size of `{shown}` unknown")
    if rec is None or small is None or small.get("bytes") is None:
        shown = rec.image if rec is not None else "the distroless image"
        return Estimate(None, f"full base image against a distroless one: size of `{shown}` unknown")
    n = max(0, full["bytes"] - small["bytes"])
    return Estimate(n, f"`{key}` ({format_bytes(full['bytes'])}) against `{rec.image}` ({format_bytes(small['bytes'])})")


def _hub_key(ref) -> Optional[str]:
    """``name:tag`` of an official Docker Hub image (as the data lists them), None for any other image."""
    if ref is None or ref.registry is not None:  # Docker Hub is None, however it was spelled
        return None
    if "/" in ref.path or ref.digest is not None and ref.tag is None:
        return None
    return f"{ref.path}:{(ref.tag or 'latest').lower()}"


def build_tools(state: _State, d, ins, stage: int) -> Estimate:
    ctx = state.ctx
    pk, how = _package_data(ctx, stage)
    if pk is None:
        return Estimate(None, f"build tools on {how}: sizes unknown")
    from .base_images import is_toolchain_package

    calls = _apt_installs_at(ctx, ins, d)
    closure = pk["closure"]
    names: List[str] = []
    unknown = []
    for call in calls:
        for p in call.packages:
            name = _plain_package(p)
            if not p or not is_toolchain_package(p):
                continue
            if name in closure:
                names.extend(closure[name])
            else:
                unknown.append(name)
    if not names:
        return Estimate(None, f"build tools ({', '.join(unknown[:3]) or 'not named'}): sizes unknown")
    return _packages_estimate(state, stage, pk, "toolchain", names, unknown,
                              lambda k: f"build tools and their dependencies, {k} packages ({how}, installed size)")


def _packages_estimate(state: _State, stage: int, pk, what: str, names: List[str], unknown: List[str],
                       describe: Callable[[int], str]) -> Estimate:
    """The installed size of the packages ``names`` not counted yet in this stage for ``what``, with
    ``describe(how many)`` as the basis and the packages whose size is unknown named after it."""
    fresh = state.fresh(stage, what, sorted(set(names)))
    basis = describe(len(fresh))
    if unknown:
        basis += f"; not counted: {', '.join(unknown[:3])}"
    return Estimate(_packages_bytes(pk, fresh), basis)


def estimate_all(ctx, diags, estimators: Dict[str, Callable], context=None) -> None:
    """Set ``estimated_bytes`` and ``estimate_basis`` on each finding of a rule that has an estimator (in
    file order). ``estimators``: rule code -> the function of this module the rule declares
    (``Rule(estimate=...)``)."""
    wanted = [d for d in diags if d.code in estimators]
    if not wanted:
        return
    state = _State(ctx, context)
    for d in sorted(wanted, key=lambda d: (d.start, d.code)):
        ins = state.instruction_at(d.start)
        if ins is None:
            continue
        stage = ctx.graph.stage_index(ins)
        if stage is None:
            continue
        estimate = estimators[d.code]
        if getattr(estimate, "shipped_stages_only", False) and stage not in ctx.graph.shipping:
            d.estimated_bytes, d.estimate_basis = 0, "none in the image: this stage does not ship"
            continue
        e = estimate(state, d, ins, stage)
        d.estimated_bytes, d.estimate_basis = e.bytes, e.basis
