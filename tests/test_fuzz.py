"""Generated Dockerfile-like text: ``check`` and ``fix`` never fail, fixed text parses (and BuildKit still
builds it), a second fix changes nothing, and text and bytes round-trip exactly.

The example count is modest for CI; ``DLINT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py`` runs a
longer, randomised search (see README, Development).
"""
import re

import dockerfile
from hypothesis import example, given
from hypothesis import strategies as st

from dlint.settings import Settings
from dlint.fixer import fix_source, fix_text
from dlint.rules import ALL_RULES
from dlint.checking import check_source
from dlint.validation import validate
from dlint.syntax import DockerfileSyntaxError, decode, encode, parse

from dockerfile_gen import FUZZ, dockerfiles, noisy_text

ALL = Settings(enabled={r.code for r in ALL_RULES})

# --- fixable Dockerfiles: the shapes the fixes work on, dressed in every syntax the parser knows ---

PACKAGES = st.lists(st.sampled_from(["curl", "git", "ca-certificates", "python3", "build-essential", "jq",
                                     "'libssl-dev'", "$PKG", "vim=2:9.0*"]), min_size=1, max_size=3).map(" ".join)
SHELL_BITS = st.sampled_from([
    "echo hi", "set -eux", "cd /app", "make -j2", "true", "false || true", "export A=1", "A=1 env",
    "rm -rf /tmp/*", "rm -rf /var/lib/apt/lists/*", "apt-get clean", "chmod 755 /app/run", "chown -R 1000 /app",
    "ln -s /a /b", "mkdir -p /x && cd /x", "if [ -f /x ]; then echo y; fi", "for i in 1 2; do echo $i; done",
    "( cd /tmp && ls )", "{ echo a; echo b; }", "echo $(id -u)", "echo `date`", "cat <<X > /f\nhi\nX",
    "a | b", "exit 0", "trap 'rm -f /t' EXIT", "sh -c 'echo \"$0\"'", "echo 'a;b' \"c&&d\"", "# comment",
])
INSTALLS = st.one_of(
    PACKAGES.map(lambda p: f"apt-get install -y {p}"),
    PACKAGES.map(lambda p: f"apt-get install -y --no-install-recommends {p}"),
    PACKAGES.map(lambda p: f"apt install -y {p}"),
    PACKAGES.map(lambda p: f"apk add {p}"),
    PACKAGES.map(lambda p: f"apk add --no-cache {p}"),
    PACKAGES.map(lambda p: f"pip install {p}"),
    PACKAGES.map(lambda p: f"yum install -y {p}"),
    st.just("npm install"), st.just("apt-get update"), st.just("apk update"), st.just("yum clean all"),
)
COMMAND = st.one_of(INSTALLS, INSTALLS, SHELL_BITS, st.text(st.sampled_from(list("ab $;&|'\"`\\(){}<>#=*-\t")),
                                                          max_size=12))


@st.composite
def run_instruction(draw, escape, newline):
    cmds = draw(st.lists(COMMAND, min_size=1, max_size=4))
    joiners = [draw(st.sampled_from([" && ", "; ", " || ", " && \\\n    ", " ; \\\n  "])) for _ in cmds[1:]]
    body = cmds[0] + "".join(j + c for j, c in zip(joiners, cmds[1:]))
    body = body.replace("\\\n", escape + "\n")
    if draw(st.integers(0, 5)) == 0:  # a comment line inside the continuation
        body = body.replace(escape + "\n", escape + "\n# inside\n", 1)
    flags = draw(st.sampled_from(["", "", "", "--mount=type=cache,target=/var/cache/apt ", "--network=none "]))
    kind = draw(st.integers(0, 9))
    if kind == 0:  # heredoc
        return f"RUN {flags}<<EOF\n" + body.replace(escape + "\n", "\n") + "\nEOF"
    if kind == 1:  # exec form
        return 'RUN ["/bin/sh", "-c", "' + cmds[0].replace("\\", "\\\\").replace('"', '\\"') + '"]'
    keyword = draw(st.sampled_from(["RUN", "RUN", "RUN", "run"]))
    return f"{keyword} {flags}{body}"


@st.composite
def stage_lines(draw, escape, newline):
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["run", "run", "run", "run", "copy", "other", "comment", "blank"]))
        if kind == "run":
            lines.append(draw(run_instruction(escape, newline)))
        elif kind == "copy":
            lines.append(draw(st.sampled_from([
                "COPY app /app", "COPY --chown=1000:1000 app /app", "COPY run.sh /app/run", "ADD x.tar.gz /opt/",
                "COPY --from=build /out /usr/local/bin", "COPY x.tar.gz /tmp/", "COPY . .", "ADD https://e.x/f /f",
                "COPY <<EOF /etc/conf\nkey=value\nEOF"])))
        elif kind == "other":
            lines.append(draw(st.sampled_from([
                "ENV DEBIAN_FRONTEND=noninteractive", "ARG PKG=curl", "WORKDIR /app", "USER 1000", "EXPOSE 80",
                'CMD ["python3", "app.py"]', "CMD python3 app.py", "ENTRYPOINT /app/run", 'SHELL ["/bin/bash", "-c"]',
                "HEALTHCHECK CMD curl -f http://localhost/ || exit 1", "ONBUILD RUN apt-get update", "LABEL a=b",
                "VOLUME /data", "STOPSIGNAL SIGTERM"])))
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["# note", "# dlint: ignore=L001", "# hadolint ignore=DL3008", "#"])))
        else:
            lines.append(draw(st.sampled_from(["", "  "])))
    return lines


@st.composite
def fixable_dockerfiles(draw):
    escape = draw(st.sampled_from(["\\", "\\", "\\", "`"]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    lines = ["# escape=`"] if escape == "`" else []
    stages = draw(st.integers(1, 3))
    for k in range(stages):
        base = draw(st.sampled_from(["debian:12", "ubuntu:24.04", "alpine:3.20", "python:3.12-slim",
                                     "gcr.io/distroless/base", "scratch", "${BASE}"]))
        if base == "${BASE}":
            lines.append("ARG BASE=debian:12")
        lines.append(f"FROM {base}" + (f" AS s{k}" if k < stages - 1 or draw(st.booleans()) else ""))
        lines += draw(stage_lines(escape, newline))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "\n", ""]))
    text = text.replace("\\\n", escape + "\n") if escape != "\\" else text
    text = text.replace("\n", newline)
    if draw(st.integers(0, 19)) == 0:
        text = "\ufeff" + text
    return text


# --- properties ---

def assert_no_internal_error(result):
    bad = [p.render() for p in result.problems if "internal error" in p.message or "nested too" in p.message]
    assert not bad, bad


def kinds(problems) -> set:
    """The problems without their positions (line numbers move with fixes)."""
    return {(p.blocks_fix, re.sub(r"\d+", "N", p.message.partition(": looks like JSON")[2] or p.message))
            for p in problems}


def buildkit_builds(text: str) -> bool:
    try:
        dockerfile.parse_string(encode(text).decode("utf-8", "replace"))
    except dockerfile.GoParseError:
        return False
    return True


def check_and_fix_hold(text: str) -> None:
    data = encode(text)
    assert decode(data) == text and encode(decode(data)) == data
    checked = check_source("Dockerfile", data, ALL)
    assert_no_internal_error(checked)
    doc, problems = validate("Dockerfile", data, text)
    if doc is not None:
        assert doc.to_text() == text  # lossless
    for unsafe in (False, True):
        result = fix_source("Dockerfile", data, ALL, unsafe=unsafe)
        assert_no_internal_error(result)
        # the fixer's safety nets (text that does not parse, fixes that undo each other...) never trigger
        assert [p.render() for p in result.problems] == [p.render() for p in problems]
        if result.fixed is None:
            continue
        assert not any(p.blocks_fix for p in problems)  # a file that is no valid Dockerfile is never rewritten
        fixed = result.fixed
        fixed_doc = parse(fixed)  # re-parses
        assert fixed_doc.to_text() == fixed
        assert encode(fixed).decode("utf-8", "surrogateescape") == fixed
        assert kinds(validate("Dockerfile", encode(fixed), fixed)[1]) <= kinds(problems)  # fixes add no problem
        if buildkit_builds(text):
            assert buildkit_builds(fixed), fixed
        again, _, problem = fix_text("Dockerfile", fixed, ALL, unsafe)
        assert problem is None and again == fixed, "a second fix changed the text"


@FUZZ
@given(fixable_dockerfiles())
@example("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n")
@example("# escape=`\r\nFROM debian:12\r\nRUN apt-get update && `\r\n    apt-get install -y curl\r\nRUN apt-get install -y git\r\n")
@example("FROM debian:12\nRUN apt-get update\nRUN <<EOF\napt-get install -y curl\nEOF\n")
@example("\ufeffFROM debian:12\nRUN yum install -y curl\nRUN <<EOF\nyum clean all\nEOF\n")  # cleanup in a heredoc
def test_fixable_dockerfiles(text):
    check_and_fix_hold(text)


@FUZZ
@given(dockerfiles())
def test_dockerfile_like_text(text):
    check_and_fix_hold(text)


@FUZZ
@given(noisy_text)
def test_noisy_text(text):
    text = decode(text.encode("utf-8", "surrogatepass"))  # as read from a file: lone surrogates are bytes
    check_and_fix_hold("FROM debian:12\n" + text)
    check_and_fix_hold(text)


@FUZZ
@given(st.binary(max_size=400), fixable_dockerfiles())
def test_arbitrary_bytes(data, text):
    for blob in (data, encode(text) + data, data + encode(text)):
        result = check_source("Dockerfile", blob, ALL)
        assert_no_internal_error(result)
        fixed = fix_source("Dockerfile", blob, ALL, unsafe=True)
        assert_no_internal_error(fixed)
        if fixed.fixed is not None:
            parse(fixed.fixed)


def test_parse_errors_are_syntax_errors():
    """What the parser rejects it rejects with DockerfileSyntaxError (the input problem path), nothing else."""
    for text in ("FROM a\nRUN <<EOF\n", "# escape=x\nFROM a\n", 'FROM a\nRUN ["a", 1]\n', "FROM a\nENV x\n"):
        try:
            parse(text)
        except DockerfileSyntaxError:
            continue
        raise AssertionError(f"{text!r} parsed")
