"""L006: a RUN that only changes the mode or owner of files a COPY/ADD added: they are stored twice."""
from __future__ import annotations

import posixpath
import re
from fnmatch import fnmatchcase

from .._dataclass import dataclass, field
from ..diagnostics import Edit, Fix
from ..rule import SAFE, UNSAFE, Rule
from .. import estimates
from ._build_paths import PathRef, display, glob_matches, is_ancestor, resolve, shell_word
from ._copy_entries import Copy, Entry
from ._path_names import BIN_DIRS, named_like_directory
from ._stage_walk import copy_at, known_directory, stage_workdirs_and_envs
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
    extra_fixes=(UNSAFE,),  # a fix that rests on an assumption it names in its title
    heavy=True,
    estimate=estimates.files_stored_again,
)

_TOOLS = ("chmod", "chown", "chgrp")
_FOLLOW_OPTIONS = {"-c", "-f", "-v", "--changes", "--silent", "--quiet", "--verbose", "--preserve-root",
                   "--no-preserve-root"}
_SYMBOLIC = re.compile(r"[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*\Z")
# Octal modes COPY --chmod sets exactly; setuid/setgid/sticky bits are left out (not carried reliably).
_OCTAL = re.compile(r"0?[0-7]{3}\Z")
_ID = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_OWNER = re.compile(rf"(?P<user>{_ID})?(?::(?P<group>{_ID}))?\Z")
_ALL_EXECUTE = ("+x", "a+x", "ugo+x")  # with the umask RUN has (022): execute for all
_NO_OPS = ("set", "true", ":")  # allowed beside the changes (``set -ex``, ``|| true``)
_RANK = {"exact": 0, "probable": 1, "cover": 2}
_USER_DATABASE = ("/etc/passwd", "/etc/group")  # where --chown looks names up


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
            if not _file_mode([change]) and any(m != "cover" and e.into_unknown and named_like_directory(e.path)
                                                for m, e in hits):
                # ``COPY package.json /app`` then ``chown node /app``: /app is most likely a directory that
                # was there already, the file went into it, and the RUN changes the directory alone
                break
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


def _file_mode(changes: List[Change]) -> bool:
    """Whether a chmod sets a mode without any execute bit: a file's (a directory would be closed to all)."""
    return any(c.tool == "chmod" and c.value and _OCTAL.match(c.value) and not int(c.value, 8) & 0o111
               for c in changes)


def _owner_flag(owner: str) -> Tuple[Optional[str], str]:
    """The --chown value that gives what ``chown owner`` gives a file COPY created as 0:0."""
    m = _OWNER.match(owner)
    if not m or not owner or owner.endswith(":") or ("." in owner and ":" not in owner):
        return None, f"the owner {owner!r} is not a plain user[:group]"
    user, group = m.group("user"), m.group("group")
    # COPY --chown=user would also set the group to the user's id; chown leaves it as it was (0).
    return f"{user or 0}:{group if group is not None else 0}", ""


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
    unsafe: List[str] = []  # what the fix takes for granted
    if not f.entry.certain and not _file_mode(changes):
        where = posixpath.dirname(f.entry.path)
        if where not in BIN_DIRS:
            return None, f"it cannot be told whether {f.entry.source} is a file or a directory"
        unsafe.append(f"{f.entry.source} is taken for a program, as it is copied into {where}")
    if f.entry.into_unknown and not _file_mode(changes):
        return None, (f"{display(f.entry.path)} may be a directory that is already there (in the base image): "
                      "the file would then be inside it, and the RUN changes only the directory")
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
            if c.value in _ALL_EXECUTE:
                existing = copy.ins.flag("chmod")
                if existing is not None:
                    return None, f"the {copy.ins.name} already has --chmod={existing.value}"
                if copy.remote:
                    flags.append("--chmod=711")  # ADD gives a downloaded file mode 600
                else:
                    # what it gives a file whose mode was 644 or 755: the only modes git keeps, and
                    # what compilers give the programs they build
                    flags.append("--chmod=755")
                    unsafe.append(f"chmod {c.value} gives 755 only to a file whose mode was 644 or 755")
                continue
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
            if copy.ins.flag("chown") is None and not known_directory(ctx, copy.ins, parent):
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
    if unsafe:
        return Fix(f"{title} (assumes {'; '.join(unsafe)})", "unsafe", edits), ""
    return Fix(title, "safe", edits), ""


def _describe(changes: List[Change]) -> str:
    tools = {c.tool for c in changes}
    mode = "chmod" in tools
    owner = bool(tools & {"chown", "chgrp"})
    return "the mode and owner" if mode and owner else ("the mode" if mode else "the owner")


def _suggestion(changes: List[Change], remote: bool) -> str:
    parts = []
    for c in changes:
        if c.tool == "chmod":
            executable = "711" if remote else "755"  # ADD gives a downloaded file mode 600
            v = c.value if c.value and _OCTAL.match(c.value) else (executable if c.value in _ALL_EXECUTE
                                                                    else "<octal mode>")
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
        places = stage_workdirs_and_envs(ctx, stage)
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
            found = _whole_copies(found)
            if not found:
                made = _made_trees(ctx, stage, k, changes, places)
                if made:
                    yield _tree_finding(ctx, run, changes, made)
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
                   f"({keyword} {_suggestion(hitting, all(f.copy.remote for f in found))})")
            yield ctx.at_instruction(run, msg, fix, no_fix_reason=why)


def _whole_copies(found: List[Found]) -> List[Found]:
    """What the RUN changes of everything a COPY wrote: a file inside a copied directory, or some of the files
    of a COPY with several sources, is left out. COPY --chown/--chmod would change all the other files too,
    and the bytes stored again are those of a few files out of many."""
    hit: Dict[int, set] = {}
    for f in found:
        if f.level == "exact":
            hit.setdefault(id(f.copy), set()).add(f.entry.path)
    out = []
    for f in found:
        if f.level == "cover":
            out.append(f)
        elif f.level == "exact" and (len(f.copy.sources) == 1
                                     or {e.path for e in f.copy.entries} <= hit.get(id(f.copy), set())):
            out.append(f)
    return out


# ------------------------------------------------------------------------------------------- trees RUNs made

# Package managers that install a project's dependencies into a directory of the working directory.
_LOCAL_DEPENDENCIES = {"npm": ("install", "ci", "i"), "pnpm": ("install", "i"), "yarn": ("install", None),
                       "composer": ("install", "update")}
_DEPENDENCY_DIRS = {"npm": "node_modules", "pnpm": "node_modules", "yarn": "node_modules", "composer": "vendor"}


def _trees_of(ctx, run, place) -> List[Tuple[str, str]]:
    """The directory trees a RUN fills (path, how): unpacked archives, cloned repositories, a project's
    dependencies; a tree moved or copied out of one of them is at its new place."""
    from ..shell import command_words

    script = ctx.script(run)
    if script is None or script.has_error:
        return []
    out: List[Tuple[str, str]] = []
    cwd: Optional[str] = place.workdir
    cwd_until: Optional[int] = None
    for cmd in script.commands:
        words = command_words(cmd)
        values = [w.value for w in words]
        if not values or values[0] is None:
            continue
        name = values[0].rsplit("/", 1)[-1]
        here = cwd if cwd_until is None or cmd.start < cwd_until else None
        args = [w for w in words[1:] if not (w.value or "").startswith("-")]

        def path(w, base=here):
            parsed = shell_word(w.text)
            if parsed is None or parsed[1] or (base is None and not parsed[0].startswith(("/", "$"))):
                return None
            ref = resolve(parsed[0], base or "/", place.env)
            return None if ref is None or ref.path == "/" else ref.path

        if name in ("cd", "pushd"):
            cwd, cwd_until = (path(args[0]) if args else None), cmd.scope_end
            continue
        if cmd.background:
            continue
        options = [v for v in values[1:] if v and v.startswith("-")]
        made: Optional[str] = None
        how = ""
        if name == "git" and len(values) > 2 and values[1] == "clone":
            rest = [w for w in words[2:] if not (w.value or "").startswith("-")]
            if any(v in ("-b", "--branch", "--depth", "-c", "--config", "-o", "--origin", "--reference",
                         "--separate-git-dir", "-j", "--jobs", "--filter") for v in values[2:]):
                rest = []  # an option with a value stands among the operands: not told apart here
            if len(rest) == 2:
                made = path(rest[1])
            elif len(rest) == 1 and rest[0].value:
                repo = rest[0].value.rstrip("/").rsplit("/", 1)[-1]
                repo = repo[:-4] if repo.endswith(".git") else repo
                made = posixpath.join(here, repo) if here and repo else None
            how = "git clone"
        elif name in ("tar", "bsdtar") and any(("x" in v.lstrip("-") and not v.startswith("--")) or v == "--extract"
                                                 for v in values[1:2] + options):
            target = None
            for i, w in enumerate(words[1:], 1):
                v = w.value or ""
                if v in ("-C", "--directory") and i + 1 < len(words):
                    target = path(words[i + 1])
                    break
                if v.startswith("--directory="):
                    target = None
                    break
            else:
                target = here if here and here != "/" else None
            made, how = target, "unpacking an archive"
        elif name == "unzip":
            target = None
            for i, w in enumerate(words[1:], 1):
                if w.value == "-d" and i + 1 < len(words):
                    target = path(words[i + 1])
                    break
            else:
                target = here if here and here != "/" else None
            made, how = target, "unzip"
        elif name in _LOCAL_DEPENDENCIES and here is not None and not {"-g", "--global"} & set(options):
            sub = next((v for v in values[1:] if v and not v.startswith("-")), None)
            if sub in _LOCAL_DEPENDENCIES[name] and not (name == "yarn" and sub is None and len(values) > 1
                                                          and not options):
                made, how = posixpath.join(here, _DEPENDENCY_DIRS[name]), f"{name} {sub or 'install'}"
        elif name in ("mv", "cp") and len(args) >= 2 and (name == "mv" or any(
                o in ("-r", "-R", "-a", "--recursive", "--archive") or (not o.startswith("--") and set(o[1:]) & set("rRa"))
                for o in options)):
            sources = [path(a) for a in args[:-1]]
            inside = [t for s_ in sources if s_ for t, _ in out if s_ == t or is_ancestor(t, s_)]
            if inside and len(sources) == 1:
                made, how = path(args[-1]), f"{name} of what it unpacked"
        if made and made != "/":
            out.append((made, how))
    return out


def _made_trees(ctx, stage, k: int, changes: List[Change], places) -> List[Tuple[str, object, str]]:
    """(tree, RUN, how) for the trees earlier RUNs of the stage made that a recursive change here covers
    whole (and that no RUN deleted since)."""
    from ._run_paths import removals

    targets = [t.path for c in changes if c.recursive for t in c.targets if t is not None and not t.glob]
    if not targets:
        return []
    out = []
    runs = [ins for ins in stage.instructions[:k] if ins.name == "RUN" and not ins.flags]
    for j, run in enumerate(runs):
        if not ctx.posix_shell(stage, run):
            continue
        for tree, how in _trees_of(ctx, run, places[id(run)]):
            if not any(t == tree or is_ancestor(t, tree) for t in targets):
                continue
            gone = any(ref.path == tree or is_ancestor(ref.path, tree) or (ref.glob and glob_matches(
                ref.path, tree, prefix=True)) for later in runs[j:] for ref, _ in removals(ctx, later, places[id(later)]))
            if not gone:
                out.append((tree, run, how))
    return out


def _tree_finding(ctx, run, changes: List[Change], made):
    what = _describe([c for c in changes if c.recursive])
    made = [m for m in made if not any(is_ancestor(o[0], m[0]) for o in made)]  # the outermost trees
    lines = sorted({r.line for _, r, _ in made})
    if len(made) == 1:
        tree, creator, how = made[0]
        subject = f"{display(tree)}, a directory tree the RUN on line {creator.line} made ({how}): every file in it is"
    else:
        parts = [f"{display(t)} ({how}, line {r.line})" for t, r, how in made]
        subject = (f"directory trees {'the RUN on line ' + str(lines[0]) if len(lines) == 1 else 'earlier RUNs'} "
                   f"made, {', '.join(parts[:-1])} and {parts[-1]}: every file in them is")
    msg = (f"this RUN only changes {what} of {subject} stored again in this layer; set {what} in the RUN that "
           "makes the files (no automatic fix)")
    return ctx.at_instruction(run, msg)
