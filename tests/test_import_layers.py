"""dlint's modules import downward only: no import circle, and nothing imports the command layer (or a
rule module) from below. Walks every ``import`` in dlint/, including those inside functions."""
from __future__ import annotations

import ast
import glob
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "dlint")

# The command layer: reads inputs, writes files and reports, computes exit codes. Nothing below imports it.
EDGE = {"dlint.cli", "dlint.commands", "dlint.entry", "dlint.__main__"}
# Modules the pure core must not import (I/O at the edges).
CORE = {"dlint.fixer", "dlint.engine", "dlint.context", "dlint.checking", "dlint.validation", "dlint.syntax",
        "dlint.shell", "dlint.stages", "dlint.merge", "dlint.diagnostics", "dlint.suppressions", "dlint.settings",
        "dlint.build_context", "dlint.dockerignore", "dlint.estimates", "dlint.layers", "dlint.image_layers"}
# Below the command layer only these write to the terminal: the progress line the commands drive.
TERMINAL = {"dlint.progress"}


def _module_name(path: str) -> str:
    rel = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
    return rel[: -len(".__init__")] if rel.endswith(".__init__") else rel


def _imports(path: str):
    name = _module_name(path)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("dlint"):
                    yield a.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("dlint"):
                continue
            for a in node.names:  # ``from . import rules`` imports the module dlint.rules
                sub = f"{mod}.{a.name}"
                yield sub if os.path.exists(os.path.join(ROOT, *sub.split(".")) + ".py") or \
                    os.path.isdir(os.path.join(ROOT, *sub.split("."))) else mod


def graph():
    out = {}
    for path in glob.glob(os.path.join(PKG, "**", "*.py"), recursive=True):
        out[_module_name(path)] = set(_imports(path)) - {_module_name(path)}
    return out


def test_no_import_circle():
    g = graph()
    state = {}
    stack = []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for dep in sorted(g.get(m, ())):
            if dep not in g:
                continue
            if state.get(dep) == "open":
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(dep):] + [dep]))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[m] = "done"

    for m in sorted(g):
        if m not in state:
            visit(m)


def test_nothing_below_imports_the_command_layer():
    for mod, deps in graph().items():
        if mod in EDGE:
            continue
        assert not deps & EDGE, f"{mod} imports the command layer: {sorted(deps & EDGE)}"


def test_the_core_does_no_output():
    for mod, deps in graph().items():
        if mod in CORE:
            assert "dlint.writing" not in deps and "dlint.inputs" not in deps, mod
    for path in glob.glob(os.path.join(PKG, "*.py")):
        if _module_name(path) in CORE:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            assert "import click" not in text and "print(" not in text, path


def test_nothing_below_the_command_layer_prints():
    for path in glob.glob(os.path.join(PKG, "**", "*.py"), recursive=True):
        mod = _module_name(path)
        if mod in EDGE or mod in TERMINAL or mod.startswith("dlint.server"):  # the language server is an edge
            continue
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for needle in ("print(", "sys.stdout", "sys.stderr"):
            assert needle not in text, f"{mod} writes to the terminal ({needle}): return text, the command prints"


def test_no_rule_imports_another_rule():
    from dlint import rules

    names = set(rules.rule_module_names())
    for mod, deps in graph().items():
        if not mod.startswith("dlint.rules."):
            continue
        others = {d for d in deps if d.startswith("dlint.rules.") and d.rsplit(".", 1)[1] in names}
        assert not others, f"{mod} imports the rule(s) {sorted(others)}: shared facts go in dlint/rules/_facts.py"
        if mod.rsplit(".", 1)[1].startswith("_"):
            continue
    for mod, deps in graph().items():  # and nothing outside the registry imports a rule module
        if mod.startswith("dlint.rules") or mod == "dlint.rule":
            continue
        rule_mods = {d for d in deps if d.startswith("dlint.rules.") and d.rsplit(".", 1)[1] in names}
        assert not rule_mods, (mod, rule_mods)
