"""Agreement with BuildKit's own parser (the `dockerfile` package wraps it; used only in tests).

For every input BuildKit accepts, our parse must give the same instructions: keywords, start and end lines,
flags, exec form and its values, heredoc names and bodies, and the same text after continuation and comment
removal. Inputs BuildKit rejects must be rejected by us too (or hold no instruction at all).
"""
import functools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlint.syntax import GO_SPACE, DockerfileSyntaxError, encode, parse, parse_bytes

from dockerfile_gen import FUZZ, SPECIAL, dockerfiles

dockerfile = pytest.importorskip("dockerfile")

# Differences that come from the BuildKit version bundled in the `dockerfile` package, not from dlint.
# Each entry: (why, predicate on the text). Inputs matching a predicate are not compared.
_CHECK_THEN_DIRECTIVE = re.compile(r"\A\ufeff?(?:[ \t]*#[ \t]*[A-Za-z]+[ \t]*=.*\r?\n)*?[ \t]*#[ \t]*check[ \t]*="
                                   r".*\r?\n[ \t]*#[ \t]*(?:escape|syntax)[ \t]*=", re.IGNORECASE)


def _bytewise_blank(text):
    """A non-ASCII character whose UTF-8 form holds byte 0x85 or 0xA0, where BuildKit scans bytes."""
    if "--" not in text and "healthcheck" not in text.lower():
        return False
    return any(ord(c) > 127 and (b"\x85" in c.encode("utf-8") or b"\xa0" in c.encode("utf-8")) for c in text)


KNOWN_DIFFERENCES = [
    ("The `check` parser directive (Dockerfile frontend 1.8) is newer than the parser in the `dockerfile` "
     "package, which ends the directives there, so an `escape` directive after it is a comment for it.",
     lambda text: bool(_CHECK_THEN_DIRECTIVE.search(text))),
    ("BuildKit splits flags and the HEALTHCHECK type byte by byte with unicode.IsSpace, so the bytes 0x85 and "
     "0xA0 inside a UTF-8 character (U+00A0, 'à', ...) end a word there and the binding then fails on the "
     "broken UTF-8; dlint reads characters.",
     _bytewise_blank),
]
# Also from the byte-wise flag scan: BuildKit turns each byte of a non-ASCII character in a flag into its
# own Latin-1 character ('é' becomes 'Ã©'); flags are compared after the same change (see ``_bytewise``).


def _bytewise(flag):
    return flag.encode("utf-8").decode("latin-1")


def known_difference(text):
    return any(pred(text) for _, pred in KNOWN_DIFFERENCES)


def norm(s):
    """Our text with undecodable bytes shown as BuildKit's binding shows them."""
    return encode(s).decode("utf-8", "replace")


def _flags(ins):
    return tuple("--" + f.name + ("=" + f.value if f.value is not None else "") for f in ins.flags)


def differences(text, doc, ref):
    """Every way our parse of ``text`` differs from BuildKit's ``ref`` commands."""
    out = []
    ours = doc.instructions
    if len(ours) != len(ref):
        return [("instruction count", len(ours), len(ref))]
    for o, r in zip(ours, ref):
        def diff(what, a, b):
            if a != b:
                out.append((what, o.line, a, b))

        diff("keyword", norm(o.keyword), r.cmd or "")  # the binding gives None for empty strings
        diff("start line", o.line, r.start_line)
        diff("end line", o.end_line, r.end_line)
        diff("flags", tuple(_bytewise(norm(f)) for f in _flags(o)), r.flags)
        oo = o
        if o.name == "ONBUILD":
            # The binding reports the ONBUILD node: its own flags (none) and the inner keyword; the inner
            # instruction's flags and heredocs are not exposed.
            diff("onbuild inner", norm(o.inner.keyword) if o.inner else "", r.sub_cmd or "")
            oo = o.inner
            if oo is None:
                continue
        diff("exec form", oo.json is not None, r.json)
        if r.json and oo.json is not None:
            value = r.value[1:] if oo.name == "HEALTHCHECK" else r.value
            diff("exec values", tuple(norm(v) for v in oo.json), value)
        if o.name != "ONBUILD":
            diff("heredocs", [(norm(h.name), norm(h.body)) for h in oo.heredocs],
                 [(h.name, h.content) for h in r.heredocs])
        if oo.name in ("RUN", "CMD", "ENTRYPOINT") and not r.json:
            diff("shell text", norm(oo.args), r.value[0] if r.value else "")
        first = o.segments[0][2]  # BuildKit trims leading blanks of the first line only
        logical = o.logical[:first].lstrip(GO_SPACE) + o.logical[first:]
        if o.heredocs and o.name != "ONBUILD":
            logical += "\n" + "".join(h.body + h.name + "\n" for h in o.heredocs)
            diff("original", norm(logical), r.original or "")
        else:
            diff("original", norm(logical).strip(GO_SPACE), (r.original or "").strip(GO_SPACE))
    return out


@functools.lru_cache(maxsize=4096)
def buildkit(text):
    """(commands, None) or (None, error message) from BuildKit's parser."""
    try:
        return dockerfile.parse_string(norm(text)), None
    except dockerfile.GoParseError as exc:
        return None, str(exc)


def compare(text, doc_or_error):
    """None when we agree with BuildKit on ``text``, else a description of the difference."""
    ref, ref_error = buildkit(text)
    if isinstance(doc_or_error, DockerfileSyntaxError):
        if ref_error is None:
            return f"we reject ({doc_or_error.message}, line {doc_or_error.line}) but BuildKit accepts"
        return None
    doc = doc_or_error
    if ref_error is not None:
        if "no instructions" in ref_error and not doc.instructions:
            return None
        return f"BuildKit rejects ({ref_error}) but we accept"
    found = differences(text, doc, ref)
    return found or None


def parse_or_error(text):
    try:
        return parse(text)
    except DockerfileSyntaxError as exc:
        return exc


def test_corpus_agrees_with_buildkit(corpus):
    problems = {}
    compared = 0
    for path in corpus:
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            doc = parse_bytes(data)
        except DockerfileSyntaxError as exc:
            doc = exc
        text = doc.text if not isinstance(doc, DockerfileSyntaxError) else data.decode("utf-8", "surrogateescape")
        if known_difference(text):
            continue
        found = compare(text, doc)
        compared += 1
        if found:
            problems[path] = found
    assert compared > 0
    assert not problems, "\n".join(f"{p}: {d}" for p, d in list(problems.items())[:20])


def test_comparison_notices_differences():
    # The comparison itself must be able to fail.
    text = "FROM a\nRUN a \\\n  b\n"
    doc = parse(text)
    doc.instructions[1].end_line = 2
    assert compare(text, doc) == [("end line", 2, 2, 3)]
    assert compare("FROM a\nENV A\n", parse("FROM a\n")) is not None


@pytest.mark.parametrize("text", [
    "FROM a\nRUN echo \\\\\nRUN b\n",
    "FROM a\nRUN a \\\r\r\nb\n",
    "FROM a\nRUN \\\n\n",
    "  # escape=`\nFROM a\nRUN a `\nb\n",
    "# escape=\nFROM a\n",
    "FROM a\nRUN cat 3<<EOF\nx\nEOF\n",
    "FROM a\nRUN --mount=type=bind,target=/a\\ b x\n",
    "FROM a\nRUN [\"a\", NaN]\n",
    "FROM a\nHEALTHCHECK NONE [1]\n",
    "FROM a\nENV a=\"b c\" d\n",
    "FROM a\nONBUILD RUN <<EOF\nx\nEOF\n",
    "FROM a\nONBUILD --x RUN a\n",
    "FROM a\nRUN\u00a0x\n",
    "FROM a\n \x0c# c\nRUN a\n",
    "#escape=`\n#escape=\\\nFROM a\n",
])
def test_edge_cases_agree(text):
    assert compare(text, parse_or_error(text)) is None


def test_known_difference_is_real():
    # If the bundled BuildKit learns the `check` directive, this entry must go.
    text = "# check=skip=all\n# escape=`\nFROM a\nRUN a `\nb\n"
    assert known_difference(text)
    assert compare(text, parse(text)) is not None


@FUZZ
@given(dockerfiles())
def test_generated_dockerfiles_agree(text):
    if known_difference(text):
        return
    assert compare(text, parse_or_error(text)) is None


_ORACLE_TEXT = st.text(
    alphabet=st.one_of(SPECIAL, st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    max_size=200)


@FUZZ
@given(_ORACLE_TEXT)
def test_arbitrary_text_agrees(text):
    if known_difference(text):
        return
    assert compare(text, parse_or_error(text)) is None


_BUILD_INSTRUCTIONS = {"add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
                       "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"}


def _problem_kind(problem):
    """Which of the documented mistakes BuildKit builds anyway a non-blocking problem is."""
    for kind, pattern in (("utf-8", r"not valid UTF-8 \(byte 0x[0-9a-f]{2} at line \d+, column \d+\): "),
                          ("json", r".*: looks like JSON \(exec\) form but is not valid JSON \("),
                          ("continuation", r"the file ends inside a line continuation \(line \d+ ends with ")):
        if re.match(pattern, problem.message):
            return kind
    return None


def _ends_in_continuation(text, doc):
    """Independently of the parser: the last line that is neither blank nor a comment ends with the escape."""
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    while lines and (not lines[-1].strip(GO_SPACE) or lines[-1].lstrip(GO_SPACE).startswith("#")):
        lines.pop()
    return bool(lines) and lines[-1].rstrip(" \t").endswith(doc.escape)


def assert_input_problems_match_buildkit(path, data):
    """Blocking problems exactly when BuildKit cannot build the file; on a file it builds, only the
    documented non-blocking kinds, each of them true of what BuildKit made of the file."""
    from dlint.validation import validate
    from dlint.syntax import decode

    text = decode(data)
    doc, problems = validate(path, data, text)
    blocking = [p.render() for p in problems if p.blocks_fix]
    ref, error = buildkit(text)
    if error is not None:
        assert blocking, f"{path}: BuildKit rejects it ({error}) but dlint reports no blocking problem"
        return
    cmds = [(r.cmd or "").lower() for r in ref]
    first = next((c for c in cmds if c != "arg"), None)
    unbuildable = (first != "from" or any(c not in _BUILD_INSTRUCTIONS for c in cmds)
                   or any((r.sub_cmd or "").lower() not in _BUILD_INSTRUCTIONS for r in ref if r.cmd.lower() == "onbuild"))
    assert bool(blocking) == unbuildable, (path, blocking)
    for p in problems:
        if p.blocks_fix:
            continue
        kind = _problem_kind(p)
        assert kind is not None, (path, p.render())
        if kind == "utf-8":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
        elif kind == "json":
            (ins,) = [i for i in doc.instructions if i.line == p.line]
            (r,) = [r for r in ref if r.start_line == p.line]
            assert not r.json, (path, p.render())  # BuildKit did not take it as exec form
            assert (ins.inner or ins).command.startswith("[")
        else:
            assert _ends_in_continuation(text, doc), (path, p.render())


def test_corpus_input_problems_match_buildkit(corpus):
    for path in corpus:
        with open(path, "rb") as fh:
            assert_input_problems_match_buildkit(path, fh.read())


@pytest.mark.parametrize("data", [
    b"FROM a\nLABEL description=caf\xe9\n",
    b'FROM a\nCMD ["a", "b"\n',
    b"FROM a\nENTRYPOINT ['/app']\n",
    b"FROM a\nVOLUME ['/data']\n",
    b'FROM a\nCMD ["a" "b"]\n',
    b'FROM a\nONBUILD RUN ["a", \'b\']\n',
    b'FROM a\nHEALTHCHECK --interval=5s CMD ["curl", "-f"\n',
    b"FROM a\nRUN a \\\n\n# comment\n",
    b"# escape=`\nFROM a\nRUN a `\n",
    b"FROM a\r\nRUN a \\\r\n",
])
def test_buildable_mistakes_are_non_blocking_problems(data):
    problems = validate_bytes(data)
    assert len(problems) == 1 and not problems[0].blocks_fix, problems
    assert_input_problems_match_buildkit("Dockerfile", data)


@pytest.mark.parametrize("data", [
    b"FROM a\nRUN [ -f /etc/os-release ] && echo yes\nCMD [ -d /x ]\n",
    b'FROM a\nRUN [ "$X" = 1 ] || exit 1\n',
    b'FROM a\nRUN [ ! -z "$(getcap /bin/ping)" ]\n',
    b'FROM a\nRUN ["a", "b"] # exec form: BuildKit ignores what follows the array\n',
    b"FROM a\nRUN a \\\\\n",  # an escaped escape does not continue the line
    b"FROM a\nRUN <<EOF\na \\\nEOF\n",
    b"FROM a\nLABEL description=caf\xc3\xa9\n",
])
def test_buildable_oddities_that_are_no_problem(data):
    assert validate_bytes(data) == []
    assert_input_problems_match_buildkit("Dockerfile", data)


def validate_bytes(data):
    from dlint.validation import validate
    from dlint.syntax import decode

    doc, problems = validate("Dockerfile", data, decode(data))
    assert doc is not None
    return problems


def _long(kind: str, n: int) -> bytes:
    """A line of exactly ``n`` bytes."""
    if kind == "comment":
        return b"# " + b"c" * (n - 2)
    if kind == "heredoc":
        return b"h" * n
    return b"RUN " + b"x" * (n - 4)


def assert_long_line_verdict(data: bytes, line: int, refused: bool):
    from dlint.validation import validate
    from dlint.syntax import decode

    text = decode(data)
    _, problems = validate("Dockerfile", data, text)
    _, error = buildkit(text)
    assert (error is not None) == refused, error
    if refused:
        assert [p.render() for p in problems] == [
            f"Dockerfile:{line}: error: line {line} is longer than 65,535 bytes (BuildKit refuses it: "
            "dockerfile line greater than max allowed size of 65535)"]
    else:
        assert problems == []


@pytest.mark.parametrize("over", [0, 1], ids=["65535", "65536"])
@pytest.mark.parametrize("nl", [b"\n", b"\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("kind", ["instruction", "comment", "heredoc", "first"])
def test_long_line_limit_is_buildkits(kind, nl, over):
    # BuildKit counts a line's \r (not its \n): with CRLF, 65,534 bytes and the \r is the longest line.
    line = _long("comment" if kind == "first" else kind, 65535 + over - (len(nl) - 1))
    lines = {
        "instruction": [b"FROM a", line, b"RUN b"],
        "comment": [b"FROM a", line, b"RUN b"],
        "heredoc": [b"FROM a", b"RUN <<EOF", line, b"EOF", b"RUN b"],
        "first": [line, b"FROM a"],
    }[kind]
    assert_long_line_verdict(nl.join(lines) + nl, lines.index(line) + 1, refused=bool(over))


@pytest.mark.parametrize("over", [0, 1], ids=["65535", "65536"])
@pytest.mark.parametrize("kind", ["instruction", "comment"])
def test_long_last_line_without_line_ending(kind, over):
    assert_long_line_verdict(b"FROM a\nRUN b\n" + _long(kind, 65535 + over), 3, refused=bool(over))
