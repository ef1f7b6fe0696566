"""The fixer over the real corpus: BuildKit accepts every fixed file, only the intended instructions change,
a second run changes nothing, and the fixed RUNs run the same commands as the originals (in a sandbox)."""
import os
import re
import shlex

import pytest

from dlint.config import Config
from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.settings import settings_for
from dlint.validation import validate
from dlint.shell import script_of
from dlint.syntax import decode, parse

from conftest import corpus_files
from shell_sandbox import Sandbox, available
from shell_sandbox import without_cleanups

# Instructions a fix may rewrite: RUN (merged, extended), COPY/ADD (flags), CMD/ENTRYPOINT (exec form).
REWRITABLE = {"RUN", "COPY", "ADD", "CMD", "ENTRYPOINT", "HEALTHCHECK"}


def fixable_files():
    out = []
    for path in corpus_files():
        data = open(path, "rb").read()
        doc, problems = validate(path, data, decode(data))
        if doc is not None and not any(p.blocks_fix for p in problems):
            out.append((path, decode(data)))
    return out


@pytest.fixture(scope="module")
def files():
    found = fixable_files()
    if not found:
        pytest.skip("corpus not present")
    return found


def skeleton(doc):
    return [_maintainer_as_label(i.name, " ".join(i.args.split()) if i.name not in REWRITABLE else None)
            for i in doc.instructions if i.name != "RUN"]


def _maintainer_as_label(name, args):
    """``MAINTAINER x`` as the ``LABEL maintainer="x"`` its fix writes (D012), ``ADD`` as the ``COPY`` (D005)."""
    if name == "MAINTAINER":
        return "LABEL", f'maintainer="{args}"'
    return ("COPY" if name == "ADD" else name), args


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fixed_corpus_parses_keeps_instructions_and_is_idempotent(files, unsafe):
    import dockerfile

    changed = 0
    for path, text in files:
        settings = settings_for(path, Config())
        fixed, _, problem = fix_text(path, text, settings, unsafe)
        assert problem is None, problem.render()
        if fixed == text:
            continue
        changed += 1
        dockerfile.parse_string(fixed)  # raises if BuildKit rejects it
        before, after = parse(text), parse(fixed)
        assert skeleton(after) == skeleton(before), path
        assert sum(i.name == "RUN" for i in after.instructions) <= sum(i.name == "RUN" for i in before.instructions)
        again, _, problem = fix_text(path, fixed, settings, unsafe)
        assert again == fixed, f"second fix changed {path}"
    assert changed > 0


def _env_pairs(args: str) -> dict:
    try:
        words = shlex.split(args)
    except ValueError:
        return {}
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words if "=" in w)


def stage_steps(doc, index):
    steps = []
    for ins in doc.stages[index].instructions:
        if ins.name == "RUN":
            script = script_of(ins)
            if script is None or script.exec_form or ins.heredocs:
                return None
            steps.append(("RUN", script.text))
        elif ins.name == "WORKDIR" and ins.args.startswith("/") and "$" not in ins.args:
            steps.append(("WORKDIR", ins.args))
        elif ins.name == "ENV":
            steps.append(("ENV", _env_pairs(ins.args)))
    return steps


# The opt-in consecutive-runs rule merges nearly every RUN of the corpus; DLINT_CORPUS_ALL_MERGES=1 adds it.
MERGES = Settings(enabled={"L001", "L002"} | ({"L008"} if os.environ.get("DLINT_CORPUS_ALL_MERGES") else set()))
DEFAULTS = Settings(enabled={"L001", "L002", "L003", "L004"})


@pytest.mark.skipif(not available(), reason="needs root for chroot")
@pytest.mark.parametrize("settings,normalize", [(MERGES, False), (DEFAULTS, True)],
                         ids=["merges", "layer-fixes"])
def test_fixed_corpus_runs_the_same_commands(files, tmp_path, settings, normalize):
    import subprocess

    box = Sandbox(str(tmp_path))
    compared = skipped = 0
    for path, text in files:
        fixed, _, _ = fix_text(path, text, Settings(enabled=set(settings.enabled)), unsafe=False)
        if fixed == text:
            continue
        before_doc, after_doc = parse(text), parse(fixed)
        for index in range(len(before_doc.stages)):
            a = stage_steps(before_doc, index)
            b = stage_steps(after_doc, index)
            if a is None or b is None or a == b:
                continue
            for doc in (before_doc, after_doc):
                for ins in doc.stages[index].instructions:
                    if ins.name == "RUN":
                        for cmd in script_of(ins).commands:
                            if cmd.name:
                                box.stub(cmd.name)
            try:
                log_a, status_a = box.run_build(a, timeout=5)
                log_b, status_b = box.run_build(b, timeout=5)
            except subprocess.TimeoutExpired:
                skipped += 1
                continue
            if normalize:
                log_a, log_b = without_cleanups(log_a), without_cleanups(log_b)
            if any(re.search(r"(?<!\|)\|(?!\|)", value) for kind, value in a if kind == "RUN"):
                # members of a pipeline run at the same time: their order in the log is the scheduler's
                log_a, log_b = sorted(log_a), sorted(log_b)
            assert (log_b, status_b) == (log_a, status_a), f"{path} stage {index}"
            compared += 1
    assert compared > 30, (compared, skipped)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_every_rule_fixed_corpus_parses_and_is_idempotent(files, unsafe):
    """Every rule selected (opt-in ones too): BuildKit accepts each fixed file and a second fix changes nothing.
    (Rules beyond the layer rules may rewrite instructions on purpose: MAINTAINER, relative WORKDIR, a
    redundant FROM --platform, a SHELL for pipefail; the skeleton is not compared here.)"""
    import dockerfile

    from dlint import rules

    settings = Settings(enabled={r.code for r in rules.ALL_RULES if not r.code.startswith("SC")})
    changed = 0
    for path, text in files:
        fixed, _, problem = fix_text(path, text, settings, unsafe)
        assert problem is None, problem.render()
        if fixed == text:
            continue
        changed += 1
        dockerfile.parse_string(fixed)  # raises if BuildKit rejects it
        again, _, problem = fix_text(path, fixed, settings, unsafe)
        assert again == fixed, f"second fix changed {path}"
    assert changed > 0
