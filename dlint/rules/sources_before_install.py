"""C001: the sources are copied before a dependency install that needs only the manifests.

BuildKit reuses a layer while its instruction and inputs are unchanged. ``COPY . /app`` before
``npm ci`` makes every source edit a new input of the install, which then runs again in full.
"""
from __future__ import annotations

import json
import posixpath
import re
from fnmatch import fnmatchcase

from ..diagnostics import Edit, Fix
from ..rule import UNSAFE, Rule
from ._path_names import looks_like_dir
from ._stage_walk import stage_workdirs_and_envs

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

RULE = Rule(
    code="C001",
    name="sources-before-install",
    severity="warning",
    summary="Sources are copied before a dependency install that needs only the manifests, so every edit re-runs it",
    fix=UNSAFE,
)

# Per ecosystem: the manifest the install needs (first), then the files it reads when present.
MANIFESTS = {
    "npm": ("package.json", "package-lock.json", "npm-shrinkwrap.json", ".npmrc"),
    "yarn": ("package.json", "yarn.lock", ".yarnrc", ".yarnrc.yml", ".npmrc"),
    "pnpm": ("package.json", "pnpm-lock.yaml", ".npmrc", ".pnpmfile.cjs"),
    "poetry": ("pyproject.toml", "poetry.lock", "poetry.toml"),
    "uv": ("pyproject.toml", "uv.lock"),
    "pipenv": ("Pipfile", "Pipfile.lock"),
    "go": ("go.mod", "go.sum"),
    "bundler": ("Gemfile", "Gemfile.lock"),
    "composer": ("composer.json", "composer.lock", "auth.json"),
    "maven": ("pom.xml",),
    "cargo": ("Cargo.toml", "Cargo.lock"),
}
# Instructions a moved COPY may pass over (none of them reads the copied files).
_PASSABLE = ("ENV", "ARG", "WORKDIR", "LABEL", "EXPOSE", "USER", "STOPSIGNAL")
# Commands beside the install that do not read the sources.
_HARMLESS = {"set", "true", ":", "corepack", "echo"}
_PIP_TOOLS = re.compile(r"pip[0-9.]*\Z")
_PY = re.compile(r"python[0-9.]*\Z")


def _options(words: List[str]) -> Tuple[List[str], List[str]]:
    """(options, positional) of a command's arguments (an option's value is not taken apart)."""
    opts = [w for w in words if w.startswith("-")]
    pos = [w for w in words if not w.startswith("-")]
    return opts, pos


def install_of(values: List[str]) -> Optional[Tuple[str, List[str]]]:
    """(ecosystem, requirement files) when the command installs a project's dependencies from its
    manifests alone; None for anything else (named packages, the project itself, other commands)."""
    if not values or any(v is None for v in values):
        return None
    tool = values[0].rsplit("/", 1)[-1]
    args = values[1:]
    if _PY.match(tool) and args[:2] == ["-m", "pip"]:
        tool, args = "pip", args[2:]
    if tool == "uv" and args[:1] == ["pip"]:
        tool, args = "pip", args[1:]
    sub = args[0] if args else ""
    rest = args[1:]
    opts, pos = _options(rest)
    if tool == "npm" and sub in ("ci", "install", "i") and not pos and not {"-g", "--global"} & set(opts):
        return "npm", []
    if tool == "yarn" and (not args or (sub == "install" and not pos)) and "global" not in args:
        return "yarn", []
    if tool == "pnpm" and sub in ("install", "i") and not pos and not {"-g", "--global"} & set(opts):
        return "pnpm", []
    if _PIP_TOOLS.match(tool) and sub == "install":
        files, i = [], 0
        while i < len(rest):
            w = rest[i]
            if w in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(rest):
                files.append(rest[i + 1])
                i += 2
                continue
            if w.startswith(("--requirement=", "--constraint=")) or (w.startswith(("-r", "-c")) and len(w) > 2
                                                                       and not w.startswith("--")):
                files.append(w.split("=", 1)[1] if "=" in w else w[2:])
            elif not w.startswith("-"):
                return None  # a package, a path or the project itself
            elif w in ("-e", "--editable"):
                return None
            i += 1
        if any(w in ("-r", "--requirement") or w.startswith(("-r", "--requirement")) for w in rest) and files:
            return "pip", files
        return None
    if tool == "poetry" and sub == "install" and "--no-root" in opts:
        return "poetry", []
    if tool == "uv" and sub == "sync" and ({"--no-install-project", "--no-install-workspace"} & set(opts)):
        return "uv", []
    if tool == "pipenv" and sub in ("install", "sync") and not pos:
        return "pipenv", []
    if tool == "go" and args[:2] == ["mod", "download"] and not args[2:]:
        return "go", []
    if tool == "bundle" and sub == "install" and not pos:
        return "bundler", []
    if tool in ("composer", "composer.phar") and sub == "install" and not pos:
        if "--no-scripts" in opts and "--no-autoloader" in opts:
            return "composer", []
        return "composer?", []  # fine when the manifest has no scripts and no classmap (seen below)
    if tool == "mvn" and any(a.startswith(("dependency:go-offline", "dependency:resolve")) for a in args):
        return "maven", []
    if tool == "cargo" and sub == "fetch":
        return "cargo", []
    return None


def needs_sources(eco: str, manifest: str, text: str) -> bool:
    """Whether a manifest's text shows that the install reads more than the manifests."""
    if eco in ("npm", "yarn", "pnpm"):
        try:
            data = json.loads(text)
        except ValueError:
            return True
        if not isinstance(data, dict) or "workspaces" in data:
            return True
        scripts = data.get("scripts") or {}
        if isinstance(scripts, dict) and {"preinstall", "install", "postinstall", "prepare"} & set(scripts):
            return True
        for key in ("dependencies", "devDependencies", "optionalDependencies"):
            deps = data.get(key) or {}
            if isinstance(deps, dict) and any(isinstance(v, str) and v.startswith(("file:", "link:", "workspace:",
                                                                                     "portal:", ".", "/"))
                                              for v in deps.values()):
                return True
        return False
    if eco == "pip":
        for line in text.splitlines():
            s = line.split(" #", 1)[0].strip()
            if s.startswith(("-e", "--editable", ".", "/", "file:", "-r", "--requirement", "-c", "--constraint")) \
                    or "@ file:" in s:
                return True
        return False
    if eco in ("poetry", "uv", "pipenv", "cargo"):
        return bool(re.search(r"\bpath\s*=|\[tool\.uv\.workspace\]|^\[workspace\]", text, re.M))
    if eco == "go":
        return bool(re.search(r"=>\s*\.{1,2}/", text))
    if eco == "bundler":
        return bool(re.search(r"^\s*gemspec\b|\bpath\s*(?::|=>)", text, re.M))
    if eco == "composer?":
        try:
            data = json.loads(text)
        except ValueError:
            return True
        autoload = data.get("autoload") or {} if isinstance(data, dict) else {}
        return not isinstance(data, dict) or bool(data.get("scripts")) or "classmap" in autoload \
            or "files" in autoload or any(isinstance(r, dict) and r.get("type") == "path"
                                          for r in data.get("repositories") or [] if isinstance(data.get("repositories"), list))
    if eco == "maven":
        return "<modules>" in text
    return False


def _broad_source(ins, bc=None) -> Optional[Tuple[str, str]]:
    """(context directory, destination) of a COPY/ADD that copies the whole context or one directory."""
    if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None or ins.heredocs:
        return None
    words = ins.words()
    if len(words) != 2 or "$" in words[0]:
        return None
    src, dest = words
    if src.startswith(("http://", "https://", "git@")) or any(c in src for c in "*?["):
        return None
    clean = posixpath.normpath(src.lstrip("/")) if src not in (".", "./", "/") else "."
    if clean.startswith(".."):
        return None
    if clean != "." and not src.endswith("/"):
        is_dir = bc.is_dir(clean) if bc is not None and bc.has(clean) else looks_like_dir(clean)
        if not is_dir:
            return None  # a file (or a name that does not tell)
    return ("" if clean == "." else clean), dest


def check(ctx):
    for stage in ctx.stages:
        places = None
        broad = []  # (COPY instruction, context dir, dest)
        for ins in stage.instructions:
            if ins.name in ("COPY", "ADD"):
                b = _broad_source(ins, ctx.build_context)
                if b is not None:
                    broad.append((ins, b[0], b[1]))
                continue
            if ins.name != "RUN" or not broad:
                continue
            script = ctx.script(ins)
            if script is None or script.exec_form:
                continue
            commands = script.commands
            found = None
            for k, cmd in enumerate(commands):
                got = install_of(cmd.values())
                if got is not None:
                    if any(c.name == "cd" for c in commands[:k]):
                        break  # where it runs is not the WORKDIR: not followed
                    found = (cmd, got)
                    break
            if found is None:
                continue
            if places is None:
                places = stage_workdirs_and_envs(ctx, stage)
            d = _finding(ctx, stage, places, broad, ins, found[0], found[1], commands)
            if d is not None:
                yield d
                broad = []  # one finding per copy of the sources


def _finding(ctx, stage, places, broad, run, cmd, got, commands):
    eco, req_files = got
    workdir = places[id(run)].workdir
    copy_ins, src_dir, dest_text = broad[-1]
    cplace = places[id(copy_ins)]
    dest = dest_text if dest_text.startswith("/") else posixpath.join(cplace.workdir, dest_text)
    dest = posixpath.normpath(dest)
    if "$" in dest or "\x00" in dest and not dest.startswith(cplace.workdir):
        return None
    if workdir != dest and not workdir.startswith(dest.rstrip("/") + "/"):
        return None  # the install does not run in the copied tree
    rel = posixpath.relpath(workdir, dest)
    rel = "" if rel == "." else rel
    at = posixpath.join(src_dir, rel) if src_dir or rel else ""
    base = eco.rstrip("?")
    if base == "pip":
        names = [posixpath.normpath(f) for f in req_files]
        if any(n.startswith(("..", "/")) or "$" in n for n in names):
            return None
        wanted, optional = names, []
    else:
        wanted, optional = [MANIFESTS[base][0]], list(MANIFESTS[base][1:])
    bc = ctx.build_context
    present: List[str] = []
    if bc is not None and bc.ignore_error is None:
        for name in wanted:
            path = posixpath.join(at, name) if at else name
            if not bc.sent(path):
                return None  # the manifests do not come from this copy
            text = bc.manifests.get(path)
            if text is not None and needs_sources(eco if eco != "pip" else "pip", path, text):
                return None
        if eco == "composer?" and bc.manifests.get(posixpath.join(at, "composer.json") if at else "composer.json") is None:
            return None
        present = wanted + [n for n in optional if bc.sent(posixpath.join(at, n) if at else n)]
    elif eco == "composer?":
        return None  # its scripts and autoloader may need the sources: only a readable manifest tells
    tool = " ".join(w.value for w in cmd.words[:3] if w.value and not w.value.startswith("-"))
    script = ctx.script(run)
    line, _ = ctx.doc.line_col(script.file_offset(cmd.start))
    shown = copy_ins.logical.strip() if hasattr(copy_ins, "logical") else copy_ins.name
    shown = " ".join(shown.split())
    msg = (f"`{shown}` copies the sources before `{tool}` (line {line}), which needs only "
           f"{', '.join(wanted) if base == 'pip' else MANIFESTS[base][0]}: every source edit re-runs the install; "
           "copy the manifests first and the sources after the install")
    fix, why = None, ""
    if bc is None:
        why = "the build context is not readable, so which manifests exist is not known"
    elif bc.ignore_error is not None:
        why = "the .dockerignore is refused by the build"
    elif base == "cargo":
        why = "cargo needs a source file of each target to read Cargo.toml"
    else:
        fix, why = _fix(ctx, stage, copy_ins, run, commands, cmd, present, rel, dest_text)
    return ctx.at_instruction(copy_ins, msg, fix, no_fix_reason=why or None)


def _fix(ctx, stage, copy_ins, run, commands, cmd, present, rel, dest_text):
    for c in commands:
        if c is cmd or install_of(c.values()) is not None:
            continue
        name = (c.name or "").rsplit("/", 1)[-1]
        if name not in _HARMLESS:
            return None, "the RUN also runs other commands, which may need the sources: put the install in a RUN of its own"
    between = stage.instructions[stage.instructions.index(copy_ins) + 1:stage.instructions.index(run)]
    for ins in between:
        if ins.name not in _PASSABLE:
            return None, f"a {ins.name} stands between the copy and the install"
        if ins.name in ("ENV", "ARG") and "$" in ctx.doc.text[copy_ins.start:copy_ins.end]:
            return None, "the copy uses variables an instruction in between sets"
        if ins.name == "WORKDIR" and not dest_text.startswith("/"):
            return None, "a WORKDIR in between changes where the relative destination is"
    earlier = [i for i in stage.instructions[:stage.instructions.index(copy_ins)]
               if i.name in ("COPY", "ADD") and i.flag("from") is None]
    have = set()
    for i in earlier:
        for w in i.words()[:-1]:
            for name in present:
                if fnmatchcase(name, w.lstrip("./")) or fnmatchcase(posixpath.join(rel, name) if rel else name,
                                                                      w.lstrip("./")):
                    have.add(name)
    text = ctx.doc.text
    copy_text = text[copy_ins.start:copy_ins.end]
    missing = [n for n in present if n not in have]
    replacement = ""
    if missing:
        flags = " ".join(text[f.start:f.end] for f in copy_ins.flags)
        sources = " ".join(posixpath.join(rel, n) if rel else n for n in missing)
        target = dest_text if not rel else posixpath.join(dest_text, rel)
        if not target.endswith("/"):
            target += "/"
        keyword = text[copy_ins.start:copy_ins.start + 4] if copy_ins.name == "COPY" else "COPY"
        if copy_ins.name == "ADD":
            keyword = "COPY"
        replacement = f"{keyword} {flags + ' ' if flags else ''}{sources} {target}\n"
    run_end = run.end
    tail = copy_text if text[run_end - 1:run_end] == "\n" else "\n" + copy_text.rstrip("\n")
    edits = [Edit(copy_ins.start, copy_ins.end, replacement), Edit(run_end, run_end, tail)]
    return Fix("Copy the manifests before the install and the sources after it", UNSAFE, edits), ""
