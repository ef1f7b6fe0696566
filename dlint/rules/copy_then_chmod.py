"""L006: a RUN that only changes the mode or owner of files a COPY/ADD added: they are stored twice."""
from __future__ import annotations

from ..rule import SAFE, Rule

import posixpath
import re
from fnmatch import fnmatchcase

from .._records import dataclass, field
from ..diagnostics import Edit, Fix
from ._copies import (Copy, Entry, PathRef, copy_at, display, glob_matches, is_ancestor, resolve, shell_word,
                      stage_places)
from ._paths import PathIndex

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

RULE = Rule(
    code="L006",
    name="copy-then-chmod",
    severity="warning",
    summary="A RUN only changes the mode or owner of files a COPY/ADD added; the files are stored twice",
    fix=SAFE,
    heavy=True,
)

_TOOLS = ("chmod", "chown", "chgrp")
_FOLLOW_OPTIONS = {"-c", "-f", "-v", "--changes", "--silent", "--quiet", "--verbose", "--preserve-root",
                   "--no-preserve-root"}
_SYMBOLIC = re.compile(r"[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*\Z")
# Octal modes COPY --chmod sets exactly; setuid/setgid/sticky bits are left out (not carried reliably).
_OCTAL = re.compile(r"0?[0-7]{3}\Z")
_ID = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_OWNER = re.compile(rf"(?P<user>{_ID})?(?::(?P<group>{_ID}))?\Z")
_NO_OPS = ("set", "true", ":")  # allowed beside the changes (``set -ex``, ``|| true``)
_RANK = {"exact": 0, "probable": 1, "cover": 2}
_USER_DATABASE = ("/etc/passwd", "/etc/group")  # where --chown looks names up
# Directories every image with a chown command has; COPY --chown gives the directories it creates to the
# owner too, so a --chown is only exact when the destination's directory exists already.
_STANDARD_DIRS = frozenset({"/", "/bin", "/sbin", "/etc", "/home", "/root", "/tmp", "/usr", "/usr/bin", "/usr/sbin",
                            "/usr/lib", "/usr/share", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/var"})


@dataclass
class Change:
    """One chmod/chown/chgrp command."""

    tool: str
    value: Optional[str]  # mode or owner; None when not literal or taken from --reference
    recursive: bool
    plain: bool  # only options that do not change what is changed (-v, -f, -c, -R)
    targets: List[Optional[PathRef]] = field(default_factory=list)
    command: object = None


def parse_change(cmd, workdir: str, env: Dict[str, str]) -> Optional[Change]:
    words = cmd.words
    if not words or words[0].value not in _TOOLS:
        return None
    tool = words[0].value
    change = Change(tool, None, False, not (cmd.assignments or cmd.redirects or cmd.background), command=cmd)
    positional: List = []
    options_done = False
    for w in words[1:]:
        v = w.value
        if positional or options_done or v is None or not v.startswith("-") or v == "-" or (
                tool == "chmod" and _SYMBOLIC.match(v)):
            if v == "--" and not options_done and not positional:
                options_done = True
                continue
            positional.append(w)
            continue
        if v == "--":
            options_done = True
        elif v == "--recursive":
            change.recursive = True
        elif v.startswith("--reference"):
            change.plain = False
            positional.append(None)  # the mode or owner comes from another file
        elif v.startswith("--"):
            if v not in _FOLLOW_OPTIONS:
                change.plain = False
        else:
            for letter in v[1:]:
                if letter == "R":
                    change.recursive = True
                elif letter not in "cfv":
                    change.plain = False
    if len(positional) < 2:
        return None
    first = positional[0]
    change.value = first.value if first is not None else None
    for w in positional[1:]:
        parsed = shell_word(w.text)
        change.targets.append(None if parsed is None else resolve(parsed[0], workdir, env, glob=parsed[1]))
    return change


def match(entry: Entry, target: PathRef, recursive: bool) -> Optional[str]:
    """How a chmod/chown of ``target`` reaches what ``entry`` copied: ``exact`` (that file), ``cover``
    (a recursive change of it or a directory above it), ``probable`` (a file inside a copied directory)."""
    path, t = entry.path, target.path
    if target.glob:
        if entry.kind == "file" and glob_matches(t, path):
            return "cover"
        if recursive and glob_matches(t, path, prefix=True):
            return "cover"
        if entry.kind != "file" and path != "/" and is_ancestor(path, t) and (
                entry.kind == "tree" or posixpath.dirname(t) == path):
            return "probable"
        return None
    if entry.kind == "file":
        if t == path:
            return "exact"
        if recursive and is_ancestor(t, path):
            return "cover"
        return None
    if t == path or is_ancestor(t, path):
        return "cover" if recursive else None
    if is_ancestor(path, t) and path != "/":  # a tree copied to / says nothing about a path below it
        if entry.kind == "tree":
            return "probable"
        if posixpath.dirname(t) == path and fnmatchcase(t.rsplit("/", 1)[-1], entry.pattern):
            return "probable"
    return None


def _touches(ctx, run, target: PathRef, recursive: bool, place) -> bool:
    """Whether a RUN between the COPY and the chmod may replace, move or delete the target."""
    if target.glob:
        return True
    if not recursive:
        base = target.path.rsplit("/", 1)[-1]
        return not base or base in ctx.doc.text[run.start:run.end]
    script = ctx.script(run)
    if script is None or script.has_error:
        return True
    names = [c.name for c in script.commands]
    has_cd = any(n in ("cd", "pushd") for n in names)
    for cmd in script.commands:
        if cmd.name not in ("rm", "mv"):
            continue
        for w in cmd.args:
            if w.value is not None and w.value.startswith("-"):
                continue
            parsed = shell_word(w.text)
            if parsed is None:
                return True
            if has_cd and not parsed[0].startswith(("/", "$")):
                return True
            ref = resolve(parsed[0], place.workdir, place.env, glob=parsed[1])
            if ref is None:
                return True
            if ref.glob:
                if glob_matches(ref.path, target.path, prefix=True) or is_ancestor(target.path, ref.path):
                    return True
            elif ref.path == target.path or is_ancestor(ref.path, target.path):
                return True
    return False


@dataclass
class Found:
    change: Change
    target: PathRef
    copy: Copy
    entry: Entry
    level: str
    adjacent: bool  # nothing between the COPY and the RUN that the change could depend on


def _copied_paths(ctx, stage, places, copies) -> PathIndex:
    """The entry paths of the stage's COPY/ADDs with the position of the first COPY that wrote each, so that a
    chmod whose target no earlier COPY wrote (nor a directory above or below it) is dismissed without
    walking back."""
    index = PathIndex()
    for k, ins in enumerate(stage.instructions):
        if ins.name in ("COPY", "ADD"):
            key = id(ins)
            if key not in copies:
                copies[key] = copy_at(ctx, ins, places[key])
            if copies[key] is not None:
                for e in copies[key].entries:
                    index.add(e.path, k)
    return index


def _find_copies(ctx, stage, k: int, change: Change, target: PathRef, places, copies, index) -> List[Found]:
    # only an entry at the target, above it or (recursive) below it can match
    if not target.glob and not index.related(target.path, below=change.recursive, before=k):
        return []
    instrs = stage.instructions
    found: List[Found] = []
    no_run = True  # no RUN between the COPY and the chmod
    independent = True  # and the COPYs between them write neither the target nor the user database
    for j in range(k - 1, -1, -1):
        prev = instrs[j]
        if prev.name in ("COPY", "ADD"):
            key = id(prev)
            if key not in copies:
                place = places[key]
                copies[key] = copy_at(ctx, prev, place)
            copy = copies[key]
            if copy is None:
                break  # it may have written the target: what came before is unknown
            hits = [(m, e) for e in copy.entries for m in [match(e, target, change.recursive)] if m]
            if hits:
                level, entry = min(hits, key=lambda h: _RANK[h[0]])
                if level == "probable" and not no_run:
                    break  # a RUN between may have made the file
                found.append(Found(change, target, copy, entry, level, no_run and independent))
                if level != "cover":
                    break  # the newest writer of the file
            elif not target.glob and any(e.kind != "file" and (e.path == target.path or
                                                               is_ancestor(e.path, target.path))
                                         for e in copy.entries):
                break  # a tree copied over the target's directory may have replaced it
            independent = independent and not hits and not any(
                p == e.path or is_ancestor(e.path, p) for e in copy.entries for p in _USER_DATABASE)
        elif prev.name == "RUN":
            if _touches(ctx, prev, target, change.recursive, places[id(prev)]):
                break
            no_run = False
    return found


def _owner_flag(owner: str) -> Tuple[Optional[str], str]:
    """The --chown value that gives what ``chown owner`` gives a file COPY created as 0:0."""
    m = _OWNER.match(owner)
    if not m or not owner or owner.endswith(":") or ("." in owner and ":" not in owner):
        return None, f"the owner {owner!r} is not a plain user[:group]"
    user, group = m.group("user"), m.group("group")
    # COPY --chown=user would also set the group to the user's id; chown leaves it as it was (0).
    return f"{user or 0}:{group if group is not None else 0}", ""


def _directory_exists(ctx, stage, copy: Copy, directory: str) -> bool:
    """Whether ``directory`` exists before ``copy`` runs: a standard one, a WORKDIR, a directory an earlier
    COPY wrote into, or one an earlier RUN makes with mkdir."""
    if directory in _STANDARD_DIRS:
        return True
    graph = ctx.graph
    for idx in reversed(graph.chain(stage.index)):
        st = graph.stages[idx]
        places = stage_places(ctx, st)
        for ins in st.instructions:
            place = places[id(ins)]
            made: List[str] = [place.workdir]  # a WORKDIR creates its directory
            if ins is copy.ins:
                return any(m == directory or is_ancestor(directory, m) for m in made)
            if ins.name in ("COPY", "ADD"):
                other = copy_at(ctx, ins, place)
                if other is not None:
                    made += [e.path if e.kind != "file" else posixpath.dirname(e.path) for e in other.entries]
            elif ins.name == "RUN" and "mkdir" in ins.logical and directory in ctx.doc.text[ins.start:ins.end]:
                return True
            if any(m == directory or is_ancestor(directory, m) for m in made):
                return True
    return False


def _fix(ctx, stage, run, changes: List[Change], found: List[Found]) -> Tuple[Optional[Fix], str]:
    tools = [c.tool for c in changes]
    if "chgrp" in tools:
        return None, "chgrp is not rewritten (use COPY --chown=<user>:<group>)"
    if len(changes) > 2 or len(set(tools)) != len(tools):
        return None, "the RUN does more than one chmod and one chown"
    if any(len(c.targets) != 1 for c in changes) or len({c.targets[0].path if c.targets[0] else None
                                                          for c in changes}) != 1:
        return None, "the RUN changes more than one path"
    if len({id(f.copy.ins) for f in found}) != 1 or len({f.entry.path for f in found}) != 1:
        return None, "the RUN changes files from more than one COPY"
    f = min(found, key=lambda f: _RANK[f.level])
    copy = f.copy
    if f.level == "cover":
        return None, ("a recursive change of a directory also reaches the directory itself and files "
                      "that were there before; COPY --chown/--chmod only reach what is copied")
    if f.level == "probable":
        return None, (f"{f.entry.source} is a directory or several files, and --chown/--chmod would reach all "
                      "of them")
    if not f.entry.certain and not any(c.tool == "chmod" and c.value and _OCTAL.match(c.value)
                                       and not int(c.value, 8) & 0o111 for c in changes):
        # (a mode without any execute bit is a file's: a directory would be closed to everyone)
        return None, f"it cannot be told whether {f.entry.source} is a file or a directory"
    if len(copy.sources) != 1:
        return None, f"the {copy.ins.name} has several sources and --chown/--chmod would apply to all of them"
    if not f.adjacent:
        return None, "instructions that create layers stand between the COPY and the RUN"
    if run.flags:
        return None, "the RUN has flags"
    if any(not c.plain for c in changes):
        return None, "an option of the command has no COPY equivalent"
    script = ctx.script(run)
    if any(set(c.command.context) - {"and"} for c in changes):
        return None, "the commands are combined with something other than &&"
    if len(script.commands) != len(changes):
        return None, "the RUN does more than chmod/chown"
    flags: List[str] = []
    for c in changes:
        if c.value is None:
            return None, f"the {c.tool} argument is not a literal"
        if c.tool == "chmod":
            if not _OCTAL.match(c.value):
                if _SYMBOLIC.match(c.value):
                    return None, (f"the mode {c.value} is symbolic: COPY --chmod needs the final mode, which "
                                  "depends on the mode of the source file")
                return None, f"the mode {c.value} cannot be set exactly with COPY --chmod"
            flag, value = "chmod", c.value
        else:
            value, why = _owner_flag(c.value)
            if value is None:
                return None, why
            flag = "chown"
            parent = posixpath.dirname(f.entry.path)
            if copy.ins.flag("chown") is None and not _directory_exists(ctx, stage, copy, parent):
                return None, (f"the {copy.ins.name} may create {display(parent)}, and --chown would give that "
                              "directory to the owner too")
        existing = copy.ins.flag(flag)
        if existing is not None:
            if existing.value != value:
                return None, f"the {copy.ins.name} already has --{flag}={existing.value}"
            continue
        flags.append(f"--{flag}={value}")
    flags.sort(key=lambda s: not s.startswith("--chown"))
    edits = []
    if flags:
        ins = copy.ins
        if ins.flags:
            at = ins.flags[-1].end
        else:
            lead = len(ins.logical) - len(ins.logical.lstrip())
            at = ins.file_end_offset(lead + len(ins.keyword))
        edits.append(Edit(at, at, " " + " ".join(flags)))
    kept = "".join(ctx.doc.text[c.start:c.end] for c in run.comments)
    edits.append(Edit(run.start, run.end, kept))
    if flags:
        what = " and ".join("owner" if fl.startswith("--chown") else "mode" for fl in flags)
        title = f"Set the {what} in the {copy.ins.name} and remove the RUN"
    else:
        title = f"Remove the RUN (the {copy.ins.name} already sets this)"
    return Fix(title, "safe", edits), ""


def _describe(changes: List[Change]) -> str:
    tools = {c.tool for c in changes}
    mode = "chmod" in tools
    owner = bool(tools & {"chown", "chgrp"})
    return "the mode and owner" if mode and owner else ("the mode" if mode else "the owner")


def _suggestion(changes: List[Change]) -> str:
    parts = []
    for c in changes:
        if c.tool == "chmod":
            v = c.value if c.value and _OCTAL.match(c.value) else "<octal mode>"
            parts.append(f"--chmod={v}")
        elif c.tool == "chown":
            v = _owner_flag(c.value)[0] if c.value else None
            parts.append(f"--chown={v or '<user>:<group>'}")
        else:
            parts.append(f"--chown=<user>:{c.value or '<group>'}")
    return " ".join(dict.fromkeys(parts))


def _lines(lines: List[int]) -> str:
    lines = sorted(set(lines))
    if len(lines) == 1:
        return f"line {lines[0]}"
    return "lines " + ", ".join(str(n) for n in lines[:-1]) + f" and {lines[-1]}"


def check(ctx):
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue
        places = stage_places(ctx, stage)
        copies: Dict[int, Optional[Copy]] = {}
        index = None
        for k, run in enumerate(stage.instructions):
            if run.name != "RUN" or not ctx.posix_shell(stage, run):
                continue
            if any(f.name == "mount" for f in run.flags):
                continue  # the paths may be mounts, whose changes do not reach the layer
            if not any(tool in ctx.doc.text[run.start:run.end] for tool in _TOOLS):
                continue
            script = ctx.script(run)
            if script is None or script.has_error or not script.commands:
                continue
            place = places[id(run)]
            changes = [parse_change(c, place.workdir, place.env) for c in script.commands if c.name not in _NO_OPS]
            if not changes or any(c is None for c in changes):
                continue
            found: List[Found] = []
            for change in changes:
                for target in change.targets:
                    if target is not None:
                        if index is None:
                            index = _copied_paths(ctx, stage, places, copies)
                        found.extend(_find_copies(ctx, stage, k, change, target, places, copies, index))
            if not found:
                continue
            copied = sorted({display(f.target.path) for f in found if f.level != "cover"})
            lines = _lines([f.copy.ins.line for f in found])
            keyword = found[0].copy.ins.name if len({f.copy.ins.name for f in found}) == 1 else "COPY/ADD"
            what = _describe([f.change for f in found])
            if copied and len(copied) == 1 and all(f.level != "cover" for f in found):
                subject = f"{copied[0]}, which the {keyword} on {lines} added: the file is"
            else:
                subject = f"files the {keyword} on {lines} added: they are"
            fix, why = _fix(ctx, stage, run, changes, found)
            it = "it" if subject.endswith("is") else "them"
            hitting = [c for c in changes if any(f.change is c for f in found)]
            msg = (f"this RUN only changes {what} of {subject} stored again in this layer; set {it} when copying "
                   f"({keyword} {_suggestion(hitting)})")
            yield ctx.at_instruction(run, msg, fix, no_fix_reason=why)
