"""R012 pipe-without-pipefail."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import steps_of
from shell_sandbox import has_bash

DEB = "FROM debian:12\n"
SHELL = 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'


@pytest.mark.parametrize("run", [
    "RUN curl -fsSL https://e.com/x.tgz | tar -xz",
    "RUN a && b | c",
    "RUN arch=\"$(dpkg --print-architecture | cut -d- -f1)\"; echo $arch",
    "RUN x=$(ls | head -1) && echo $x",
    "ONBUILD RUN a | b",
    "RUN <<EOF\na | b\nEOF",
    "RUN set -e; a | b; set -o pipefail",  # set after the pipe
    "RUN (set -o pipefail); a | b",  # in a subshell it does not last
])
def test_reports(run):
    [d] = findings(DEB + run + "\n", "R012")
    assert "pipefail" in d.message


@pytest.mark.parametrize("text", [
    DEB + SHELL + "RUN a | b\n",
    DEB + 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\n',
    DEB + 'SHELL ["/bin/ash", "-euxo", "pipefail", "-c"]\nRUN a | b\n',
    DEB + "RUN set -o pipefail && a | b\n",
    DEB + "RUN set -euxo pipefail; a | b\n",
    DEB + "RUN a || b\n",
    DEB + "RUN echo 'a | b'\n",
    DEB + "RUN cp $(ls | grep -v make) /opt/bin\n",  # an argument drops the pipe's status
    DEB + "RUN export V=$(a | b)\n",
    DEB + "RUN [ \"$(ls -ln f | cut -d' ' -f3)\" = 1005 ]\n",
    DEB + "RUN sh -c 'a | b'\n",  # that shell gets no SHELL options anyway
    DEB + 'SHELL ["powershell", "-Command"]\nRUN a | b\n',
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN busybox --list ^| x\n",
    DEB + 'RUN ["bash", "-o", "pipefail", "-c", "a | b"]\n',
    "FROM debian:12 AS base\n" + SHELL + "FROM base\nRUN a | b\n",  # the SHELL carries over
])
def test_not_reported(text):
    assert findings(text, "R012") == []


def test_fix_once_per_stage_above_the_comments():
    text = DEB + "ENV A=1\n# fetch\nRUN a | b\nRUN c | d\nFROM ubuntu:24.04 AS two\nRUN e | f\n"
    after = fixed(text, "R012", unsafe=True)
    assert after == DEB + "ENV A=1\n" + SHELL + "# fetch\nRUN a | b\nRUN c | d\nFROM ubuntu:24.04 AS two\n" + SHELL + "RUN e | f\n"
    assert fixed(text, "R012") == text  # unsafe only
    assert findings(after, "R012") == []


def test_crlf_and_stage_built_on_a_fixed_stage():
    text = "FROM debian:12 AS b\r\nRUN a | b\r\nFROM b\r\nRUN c | d\r\n"
    after = fixed(text, "R012", unsafe=True)
    assert after == 'FROM debian:12 AS b\r\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\r\nRUN a | b\r\nFROM b\r\nRUN c | d\r\n'


@pytest.mark.parametrize("text,reason", [
    ("FROM alpine:3.20\nRUN a | b\n", "bash is not known"),
    (DEB + 'SHELL ["/bin/sh", "-c"]\nRUN a | b\n', "already sets a SHELL"),
    (DEB + "ONBUILD RUN a | b\n", "does not reach"),
])
def test_no_fix_where_bash_or_the_shell_is_not_certain(text, reason):
    [d] = findings(text, "R012")
    assert d.fix is None and reason in d.rendered_message


@pytest.fixture(scope="module")
def box(box):
    """The shared sandbox (tests/conftest.py), with bash in it."""
    if not has_bash():
        pytest.skip("the shell sandbox needs bash")
    return box


@pytest.mark.parametrize("run", ["RUN ok1 | ok2 && ok1\nRUN ok2\n", "RUN set -e; ok1 | ok2; ok1 || ok2\n"])
def test_the_fix_changes_only_what_a_failing_pipe_does(box, run):
    text = DEB + run
    after = fixed(text, "R012", unsafe=True)
    before_steps, after_steps = steps_of(text), steps_of(after)
    log, status = box.run_build(before_steps)
    assert box.run_build(after_steps) == (log, status)  # nothing fails: the same build
    changed = 0
    for fail in box.calls(log):
        b, a = box.run_build(before_steps, fail=fail), box.run_build(after_steps, fail=fail)
        if a != b:
            # the only difference: the first command of a pipe failed, and now the build stops there
            assert fail == ("ok1 ", 1) and b[1] is None and a[1] is not None and b[0][:len(a[0])] == a[0]
            changed += 1
    assert changed >= 1
