"""Differential execution: merged RUNs run the same commands, in the same directories, with the same
environment and the same final status as the original RUNs run one after another."""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.shell import script_of
from dlint.syntax import parse

from shell_sandbox import Sandbox, available, without_cleanups

pytestmark = pytest.mark.skipif(not available(), reason="needs root for chroot")
EXAMPLES = int(os.environ.get("DLINT_FUZZ_EXAMPLES", "60"))

MERGE_ONLY = Settings(enabled={"L001", "L002", "L008"})


def run_steps(doc):
    steps = []
    for ins in doc.stages[-1].instructions:
        if ins.name == "RUN":
            steps.append(("RUN", script_of(ins).text))
        elif ins.name == "WORKDIR":
            steps.append(("WORKDIR", ins.args))
    return steps


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    box = Sandbox(str(tmp_path_factory.mktemp("root")))
    for name in ("ok1", "ok2", "ok3", "ok4", "bad1", "bad2", "apt-get", "make"):
        box.stub(name)
    return box


def assert_same_behaviour(box, original_text, fixed_text, each_failure=False):
    """Same log and status; with ``each_failure``, also with each stub call of the original failing in turn."""
    before_steps, after_steps = run_steps(parse(original_text)), run_steps(parse(fixed_text))
    before = box.run_build(before_steps)
    failures = [None] + (box.calls(before[0]) if each_failure else [])
    for fail in failures:
        before = box.run_build(before_steps, fail=fail)
        after = box.run_build(after_steps, fail=fail)
        assert after == before, f"\nfailing: {fail}\n--- original\n{original_text}\n--- fixed\n{fixed_text}"


CASES = [
    # cd leaks into the next RUN unless isolated
    "RUN cd d1 && ok1\nRUN ok2\n",
    "RUN cd d1; ok1\nRUN ok2\n",
    # export, assignment, unset, umask, set -e
    "RUN export X=1\nRUN ok1\n",
    "RUN X=2\nRUN ok1\n",
    "RUN ok1 && export Y=5 && ok2\nRUN ok3\n",
    "RUN umask 077\nRUN ok1\n",
    "RUN set -e\nRUN bad1; ok1\n",
    # exit ends only its own RUN
    "RUN exit 0\nRUN ok1\n",
    "RUN ok1 || exit 0\nRUN ok2\n",
    "RUN exit 3\nRUN ok1\n",
    # || and ; precedence
    "RUN bad1 || ok1\nRUN ok2\n",
    "RUN ok1\nRUN bad1 || ok2; ok3\n",
    "RUN ok1\nRUN bad1; ok2\n",
    "RUN bad1\nRUN ok1 || ok2\n",
    "RUN bad1\nRUN ok1 && ok1 || echo hi > f\n",
    "RUN ok1 && cd d1 && echo hi > f | true\nRUN ok2\n",
    "RUN bad1; ok1\nRUN ok2\n",
    "RUN ok1; bad1\nRUN ok2\n",
    "RUN ok1\nRUN ok2; bad1\n",
    # trailing comments
    "RUN ok1 # note\nRUN ok2\n",
    "RUN ok1\nRUN ok2 # note\nRUN ok3\n",
    "RUN ok1 # a\n# between\nRUN ok2 # b\n",
    # subshells, groups, conditionals, pipelines
    "RUN (cd d1; ok1)\nRUN ok2\n",
    "RUN { cd d2; ok1; }\nRUN ok2\n",
    "RUN if ok1; then cd d1; fi\nRUN ok2\n",
    "RUN cd d1 | ok1\nRUN ok2\n",
    "RUN ok1 && cd d1 && ok2\nRUN ok3\nRUN ok4\n",
    # package installs (L001/L002)
    "RUN apt-get update\nRUN apt-get install -y curl\n",
    "RUN apt-get update\nRUN apt-get install -y a\nRUN cd d1 && apt-get install -y b\nRUN apt-get install -y c\n",
    # WORKDIR between RUNs is not merged over
    "RUN ok1\nWORKDIR d2\nRUN ok2\n",
    # set -e is ignored inside a ( ) followed by &&, so such RUNs are not grouped
    "RUN set -e && ok1 | false; ok1 | true\nRUN ok2\n",
    "RUN (set -e; bad1; ok1); cd d1\nRUN ok2\n",
    # trailing separators
    "RUN ok1;\nRUN ok2\n",
    "RUN ok1; ok2;\nRUN ok3; bad1;\n",
    # continuation lines
    "RUN ok1 && \\\n    cd d1 && \\\n    ok2\nRUN ok3\n",
]


@pytest.mark.parametrize("body", CASES)
def test_known_cases(sandbox, body):
    text = "FROM debian:12\n" + body
    fixed, _, problem = fix_text("Dockerfile", text, MERGE_ONLY, unsafe=False)
    assert problem is None
    assert_same_behaviour(sandbox, text, fixed, each_failure=True)


def test_classic_case_merges_to_one_run():
    text = "FROM ubuntu:22.04\nRUN apt update && apt upgrade -y\n" + "".join(
        f"RUN apt install -y pkg{i}\n" for i in range(6))
    fixed, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L001", "L002"}), unsafe=False)
    assert problem is None
    runs = [i for i in parse(fixed).instructions if i.name == "RUN"]
    assert len(runs) <= 2
    assert len(parse(fixed).instructions) <= 3


atoms = st.sampled_from([
    "ok1", "ok2 a b", "ok3 \"$X\"", "ok4 $Y", "bad1", "bad2 x", "cd d1", "cd d2", "cd /nonexistent",
    "export X=1", "X=2", "Y=3 ok1", "unset X", "set -e", "exit 0", "exit 3", "true", "false", "umask 077",
    ": ${X:=9}", "echo hi > f",
])


@st.composite
def and_or(draw):
    parts = draw(st.lists(atoms, min_size=1, max_size=3))
    ops = draw(st.lists(st.sampled_from([" && ", " || "]), min_size=len(parts) - 1, max_size=len(parts) - 1))
    out = parts[0]
    for op, p in zip(ops, parts[1:]):
        out += op + p
    if draw(st.integers(0, 3)) == 0:
        # the right side of a pipe is a builtin so that log order does not depend on scheduling
        out += " | " + draw(st.sampled_from(["true", "false", "cd d1", "export X=7", "read v"]))
    wrap = draw(st.sampled_from(["", "", "", "()", "{}", "if"]))
    if wrap == "()":
        out = f"({out})"
    elif wrap == "{}":
        out = f"{{ {out}; }}"
    elif wrap == "if":
        out = f"if ok1; then {out}; fi"
    return out


@st.composite
def run_body(draw):
    lists = draw(st.lists(and_or(), min_size=1, max_size=3))
    body = "; ".join(lists)
    if draw(st.booleans()) and len(body) > 10:
        cut = body.find(" && ")
        if cut > 0:
            body = body[:cut] + " && \\\n    " + body[cut + 4:]
    if draw(st.integers(0, 4)) == 0:
        body += " # note"
    return body


@st.composite
def dockerfile(draw):
    bodies = draw(st.lists(run_body(), min_size=2, max_size=4))
    lines = ["FROM debian:12"]
    for b in bodies:
        if draw(st.integers(0, 5)) == 0:
            lines.append("# a comment")
        lines.append("RUN " + b)
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
@given(dockerfile())
def test_generated_merges_keep_behaviour(sandbox, text):
    fixed, _, problem = fix_text("Dockerfile", text, MERGE_ONLY, unsafe=False)
    assert problem is None
    assert_same_behaviour(sandbox, text, fixed)


ALL_LAYER_FIXES = Settings(enabled={"L001", "L002", "L003", "L004", "L008"})
CLEANUP_CASES = [
    "RUN apt-get update && apt-get install -y curl\n",
    "RUN set -eux; apt-get update; apt-get install -y curl; cd d1; ok1\n",
    "RUN apt-get update\nRUN apt-get install -y a\nRUN rm -rf /var/lib/apt/lists/*\n",
    "RUN cd d1 && apt-get update && apt-get install -y a # comment\nRUN rm -rf /var/lib/apt/lists/*\n",
    "RUN pip install flask && cd d2 && pip3 install -r req.txt\n",
    "RUN apk add curl; ok1\n",
    "RUN yum install -y a && yum install -y b\nRUN ok1\n",
]


@pytest.mark.parametrize("body", CLEANUP_CASES)
def test_cleanup_fixes_only_add_cleanups(sandbox, body):
    for name in ("pip", "pip3", "apk", "yum", "npm", "rm"):
        sandbox.stub(name)
    text = "FROM debian:12\n" + body
    fixed, _, problem = fix_text("Dockerfile", text, ALL_LAYER_FIXES, unsafe=True)
    assert problem is None
    assert fixed != text
    before = sandbox.run_build(run_steps(parse(text)))
    after = sandbox.run_build(run_steps(parse(fixed)))
    assert (without_cleanups(after[0]), after[1]) == (without_cleanups(before[0]), before[1]), fixed


def test_exit_before_the_end_blocks_appending_a_cleanup():
    text = "FROM debian:12\nRUN ok1 || exit 0; npm install -g yarn\n"
    fixed, diags, problem = fix_text("Dockerfile", text, ALL_LAYER_FIXES, unsafe=True)
    assert fixed == text
    [d] = [d for d in diags if d.code == "L004"]
    assert d.fix is None and "`exit`" in d.rendered_message
