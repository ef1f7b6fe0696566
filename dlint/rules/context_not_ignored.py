"""C002: a COPY of the build context (or of a directory of it) takes in what the .dockerignore should leave out.

The build sends the context to the builder, and ``COPY .`` puts all of it in a layer and in that layer's
cache key. A ``.git`` directory changes with every commit (the copy and everything after it is rebuilt
although no source changed) and weighs as much as the history; a ``node_modules`` or virtualenv the image
installs itself is dead weight that may not even run on the image's platform; ``__pycache__`` is bytecode
the interpreter writes again; and secrets (``.env``, private keys, an ``.npmrc`` holding a token) end up in
the image for anyone who pulls it. Only names in the context are looked at (and whether an ``.npmrc``
holds a credential); only what is there and not yet excluded is reported.
"""
from __future__ import annotations

import posixpath
import re

from ..build_context import PRIVATE_KEY_NAMES
from ..diagnostics import Edit, Fix
from ..rule import UNSAFE, Rule

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

RULE = Rule(
    code="C002",
    name="context-not-ignored",
    severity="warning",  # error when a secret is copied
    summary="A COPY of the build context takes in .git, dependency folders the image installs itself, or secrets",
    fix=UNSAFE,
    # opt-in: judged blind on real repositories' contexts, most findings were files the build keeps on
    # purpose (bench/precision/results.md)
    default_enabled=False,
)

_SECRET_ENV = re.compile(r"\.env(\.[A-Za-z0-9_-]+)*\Z")
_NOT_SECRET_ENV = re.compile(r"\.(example|sample|template|tmpl|dist|defaults?|schema|test|ci)\b", re.I)
# A .pem named as a certificate (public by design: a CA bundle the app trusts) is not reported.
_CERT_NAME = re.compile(r"(cert|chain|(^|[-_.])ca([-_.]|$)|bundle|public|pub([-_.]|$)|trust)", re.I)
_PY_VCS_VERSION = re.compile(r"setuptools[-_]scm|hatch-vcs|versioneer|dunamai|dynamic-versioning|vcs-versioning"
                             r"|setuptools-git-versioning|pbr\b")
_CARGO_BUILD = {"build", "install", "test", "run", "doc", "check"}
_MAVEN_PHASES = {"package", "install", "verify", "compile", "test", "deploy"}


def _copied_dirs(ins, bc) -> List[str]:
    """Context directories (``""`` for the root) a COPY/ADD copies whole."""
    if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
        return []
    out = []
    for w in ins.words()[:-1]:
        if w.startswith("<<") or "://" in w or w.startswith("git@") or "$" in w or any(c in w for c in "*?[\\"):
            continue
        if ins.json is None and w[:1] in "\"'":
            continue
        clean = posixpath.normpath(w.lstrip("/")) if w.strip("/") else "."
        if clean.startswith(".."):
            continue
        if clean == ".":
            out.append("")
        elif bc.is_dir(clean):
            out.append(clean)
    return out


def _named_sources(stages) -> List[str]:
    """Every COPY/ADD source written out (cleaned), for entries a file copies by name."""
    out = []
    for stage in stages:
        for ins in stage.instructions:
            if ins.name in ("COPY", "ADD") and ins.flag("from") is None:
                for w in ins.words()[:-1]:
                    clean = posixpath.normpath(w.lstrip("/")) if w.strip("/") else "."
                    if clean != ".":
                        out.append(clean)
    return out


_GIT_WORD = re.compile(r"(?<![\w.-])git(?![\w.])")
# Directories of test data: keys there are fixtures of the project's tests, not credentials.
_TEST_DIRS = re.compile(r"(?:^|/)(?:[^/]*[-_.])?(?:tests?|testdata|testing|fixtures?|e2e|integration[^/]*)(?:[-_.][^/]*)?/")


def _what_runs(ctx) -> Dict[str, bool]:
    """What the Dockerfile's RUNs do that decides which folders the image makes itself."""
    seen = {"node": False, "python": False, "cargo": False, "maven": False, "git": False}
    for stage in ctx.stages:
        for ins in ctx.runs(stage):
            script = ctx.script(ins)
            if script is None:
                continue
            if _GIT_WORD.search(script.text):
                # git installed, run (also inside ``$(...)`` of an assignment) or a script of the repository
                # named for it (``./hack/git-meta``): the build may read the history
                seen["git"] = True
            for cmd in script.commands:
                values = cmd.values()
                if not values or values[0] is None:
                    continue
                tool = values[0].rsplit("/", 1)[-1]
                args = [v for v in values[1:] if v is not None]
                if (tool in ("npm", "pnpm") and args[:1] in (["ci"], ["install"], ["i"])) \
                        or (tool == "yarn" and (not args or args[0] == "install")):
                    seen["node"] = True
                if (re.match(r"pip[0-9.]*\Z", tool) and args[:1] == ["install"]) \
                        or (tool in ("poetry", "pipenv") and args[:1] == ["install"]) or (tool == "uv" and args[:1] in (["sync"], ["pip"])) \
                        or (re.match(r"python[0-9.]*\Z", tool) and args[:3] == ["-m", "pip", "install"]):
                    seen["python"] = True
                if tool == "cargo" and args[:1] and args[0] in _CARGO_BUILD:
                    seen["cargo"] = True
                if tool in ("mvn", "mvnw", "./mvnw") and _MAVEN_PHASES & set(args):
                    seen["maven"] = True
                if tool == "git":
                    seen["git"] = True
    return seen


def _reason(path: str, is_dir: bool, runs: Dict[str, bool], bc) -> Optional[Tuple[str, bool]]:
    """(why the entry should stay out, whether it is a secret), or None when it may go in."""
    name = path.rsplit("/", 1)[-1]
    parent = path.rsplit("/", 1)[0] if "/" in path else ""

    def sibling(n):
        return bc.has(posixpath.join(parent, n) if parent else n)

    if name == ".git":
        return None if runs["git"] else ("the repository's history, new with every commit", False)
    if is_dir:
        if name == "node_modules" and runs["node"]:
            return "installed by the image's own npm/yarn/pnpm install", False
        if name in (".venv", "venv") and runs["python"]:
            return "a virtualenv; the image installs its own packages", False
        if name == "__pycache__":
            return "bytecode the interpreter writes again", False
        if name == "target" and ((runs["cargo"] and sibling("Cargo.toml")) or (runs["maven"] and sibling("pom.xml"))):
            return "build output the image's own build makes again", False
        return None
    if _TEST_DIRS.search(path):
        return None  # test fixtures (TLS keys of integration tests, sample .env files)
    if _SECRET_ENV.match(name) and not _NOT_SECRET_ENV.search(name):
        return "environment file, usually holding secrets", True
    if name in PRIVATE_KEY_NAMES:
        return "an SSH private key", True
    if name.endswith(".pem") and not _CERT_NAME.search(name[:-4]):
        return "a PEM file not named as a certificate, likely a private key", True
    if name == ".npmrc" and path in bc.npmrc_tokens:
        return "holds a registry token", True
    return None


def _excepted(text: Optional[str], path: str) -> bool:
    """Whether the ignore file lets ``path`` in on purpose (a ``!`` exception naming it)."""
    if not text:
        return False
    name = path.rsplit("/", 1)[-1]
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("!"):
            p = s[1:].strip()
            while p.startswith(("/", "./")):
                p = p[1:] if p.startswith("/") else p[2:]
            if p.rstrip("/") in (path, name, "**/" + name):
                return True
    return False


def _pattern(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return "**/__pycache__" if name == "__pycache__" else path


def _ignore_fix(bc, patterns: List[str]) -> Fix:
    """Add ``patterns`` to the ignore file (created when absent) in its own style."""
    target = bc.ignore_target()
    text = bc.ignore_text
    lines = [ln.strip() for ln in (text or "").splitlines()]
    written = [ln for ln in lines if ln and not ln.startswith(("#", "!"))]
    rooted = written and sum(ln.startswith("/") for ln in written) * 2 > len(written)
    nl = "\r\n" if text and "\r\n" in text else "\n"
    new = [("/" + p if rooted and not p.startswith("**") else p) for p in patterns]
    if text is None or text == "":
        return Fix(f"Add {', '.join(patterns)} to {bc.ignore_name}", UNSAFE, [],
                   {target: (text, [Edit(0, 0, "".join(p + nl for p in new))])})
    if text.endswith(("\n", "\r")):
        addition = "".join(p + nl for p in new)
    else:  # the file ends without a line break: so does the fixed file
        addition = "".join(nl + p for p in new)
    end = len(text)
    return Fix(f"Add {', '.join(patterns)} to {bc.ignore_name}", UNSAFE, [], {target: (text, [Edit(end, end, addition)])})


def check(ctx):
    bc = ctx.build_context
    if bc is None or bc.ignore_error is not None:
        return
    copies = [(ins, dirs) for stage in ctx.stages for ins in stage.instructions
              for dirs in [_copied_dirs(ins, bc)] if dirs]
    if not copies:
        return
    runs = _what_runs(ctx)
    if any(_PY_VCS_VERSION.search(text) for path, text in bc.manifests.items()
           if path.rsplit("/", 1)[-1] in ("pyproject.toml", "setup.cfg")):
        runs["git"] = True  # the version is read from the repository: the build needs .git
    named = _named_sources(ctx.stages)
    for ins, dirs in copies:
        found: List[Tuple[str, str, bool]] = []  # (path, why, secret)
        for d in dirs:
            inside = d + "/"
            # the entries with a name that may be reported (``_reason``); the others go in without a closer look
            for path in (bc.notable if d == "" else [p for p in bc.notable if p.startswith(inside)]):
                why = _reason(path, bc.is_dir(path), runs, bc)
                if why is None or not bc.sent(path) or _excepted(bc.ignore_text, path):
                    continue
                if any(n == path or n.startswith(path + "/") for n in named):
                    continue  # the file names it in a COPY of its own: it is wanted
                if any(path.startswith(p + "/") for p, _, _ in found):
                    continue
                if path not in [p for p, _, _ in found]:
                    found.append((path, why[0], why[1]))
        if not found:
            continue
        found.sort(key=lambda f: not f[2])  # secrets first
        secrets = [p for p, _, s in found if s]
        shown = " ".join(ctx.doc.text[ins.start:ins.end].split())
        if len(shown) > 60:
            shown = shown[:57] + "..."
        items = "; ".join(f"{p} ({why})" for p, why, _ in found[:6]) + (f"; and {len(found) - 6} more" if len(found) > 6 else "")
        where = f"the {bc.ignore_name} lets them in" if bc.ignore_path else "the build context has no .dockerignore"
        msg = (f"`{shown}` copies {items} into the image and its cache key: {where}"
               + ("; secrets copied into a layer can be read by anyone who has the image" if secrets else ""))
        patterns = []
        for p, _, _ in found:
            if p.rsplit("/", 1)[-1] == ".npmrc" and runs["node"]:
                continue  # the install reads it: left out, the install would fail; a build secret is the way
            if any(c in p for c in "*?[\\\r\n") or p != p.strip() or p.startswith(("#", "!")):
                continue  # a name the ignore file would read as a pattern or a comment
            pat = _pattern(p)
            if pat not in patterns:
                patterns.append(pat)
        fix, why = None, None
        if not patterns and any(p.rsplit("/", 1)[-1] == ".npmrc" for p, _, _ in found) and runs["node"]:
            why = ("the image's install reads the .npmrc: pass it as a build secret "
                   "(RUN --mount=type=secret,id=npmrc,target=/root/.npmrc) rather than leaving it out")
        elif not patterns:
            why = "the names would be read as patterns in the ignore file: exclude them by hand"
        elif not ctx.settings.context_fixes:
            why = ("only `dlint fix` on a Dockerfile read from a file writes the ignore file "
                   "(not for standard input or in the editor)")
        else:
            fix = _ignore_fix(bc, patterns)
        d = ctx.at_instruction(ins, msg, fix, no_fix_reason=why)
        if secrets and RULE.code not in ctx.settings.severity:
            d.severity = "error"
        yield d
