"""Differential execution with every command failing in turn: a fixed file runs the same commands, with the
same environment and the same final status as the original, when no command fails and when each single
command call (the n-th call of one argv) fails, under the SHELL in force (sh or bash, its flags, SHELLOPTS)
and across stages built on other stages."""
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.shell import script_of
from dlint.stages import StageGraph
from dlint.syntax import parse

from shell_sandbox import Sandbox, available, has_bash, without_cleanups

pytestmark = pytest.mark.skipif(not available(), reason="needs root for chroot")
EXAMPLES = int(os.environ.get("DLINT_FUZZ_EXAMPLES", "60")) // 2

MERGES = Settings(enabled={"L001", "L002", "L008"})
LAYER_FIXES = Settings(enabled={"L001", "L002", "L003", "L004", "L008"})
STUBS = ("ok1", "ok2", "ok3", "ok4", "bad1", "bad2", "apt-get", "rm", "npm", "make")



def steps_of(text):
    """The build steps of the last stage, with the stages it is built on first (their SHELL, ENV and
    WORKDIR carry over)."""
    doc = parse(text)
    graph = StageGraph(doc)
    steps = []
    for index in reversed(graph.chain(len(doc.stages) - 1)):
        for ins in doc.stages[index].instructions:
            if ins.name == "RUN":
                steps.append(("RUN", script_of(ins).text))
            elif ins.name == "WORKDIR":
                steps.append(("WORKDIR", ins.args))
            elif ins.name == "SHELL":
                steps.append(("SHELL", ins.json))
            elif ins.name == "ENV":
                steps.append(("ENV", dict(w.split("=", 1) for w in ins.args.split())))
    return steps





@pytest.fixture(scope="module")
def box(tmp_path_factory):
    sandbox = Sandbox(str(tmp_path_factory.mktemp("root")))
    for name in STUBS:
        sandbox.stub(name)
    return sandbox


def assert_same_with_each_failure(box, original, fixed, cleanups=False):
    """Same log and status with no failure, then with each call of the original failing in turn. Returns
    the number of builds compared."""
    before_steps, after_steps = steps_of(original), steps_of(fixed)
    norm = without_cleanups if cleanups else (lambda log: log)
    log, _ = box.run_build(before_steps)
    fixed_log, _ = box.run_build(after_steps)
    # a call is failed in both builds when it is the same call in both: an argv the fixes added a copy of
    # (a cleanup already in a later RUN) has no counterpart to fail
    counts = {}
    for argv, n in box.calls(fixed_log):
        counts[argv] = n
    failures = [None] + [(argv, n) for argv, n in box.calls(log)
                         if not cleanups or counts.get(argv) == sum(1 for a, _ in box.calls(log) if a == argv)]
    for fail in failures:
        before = box.run_build(before_steps, fail=fail)
        after = box.run_build(after_steps, fail=fail)
        assert (norm(after[0]), after[1]) == (norm(before[0]), before[1]), (
            f"\nfailing: {fail}\n--- original\n{original}\n--- fixed\n{fixed}")
    return len(failures)


def fixed_text(text, chosen):
    fixed, _, problem = fix_text("Dockerfile", text, chosen, unsafe=False)
    assert problem is None
    return fixed


SHELLS = ['["/bin/sh", "-c"]'] + ([
    '["/bin/bash", "-c"]', '["/bin/bash", "-eo", "pipefail", "-c"]', '["/bin/bash", "-o", "errexit", "-c"]',
    '["/bin/bash", "-eux", "-c"]'] if has_bash() else []) + ['["/bin/sh", "-e", "-c"]']

# Each: a file whose safe fixes must keep what every build does, failing command by failing command.
CASES = [
    # 1. an appended or moved command list keeps its own precedence
    "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/* || true\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN apt-get clean; rm -rf /var/lib/apt/lists/*\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/* &\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/* || ok1; ok2\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y x || ok1\nRUN rm -rf /var/lib/apt/lists/* # done\n",
    "FROM debian:12\nRUN set -e; apt-get update; if ok1; then apt-get install -y x; ok2; fi\n"
    "RUN rm -rf /var/lib/apt/lists/*\n",
    "FROM debian:12\nRUN set -e; npm install -g y; if ok1; then ok2; ok3; fi\n",
    "FROM debian:12\nRUN set -e; if ok1; then ok2; ok3; fi; npm install -g y\n",
    # 2. errexit from the SHELL's flags or the environment, in this stage or the one it builds on
    *(f"FROM debian:12\nSHELL {shell}\nRUN ok1\nRUN bad1; ok2\nRUN ok3; ok4\nRUN ok1\n" for shell in SHELLS),
    *(f"FROM debian:12\nSHELL {shell}\nRUN cd d1; ok1\nRUN ok2; ok3\n" for shell in SHELLS),
    *(f"FROM debian:12\nSHELL {shell}\nRUN apt-get update && apt-get install -y x\n"
      "RUN rm -rf /var/lib/apt/lists/* || true; ok1\n" for shell in SHELLS),
    *(f"FROM debian:12 AS base\nSHELL {shell}\nFROM base\nRUN ok1\nRUN ok2; ok3\nRUN ok4; ok1\n" for shell in SHELLS),
    *([
        'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nENV SHELLOPTS=errexit\nRUN ok1\nRUN ok2; ok3\nRUN ok4\n',
        'FROM debian:12 AS base\nSHELL ["/bin/bash", "-c"]\nENV SHELLOPTS=errexit\nFROM base\nRUN ok1\n'
        'RUN ok2; ok3\nRUN ok4; ok1\nRUN ok2\n',
        'FROM debian:12 AS base\nENV SHELLOPTS=errexit\nFROM base\nSHELL ["/bin/bash", "-c"]\nRUN cd d1; ok1\n'
        'RUN ok2; ok3\n',
    ] if has_bash() else []),
    # a cleanup moved up across a RUN that only runs apt-get clean, taking its comment along: under each
    # SHELL (with -e too), in a stage of its own and in one built on a stage with -e
    *(f"FROM debian:12\nSHELL {shell}\nRUN apt-get update && apt-get install -y x; ok1\nRUN apt-get clean\n"
      "# drop the lists\nRUN rm -rf /var/lib/apt/lists/*\n" for shell in SHELLS),
    "FROM debian:12 AS base\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nFROM base\n"
    "RUN apt-get update && apt-get install -y x || ok1\nRUN apt-get clean\nRUN rm -rf /var/lib/apt/lists/*\n",
    # 5. the SHELL of the stage built on (here a POSIX one with -e) carries over
    "FROM debian:12 AS base\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nFROM base AS mid\nRUN ok1\nFROM mid\n"
    "RUN ok1\nRUN ok2; ok3\nRUN if ok1; then ok2; fi\nRUN ok4\n",
]


@pytest.mark.parametrize("text", CASES)
def test_hostile_cases_keep_every_failure(box, text):
    chosen = LAYER_FIXES if "rm -rf" in text or "npm" in text else MERGES
    fixed, _, problem = fix_text("Dockerfile", text, chosen, unsafe=False)
    assert problem is None
    assert_same_with_each_failure(box, text, fixed, cleanups=chosen is LAYER_FIXES)


def test_grouping_is_refused_where_errexit_would_be_lost():
    """Under -e from the SHELL or SHELLOPTS a merged `{ a; b; }` may not be followed by more commands."""
    for head in ('SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\n', 'ENV SHELLOPTS=errexit\n',
                 'SHELL ["/bin/sh", "-e", "-c"]\n'):
        text = f"FROM debian:12 AS base\n{head}FROM base\nRUN ok1\nRUN ok2; ok3\nRUN ok4\n"
        fixed = fixed_text(text, MERGES)
        assert "ok2; ok3; } && \\" not in fixed, fixed
        assert fixed.count("RUN ") == 2, fixed
    # without -e the same three RUNs become one
    assert fixed_text("FROM debian:12\nRUN ok1\nRUN ok2; ok3\nRUN ok4\n", MERGES).count("RUN ") == 1


WINDOWS = [
    # a SHELL set in the stage built on
    'FROM debian:12 AS base\nSHELL ["pwsh", "-Command"]\nFROM base\nRUN cd x; ok1\nRUN ok2\n',
    'FROM debian:12 AS base\nSHELL ["cmd", "/S", "/C"]\nFROM base AS mid\nFROM mid\nRUN cd x\nRUN ok2\n',
    # Windows base images: their default shell is cmd
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN cd x; ok1\nRUN ok2\n",
    "FROM mcr.microsoft.com/dotnet/framework/sdk:4.8-windowsservercore-ltsc2019\nRUN ok1\nRUN ok2\n",
    "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS base\nFROM base\nRUN ok1\nRUN ok2\n",
    "FROM microsoft/nanoserver\nRUN ok1\nRUN ok2\n",
    "ARG BASE\nFROM $BASE\nWORKDIR C:\\\\app\nRUN cd x; ok1\nRUN ok2\n",
    "ARG BASE\nFROM $BASE\nCOPY app C:\\app\nRUN cd x; ok1\nRUN ok2\n",
    "FROM python:3.12-windowsservercore\nRUN apt-get update\nRUN apt-get install -y x\n",
]


@pytest.mark.parametrize("text", WINDOWS)
def test_no_posix_merge_under_a_windows_or_inherited_shell(text):
    fixed, diags, problem = fix_text("Dockerfile", text, LAYER_FIXES, unsafe=True)
    assert problem is None
    assert fixed == text
    assert any("not a POSIX shell" in d.rendered_message for d in diags if d.code in ("L001", "L008")), diags


def test_a_posix_shell_set_again_in_the_child_allows_merges():
    text = ('FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base\nFROM base\n'
            'SHELL ["/bin/sh", "-c"]\nRUN ok1\nRUN ok2\n')
    assert fixed_text(text, MERGES).count("RUN ") == 1
    # a Linux image whose name merely contains "windows" elsewhere is not taken for one
    assert fixed_text("FROM example/window-manager:1\nRUN ok1\nRUN ok2\n", MERGES).count("RUN ") == 1


# Generated shapes: a stage built on another, each with or without a SHELL (sh or bash, with errexit flags or
# not) and SHELLOPTS, and RUNs mixing lists, groups, `||`, `;`, state changes and cleanups.
shells = st.sampled_from([None] + SHELLS)
atoms = st.sampled_from([
    "ok1", "ok2 a", "ok3 \"$X\"", "bad1", "cd d1", "export X=1", "X=2", "set -e", "exit 0", "true", "false",
    "umask 077", "apt-get install -y a", "rm -rf /var/lib/apt/lists/*",
])


@st.composite
def and_or(draw):
    parts = draw(st.lists(atoms, min_size=1, max_size=3))
    out = parts[0]
    for p in parts[1:]:
        out += draw(st.sampled_from([" && ", " || ", "; "])) + p
    wrap = draw(st.sampled_from(["", "", "", "{}", "()", "if"]))
    if wrap == "{}":
        out = f"{{ {out}; }}"
    elif wrap == "()":
        out = f"({out})"
    elif wrap == "if":
        out = f"if ok1; then {out}; fi"
    if draw(st.integers(0, 6)) == 0:
        out += " || true"
    return out


@st.composite
def shaped_file(draw):
    lines = ["FROM debian:12 AS base"]
    use_bash = False
    parent_shell = draw(shells)
    if parent_shell:
        lines.append(f"SHELL {parent_shell}")
        use_bash = "bash" in parent_shell
    if use_bash and draw(st.booleans()):
        lines.append("ENV SHELLOPTS=errexit")
    if draw(st.booleans()):
        lines.append("RUN " + draw(and_or()))
    if draw(st.booleans()):
        lines.append("FROM base")
        child_shell = draw(shells)
        if child_shell:
            lines.append(f"SHELL {child_shell}")
            use_bash = "bash" in child_shell
        if use_bash and draw(st.integers(0, 3)) == 0:
            lines.append("ENV SHELLOPTS=errexit")
    for body in draw(st.lists(st.lists(and_or(), min_size=1, max_size=2), min_size=2, max_size=4)):
        lines.append("RUN " + "; ".join(body))
    return "\n".join(lines) + "\n"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
@given(shaped_file())
def test_generated_shell_env_and_stage_shapes(box, text):
    fixed, _, problem = fix_text("Dockerfile", text, LAYER_FIXES, unsafe=False)
    assert problem is None
    assert_same_with_each_failure(box, text, fixed, cleanups=True)
