"""Nothing in a Dockerfile is ever run or evaluated by dlint, and every regular expression dlint applies to
input takes time linear in the input (no catastrophic or quadratic backtracking on long crafted lines)."""
import ast
import importlib
import json
import os
import re
import subprocess
import sys
import uuid

import pytest
from run_dlint import ROOT, assert_no_crash, dlint, env

try:
    from re import _constants as C
    from re import _parser as sre_parse
except ImportError:  # Python < 3.11
    import sre_constants as C
    import sre_parse

PACKAGE = os.path.join(ROOT, "dlint")
TESTS = os.path.dirname(os.path.abspath(__file__))


def hostile_dockerfile(canary: str, tmp_marker: str) -> str:
    """Commands that would create files in ``canary`` (and one in /tmp) if anything ran them."""
    def t(name):
        return f"touch {canary}/{name}"

    return f"""# syntax=$({t('syntax')})
# escape=\\
# dlint: ignore=$({t('ignore')})
ARG BASE=$({t('arg-default')})
ARG TAG=`{t('arg-backtick')}`
FROM debian:12$({t('from')}) AS build
FROM ${{BASE}}:${{TAG}} AS other
SHELL ["/bin/sh", "-c", "{t('shell')}; exec sh -c \\"$0\\" \\"$@\\""]
FROM debian:12 AS final
ARG X="; {t('arg-semicolon')}"
ENV A="$({t('env')})" B="`{t('env-backtick')}`" C="; {t('env-semicolon')}"
ENV PATH="/x:$PATH$({t('env-path')})"
LABEL l1="$({t('label')})" l2="`{t('label-backtick')}`"
WORKDIR /app$({t('workdir')})
USER `{t('user')}`
EXPOSE 80$({t('expose')})
VOLUME ["/data$({t('volume')})"]
STOPSIGNAL $({t('stopsignal')})
MAINTAINER $({t('maintainer')})
RUN apt-get update; {t('run-semicolon')}
RUN apt-get install -y curl$({t('run-subst')}) && `{t('run-backtick')}` || {t('run-or')} | {t('run-pipe')}
RUN echo $(python3 -c "open('{canary}/run-python', 'w')") && eval "{t('run-eval')}" && rm -rf /var/lib/apt/lists/*
RUN ["/bin/sh", "-c", "{t('run-exec')}"]
RUN --mount=type=cache,target=/root/.cache$({t('mount')}) pip install x$({t('pip')})
RUN <<EOF
{t('heredoc')}
$({t('heredoc-subst')})
touch {tmp_marker}
EOF
RUN <<'EOF' bash
#!/bin/bash
{t('heredoc-bash')}
EOF
COPY --from=build$({t('copy-from')}) /a /b
COPY --chown=$({t('chown')}) --chmod=755 x$({t('copy-src')}) /dst/
COPY <<EOF /etc/x.conf
$({t('copy-heredoc')})
EOF
ADD --chmod=755 archive.tar.gz$({t('add')}) /opt/
ONBUILD RUN {t('onbuild')}
HEALTHCHECK --interval=5s CMD {t('healthcheck')} || exit 1
ENTRYPOINT ["sh", "-c", "{t('entrypoint')}"]
CMD {t('cmd')}; $({t('cmd-subst')})
"""


def snapshot(directory):
    out = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs + files:
            path = os.path.join(root, name)
            out[os.path.relpath(path, directory)] = None if os.path.isdir(path) else open(path, "rb").read()
    return out


def test_dockerfile_content_is_never_executed(tmp_path):
    canary = tmp_path / "canary"
    canary.mkdir()
    tmp_marker = f"/tmp/dlint-pwned-{uuid.uuid4().hex}"
    work = tmp_path / "work"
    work.mkdir()
    text = hostile_dockerfile(str(canary), tmp_marker)
    (work / "Dockerfile").write_text(text)
    (work / "copy").write_text(text)
    before = snapshot(work)
    for args in (["check", "Dockerfile"], ["check", "--format", "sarif", "Dockerfile"],
                 ["check", "--show-fixes", "--extend-select", "L008", "--build-arg", "BASE=debian", "Dockerfile"],
                 # ShellCheck (the SC rule) reads every RUN script: it runs none of them
                 ["check", "--select", "ALL", "Dockerfile"],
                 ["fix", "--unsafe-fixes", "--diff", "--extend-select", "L008", "Dockerfile"],
                 ["fix", "--unsafe-fixes", "--extend-select", "L008", "copy"],
                 ["fix", "Dockerfile"]):
        r = dlint(*args, cwd=work)
        assert_no_crash(r)
    assert os.listdir(canary) == [] and not os.path.exists(tmp_marker)
    after = snapshot(work)
    assert after.keys() == before.keys()  # no file created or removed
    changed = {name for name in before if after[name] != before[name]}
    assert changed <= {"Dockerfile", "copy"}
    assert "copy" in changed  # the fixes were applied (and wrote only the file itself)


def test_checking_and_fixing_start_no_process(tmp_path, monkeypatch):
    """In process, with every way of starting a program replaced by a failure."""
    import subprocess as sp

    from dlint.settings import Settings
    from dlint.fixer import fix_source
    from dlint.rules import ALL_RULES
    from dlint.checking import check_source

    started = []

    def refuse(*args, **kwargs):
        started.append(args[:1])
        raise AssertionError(f"dlint started a program: {args[:1]}")

    for module, names in ((os, ("system", "popen", "fork", "forkpty", "execv", "execve", "execvp", "execvpe",
                                "spawnv", "spawnve", "spawnvp", "posix_spawn", "posix_spawnp")),
                          (sp, ("Popen", "run", "call", "check_call", "check_output", "getoutput"))):
        for name in names:
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)
    data = hostile_dockerfile(str(tmp_path / "canary"), "/tmp/dlint-never").encode()
    # every rule but the ShellCheck one, which starts the shellcheck program (an analyser: it reads the
    # scripts and runs none; the test above runs it on this file)
    settings = Settings(enabled={r.code for r in ALL_RULES if r.subcodes is None})
    result = check_source("Dockerfile", data, settings)
    assert not result.problems and result.diagnostics
    for unsafe in (False, True):
        fixed = fix_source("Dockerfile", data, settings, unsafe=unsafe)
        assert not fixed.problems and fixed.fixed
    assert started == []


# --- regular expressions: linear time --------------------------------------------------------------------

_METHODS = {"compile", "match", "search", "sub", "subn", "fullmatch", "findall", "finditer", "split"}


def _modules():
    for dirpath, _, files in os.walk(PACKAGE):
        for f in sorted(files):
            if f.endswith(".py") and f not in ("__main__.py", "_regex.py"):
                path = os.path.join(dirpath, f)
                name = "dlint." + os.path.relpath(path, PACKAGE)[:-3].replace(os.sep, ".")
                yield path, name.replace(".__init__", "")


def dlint_patterns():
    """Every regular expression in dlint's source: (where, pattern, flags, methods it is used with).

    Found in the syntax tree (``re.<function>(pattern, ...)``, ``re.compile`` and ``lazy_compile``), with
    the pattern evaluated in its module (f-strings over module constants). A compiled pattern kept in a
    module-level name is tested with the methods called on that name anywhere in dlint; one in a table,
    with ``search``, the most demanding. Module-level patterns used nowhere are left out.
    """
    trees = {path: ast.parse(open(path, encoding="utf-8").read()) for path, _ in _modules()}
    used = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr in _METHODS:
                used.setdefault(node.value.id, set()).add(node.attr)
    found, unresolved, unused = [], [], []
    for path, modname in _modules():
        module = importlib.import_module(modname)
        tree = trees[path]
        names = {id(node.value): node.targets[0].id for node in tree.body
                 if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            fn = node.func
            is_re = (isinstance(fn, ast.Attribute) and isinstance(fn.value, ast.Name) and fn.value.id == "re"
                     and fn.attr in _METHODS)
            is_lazy = isinstance(fn, ast.Name) and fn.id == "lazy_compile"
            if not (is_re or is_lazy):
                continue
            where = f"{os.path.relpath(path, ROOT)}:{node.lineno}"
            scope = {"re": re, **vars(module)}
            try:
                pattern = eval(compile(ast.Expression(node.args[0]), path, "eval"), scope)
                flags = 0
                if (is_lazy or fn.attr == "compile") and len(node.args) > 1:
                    flags = eval(compile(ast.Expression(node.args[1]), path, "eval"), scope)
            except Exception as exc:
                unresolved.append(f"{where}: {exc}")
                continue
            if isinstance(pattern, re.Pattern):
                pattern, flags = pattern.pattern, pattern.flags
            if is_re and fn.attr != "compile":
                methods = {fn.attr}
            else:
                name = names.get(id(node))
                if name is not None and not (used.get(name, set()) - {"compile"}):
                    unused.append(f"{where} {name}")
                    continue
                methods = (used.get(name, set()) - {"compile"}) if name else {"search"}
            found.append((where, pattern, flags, sorted(methods)))
    return found, unresolved, unused


_POOL = " \t\nax0Z_-./:=$#\"'\\`[]{}()<>@*,;!+~"
_CATEGORIES = {C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_DIGIT: r"\d",
               C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = tuple(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if op)


def _in_set(items, ch, flags):
    negate, hit = False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= ord(ch) == av or bool(flags & re.I and ch.lower() == chr(av).lower())
        elif op is C.RANGE:
            hit |= any(av[0] <= ord(c) <= av[1] for c in ({ch, ch.lower(), ch.upper()} if flags & re.I else {ch}))
        elif op is C.CATEGORY:
            hit |= bool(re.match(_CATEGORIES.get(av, r"\s"), ch))
    return hit != negate


def _accepted(op, av, flags):
    """Characters a one-character item accepts (None: not a one-character item)."""
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.NOT_LITERAL:
        return [c for c in _POOL if ord(c) != av][:4]
    if op is C.ANY:
        return ["x", " "]
    if op is C.IN:
        chars = [c for c in _POOL if _in_set(av, c, flags)]
        chars += [chr(a if o is C.LITERAL else a[0]) for o, a in av if o in (C.LITERAL, C.RANGE)]
        return list(dict.fromkeys(chars)) or ["x"]
    return None


def _example(seq, flags):
    """A short string matching ``seq`` (first branch, fewest repetitions)."""
    out = []
    for op, av in seq:
        one = _accepted(op, av, flags)
        if one is not None:
            out.append(one[0])
        elif op in _REPEATS:
            out.append(_example(av[2], flags) * av[0])
        elif op is C.SUBPATTERN:
            out.append(_example(av[-1], flags))
        elif op is C.BRANCH:
            out.append(_example(av[1][0], flags))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(_example(av, flags))
    return "".join(out)


def attacks(pattern: str, flags: int, n: int):
    """Long strings aimed at each repetition in the pattern: what leads up to it, ``n`` characters it
    accepts, then an ending that fails the rest (or nearly matches it); and keywords repeated ``n`` times."""
    found = []

    def walk(seq, prefix, suffix):
        for k, (op, av) in enumerate(seq):
            before = prefix + _example(seq[:k], flags)
            after = _example(seq[k + 1:], flags) + suffix
            if op in _REPEATS:
                fillers = {_example(av[2], flags) or "x"}
                if len(av[2]) == 1:
                    fillers.update(_accepted(*av[2][0], flags) or ())
                for f in sorted(fillers):
                    run = f * max(1, n // len(f))
                    for tail in ("\x01", after[:-1], after + "\x01"):
                        found.append(before + run + tail)
                        found.append(run + tail)
                walk(av[2], before, after)
            elif op is C.SUBPATTERN:
                walk(av[-1], before, after)
            elif op is C.BRANCH:
                for branch in av[1]:
                    walk(branch, before, after)
            elif op in (C.ASSERT, C.ASSERT_NOT):
                walk(av[1], before, after)
            elif op is getattr(C, "ATOMIC_GROUP", None):
                walk(av, before, after)

    walk(list(sre_parse.parse(pattern, flags)), "", "")
    for word in re.findall(r"[A-Za-z_][A-Za-z0-9_:-]{2,}", pattern)[:6]:
        found.append((word + " ") * (n // (len(word) + 1)) + "\x01")
        found.append(word * (n // len(word)) + "\x01")
    return list(dict.fromkeys(found))


def attack_all(n: int) -> None:
    """Run every pattern on its attack strings, printing each pattern before it runs (the last one printed
    is the culprit if this does not finish)."""
    found, unresolved, unused = dlint_patterns()
    print(json.dumps({"patterns": len(found), "unresolved": unresolved, "unused": unused}), flush=True)
    for where, pattern, flags, methods in found:
        print(f"{where} {pattern!r} {methods}", flush=True)
        compiled = re.compile(pattern, flags)
        for s in attacks(pattern, flags, n):
            for method in methods:
                result = getattr(compiled, method)(*(("", s) if method in ("sub", "subn") else (s,)))
                if method == "finditer":
                    list(result)
    print("done", flush=True)


def test_regular_expressions_are_linear_on_long_crafted_input():
    """100,000-character attack strings for every pattern; a quadratic pattern needs billions of steps on
    them, far beyond the guard, while all of them together take seconds."""
    code = f"import sys; sys.path.insert(0, {TESTS!r}); import test_no_execution as t; t.attack_all(100_000)"
    try:
        r = subprocess.run([sys.executable, "-c", code], env=env(), capture_output=True, text=True, timeout=150)
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode().splitlines() if isinstance(exc.stdout, bytes) else (exc.stdout or "").splitlines()
        pytest.fail(f"a regular expression did not finish on a long line: {lines[-1] if lines else '?'}")
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.splitlines()
    summary = json.loads(lines[0])
    assert summary["unresolved"] == [], "patterns this test could not evaluate: extend it"
    assert summary["patterns"] >= 50 and lines[-1] == "done"


# Patterns dlint once had, quadratic on these inputs; the attack strings must include each input.
FORMERLY_QUADRATIC = [
    (r"#\s*dlint:\s*(ignore|ignore-stage|ignore-file)\s*=\s*([A-Za-z0-9_,\- ]+?)\s*(?:#.*)?\Z", "#dlint:ignore=", " "),
    (r"#[\t\f\r ]*([A-Za-z][A-Za-z0-9]*)[\t\f\r ]*=[\t\f\r ]*(.+?)[\t\f\r ]*\Z", "#a=x", "\f"),
    (r"\bCGO_ENABLED\s*[= ]\s*[\"']?0\b", "CGO_ENABLED", " "),
    (r"-extldflags[= ]*[\"']*[^\"']*-static\b", "-extldflags", "="),
    (r"[0-9.]+$", "", "0"),
]


@pytest.mark.parametrize("pattern,prefix,filler", FORMERLY_QUADRATIC)
def test_attack_strings_include_the_inputs_that_were_slow(pattern, prefix, filler):
    n = 1000
    assert any(s.startswith(prefix + filler * n) and s[len(prefix) + n:].strip(filler) in ("\x01", "")
               for s in attacks(pattern, 0, n))


# Long lines of the shapes that made dlint's own patterns (or its code around them) slow, checked and fixed
# end to end.
LONG = 100_000
CRAFTED = {
    "ignore-comment": f"FROM debian:12\n# dlint: ignore={' ' * LONG}x\nRUN true\n",
    "hadolint-comment": f"FROM debian:12\n# hadolint ignore=DL3008{' ' * LONG}x\nRUN true\n",
    "directive": f"# syntax=x{chr(12) * LONG}y\nFROM debian:12\n",
    "cgo": f"FROM golang:1.22 AS build\nENV CGO_ENABLED{' ' * LONG}x\nRUN go build -o /app .\n"
           f"FROM debian:12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
    "ldflags": f"FROM golang:1.22 AS build\nRUN go build -ldflags \"-extldflags{'=' * LONG}\" -o /app .\n"
               f"RUN go build {'-extldflags ' * (LONG // 12)}-o /app .\nFROM debian:12\nCOPY --from=build /app /app\n",
    "interpreter": f"FROM python:3.12\nENTRYPOINT [\"python3{'0' * LONG}\"]\nCMD python{'.' * LONG}x main.py\n",
    "json-escapes": f"FROM debian:12\nCMD [\"{chr(92) * 2 * (LONG // 2)}\", \"{chr(92)}u00{'e' * LONG}\"]\n",
    "image": f"FROM {'a-' * (LONG // 2)}!\nRUN true\nFROM {'a/' * (LONG // 2)}b:{'1' * LONG}\n",
    "heredoc-words": f"FROM debian:12\nRUN cat {'0' * LONG}<<{'<' * 10}x\nCOPY {'<' * LONG} /x\n",
    "copy-paths": f"FROM debian:12\nCOPY {'a' * LONG}.tar.gz {'.0' * (LONG // 2)} /x/\nRUN rm -rf {'/a' * (LONG // 2)}\n",
    "shell": f"FROM debian:12\nRUN {'$(' * 200}x{')' * 200} {'&& true ' * (LONG // 8)}\n"
             f"RUN apt-get install -y {'a' * LONG} && rm -rf {'*' * LONG}\n",
    "env": f"FROM debian:12\nENV {'a=b ' * (LONG // 4)}\nLABEL {'x' * LONG}=\"{'y' * LONG}\n",
    "flags": f"FROM debian:12\nRUN --mount={'type=cache,' * (LONG // 11)} {'--x ' * (LONG // 4)}true\n",
}


def test_crafted_long_lines_end_to_end(tmp_path):
    for name, text in CRAFTED.items():
        (tmp_path / name).write_text(text)
    names = sorted(CRAFTED)
    for args in (["check"], ["fix", "--unsafe-fixes", "--diff", "--extend-select", "L008"]):
        r = dlint(*args, *names, cwd=tmp_path, timeout=300)
        assert_no_crash(r)
