"""The lossless parser: structure, positions, spans, and the round trip."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dlint.syntax import (Blank, Comment, Directive, DockerfileSyntaxError, Instruction, decode, encode, parse,
                          parse_bytes)

from dockerfile_gen import FUZZ, dockerfiles, noisy_text


def check_invariants(text, doc):
    """What every parse must satisfy: contiguous nodes, exact round trip, logical text mapped to the file."""
    pos = 0
    for node in doc.nodes:
        assert node.start == pos, (node, pos)
        assert node.end > node.start
        pos = node.end
    assert pos == len(text)
    assert doc.to_text() == text
    for ins in doc.instructions:
        for lstart, fstart, length in ins.segments:
            assert ins.logical[lstart:lstart + length] == text[fstart:fstart + length]
        for flag in ins.flags + (ins.inner.flags if ins.inner else []):
            assert ins.start <= flag.start < flag.end <= ins.end
        for h in ins.heredocs:
            assert text[h.body_start:h.body_end] == h.body
            assert h.body_end <= h.end <= ins.end
        assert 1 <= ins.line <= ins.end_line


def only(doc, name):
    found = [i for i in doc.instructions if i.name == name]
    assert len(found) == 1, found
    return found[0]


def at(doc, start, end):
    return doc.text[start:end]


# --- parser directives -------------------------------------------------------------------------------------

def test_directives_are_read_at_the_top():
    doc = parse("# syntax=docker/dockerfile:1.7\n# check=skip=all\n# escape=`\nFROM a\n")
    assert [(d.name, d.value) for d in doc.directives] == [
        ("syntax", "docker/dockerfile:1.7"), ("check", "skip=all"), ("escape", "`")]
    assert doc.directive("check") == "skip=all"
    assert doc.escape == "`"
    assert all(isinstance(n, Directive) for n in doc.nodes[:3])


def test_directive_spacing_case_and_leading_blanks():
    doc = parse("  #  ESCAPE =  `  \nFROM a\nRUN a `\n  b\n")
    assert doc.escape == "`"
    assert only(doc, "RUN").args == "a   b"


@pytest.mark.parametrize("text", [
    "FROM a\n# escape=`\nRUN a `\nb\n",  # after an instruction
    "# a comment\n# escape=`\nFROM a\nRUN a `\nb\n",  # after a plain comment
    "# syntax=x\n\n# escape=`\nFROM a\nRUN a `\nb\n",  # after a blank line
    "# unknown=1\n# escape=`\nFROM a\nRUN a `\nb\n",  # after an unknown directive
    "#\n# escape=`\nFROM a\nRUN a `\nb\n",  # after an empty comment
])
def test_directives_stop_at_the_first_other_line(text):
    doc = parse(text)
    assert doc.escape == "\\"
    assert doc.directive("escape") is None
    assert len(doc.instructions) == 3  # the backtick did not continue the RUN


def test_directive_without_value_is_a_comment():
    doc = parse("# escape=\nFROM a\n")
    assert doc.directives == [] and doc.escape == "\\"
    assert isinstance(doc.nodes[0], Comment)


def test_invalid_escape_token_is_an_error_with_its_line():
    with pytest.raises(DockerfileSyntaxError) as exc:
        parse("# syntax=x\n# escape=x\nFROM a\n")
    assert exc.value.line == 2
    assert "escape" in exc.value.message


def test_repeated_directive_is_an_error():
    with pytest.raises(DockerfileSyntaxError, match="only one escape"):
        parse("# escape=`\n# escape=\\\nFROM a\n")


def test_backtick_escape_continues_lines_and_keeps_backslashes():
    text = "# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir C:\\ `\n    && echo done\nCOPY a\\b C:\\x\\\n"
    doc = parse(text)
    run = only(doc, "RUN")
    assert run.args == "dir C:\\     && echo done"
    assert (run.line, run.end_line) == (3, 4)
    copy = only(doc, "COPY")
    assert copy.args == "a\\b C:\\x\\"  # a backslash is an ordinary character here
    check_invariants(text, doc)


# --- encodings and line endings ------------------------------------------------------------------------------

def test_bom_is_kept_and_takes_no_column():
    text = "\ufeff# escape=`\nFROM a\nRUN a `\n b\n"
    doc = parse(text)
    assert doc.has_bom and doc.escape == "`"
    assert doc.to_text() == text
    doc = parse("\ufeffFROM a\n")
    ins = doc.instructions[0]
    assert ins.keyword == "FROM" and (ins.line, ins.column, ins.end_column) == (1, 1, 7)
    assert doc.line_col(ins.start + 1) == (1, 1)


def test_crlf_lines():
    text = "FROM a\r\nRUN a \\\r\n  b\r\n# c\r\nRUN <<EOF\r\nx\r\nEOF\r\n"
    doc = parse(text)
    assert doc.newline == "\r\n"
    first, second = doc.instructions[1:]
    assert first.args == "a   b" and "\r" not in first.logical
    assert (first.line, first.end_line, first.end_column) == (2, 3, 4)
    assert second.heredocs[0].body == "x\r\n"
    assert (second.line, second.end_line) == (5, 7)
    assert isinstance(doc.nodes[2], Comment) and doc.nodes[2].text == "# c"
    check_invariants(text, doc)


def test_missing_final_newline():
    for text in ("FROM a\nRUN b", "FROM a\nRUN b \\\n c", "FROM a\nRUN <<EOF\nx\nEOF", "FROM a\n# c"):
        doc = parse(text)
        check_invariants(text, doc)
    doc = parse("FROM a\nRUN b")
    assert doc.instructions[-1].end == len("FROM a\nRUN b")
    assert doc.newline == "\n"


def test_invalid_utf8_round_trips():
    data = b"FROM a\nLABEL x=\xff\xfe\nRUN echo \xc3\x28 \\\n  \x80done\n"
    doc = parse_bytes(data)
    assert encode(doc.to_text()) == data
    assert [i.name for i in doc.instructions] == ["FROM", "LABEL", "RUN"]
    assert only(doc, "RUN").end_line == 4


def test_unicode_blanks_as_buildkit_sees_them():
    # Go's unicode.IsSpace decides blank lines and trimming; only ASCII blanks end the keyword.
    doc = parse("FROM a\n\x0b\nRUN a\x0b\n \x0c# comment\nRUN\u00a0x\n")
    assert [type(n).__name__ for n in doc.nodes] == ["Instruction", "Blank", "Instruction", "Comment",
                                                     "Instruction"]
    assert doc.instructions[1].args == "a"
    assert doc.instructions[2].keyword == "RUN\u00a0x"


# --- continuations ------------------------------------------------------------------------------------------

def test_comments_and_empty_lines_inside_continuations():
    text = "FROM a\nRUN apt-get update \\\n  # why\n\n    \\\n  && apt-get install -y x \\\n# end\n  && true\n"
    doc = parse(text)
    run = only(doc, "RUN")
    # a line holding only blanks and the escape is not empty: its blanks are kept (as BuildKit does)
    assert run.args == "apt-get update       && apt-get install -y x   && true"
    assert [c.text for c in run.comments] == ["  # why", "# end"]
    assert (run.line, run.end_line) == (2, 8)
    assert all(isinstance(n, Instruction) for n in doc.nodes)
    check_invariants(text, doc)


def test_escaped_escape_does_not_continue():
    doc = parse("FROM a\nRUN echo \\\\\nRUN b\n")
    assert [i.args for i in doc.instructions[1:]] == ["echo \\\\", "b"]
    doc = parse("# escape=`\nFROM a\nRUN echo ``\nRUN b\n")
    assert len(doc.instructions) == 3


def test_escape_followed_by_blanks_continues():
    doc = parse("FROM a\nRUN a \\ \t\n  b\n")
    assert only(doc, "RUN").args == "a   b"


def test_file_ending_inside_a_continuation_keeps_trailing_lines():
    text = "FROM a\nRUN a \\\n\n# trailing comment\n"
    doc = parse(text)
    run = only(doc, "RUN")
    assert run.end == len(text) and run.end_line == 4
    assert [c.text for c in run.comments] == ["# trailing comment"]
    check_invariants(text, doc)


def test_logical_offsets_map_back_to_the_file():
    text = "FROM a\nRUN  echo one \\\n    # c\n   two \\\n\n three\n"
    doc = parse(text)
    run = only(doc, "RUN")
    for word in ("one", "two", "three"):
        i = run.logical.index(word)
        start, end = run.file_offset(i), run.file_end_offset(i + len(word))
        assert text[start:end] == word
    # at a join, file_offset goes to the next piece and file_end_offset stays on the previous one
    join = run.segments[1][0]
    assert run.file_offset(join) == run.segments[1][1]
    assert run.file_end_offset(join) == run.segments[0][1] + run.segments[0][2]


# --- instructions -------------------------------------------------------------------------------------------

def test_lowercase_and_indented_instructions():
    doc = parse("from alpine as build\n    run   echo hi  \n")
    run = doc.instructions[1]
    assert (run.keyword, run.name, run.args) == ("run", "RUN", "echo hi")
    assert (run.line, run.column, run.end_line, run.end_column) == (2, 5, 2, 20)
    assert doc.stages[0].alias == "build"


def test_positions_of_a_multiline_instruction():
    text = "FROM a\n\n  RUN --mount=type=cache,target=/x \\\n      make \\\n      install\n"
    doc = parse(text)
    run = only(doc, "RUN")
    assert (run.line, run.column, run.end_line, run.end_column) == (3, 3, 5, 14)
    assert run.start == text.index("\n\n") + 2  # the node starts at the line, indentation included
    assert run.end == len(text) and run.lines_end == len(text)


def test_flags_with_spans_and_values():
    text = ('FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --network=none '
            '--mount="type=bind,source=a b,target=/b" --security=insecure --link  apt-get install x\n'
            'COPY --from=build --chown=1000:1000 --chmod=755 --link src /dst\n')
    doc = parse(text)
    run = only(doc, "RUN")
    assert [(f.name, f.value) for f in run.flags] == [
        ("mount", "type=cache,target=/root/.cache,sharing=locked"), ("network", "none"),
        ("mount", "type=bind,source=a b,target=/b"), ("security", "insecure"), ("link", None)]
    assert [at(doc, f.start, f.end) for f in run.flags] == [
        "--mount=type=cache,target=/root/.cache,sharing=locked", "--network=none",
        '--mount="type=bind,source=a b,target=/b"', "--security=insecure", "--link"]
    assert run.args == "apt-get install x"
    assert run.flag("network").value == "none" and run.flag("platform") is None
    copy = only(doc, "COPY")
    assert [at(doc, f.start, f.end) for f in copy.flags] == ["--from=build", "--chown=1000:1000", "--chmod=755",
                                                             "--link"]
    assert copy.args == "src /dst"


def test_flag_parsing_follows_buildkit():
    doc = parse("FROM a\nRUN --x=a\\ b --y='c\\d' -- --not-a-flag\nRUN --a=1 \\\n    --b echo\n")
    first, second = doc.instructions[1:]
    assert [(f.name, f.value) for f in first.flags] == [("x", "a b"), ("y", "cd")]
    assert first.args == "--not-a-flag"
    assert [f.name for f in second.flags] == ["a", "b"] and second.args == "echo"
    assert at(doc, second.flags[1].start, second.flags[1].end) == "--b"
    assert doc.line_col(second.flags[1].start) == (4, 5)


def test_from_platform_stage_index_and_alias():
    doc = parse("ARG BASE=debian\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build\n"
                "FROM $BASE\nCOPY --from=build /a /a\nFROM scratch as final\n")
    assert [(s.index, s.image, s.alias, s.platform) for s in doc.stages] == [
        (0, "golang:1.22", "build", "$BUILDPLATFORM"), (1, "$BASE", None, None), (2, "scratch", "final", None)]
    assert [i.name for i in doc.stages[0].instructions] == ["RUN"]
    assert [i.name for i in doc.stages[1].instructions] == ["COPY"]
    assert doc.stages[2].instructions == []
    assert doc.stages[1].instruction is doc.instructions[3]


def test_onbuild_inner_instruction():
    doc = parse('FROM a\nONBUILD RUN --mount=type=cache,target=/c pip install x\nonbuild COPY ["a", "b"]\n'
                "ONBUILD ENV A=1\n")
    run, copy, env = doc.instructions[1:]
    assert run.name == "ONBUILD" and run.flags == []
    assert run.inner.name == "RUN" and run.inner.args == "pip install x"
    assert [(f.name, f.value) for f in run.inner.flags] == [("mount", "type=cache,target=/c")]
    assert at(doc, run.inner.flags[0].start, run.inner.flags[0].end) == "--mount=type=cache,target=/c"
    assert (run.inner.line, run.inner.column) == (2, 9)
    assert copy.keyword == "onbuild" and copy.inner.keyword == "COPY" and copy.inner.json == ["a", "b"]
    assert env.inner.args == "A=1"
    odd = parse("FROM a\nONBUILD --x RUN a\n").instructions[1]  # flags of ONBUILD itself come first
    assert [f.name for f in odd.flags] == ["x"] and odd.inner.name == "RUN" and odd.inner.args == "a"


def test_onbuild_heredoc():
    text = "FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nRUN b\n"
    doc = parse(text)
    ob = doc.instructions[1]
    assert [h.body for h in ob.inner.heredocs] == ["echo hi\n"] and ob.heredocs == ob.inner.heredocs
    assert ob.end_line == 4 and len(doc.instructions) == 3


def test_exec_form():
    doc = parse('FROM a\nRUN ["apt-get", "install", "-y", "x"]\nCMD ["a\\u0041", "b c"]\n'
                'ENTRYPOINT [ "tini", "--" ]  \nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nVOLUME []\n'
                'RUN [ -f /x ] && echo yes\nCMD ["unterminated"\nRUN ["a", NaN]\n')
    run, cmd, ep, shell, vol, test, bad, nan = doc.instructions[1:]
    assert run.json == ["apt-get", "install", "-y", "x"] and not run.is_shell_form
    assert cmd.json == ["aA", "b c"]
    assert ep.json == ["tini", "--"]
    assert shell.json[-1] == "-c"
    assert vol.json == []
    assert test.json is None and test.is_shell_form  # a `[` test command is shell form
    assert bad.json is None and bad.args == '["unterminated"'
    assert nan.json is None  # not JSON for BuildKit either


def test_exec_form_with_a_non_string_is_an_error():
    with pytest.raises(DockerfileSyntaxError, match="strings only") as exc:
        parse('FROM a\n\nCMD ["a", 1]\n')
    assert exc.value.line == 3


def test_healthcheck():
    doc = parse('FROM a\nHEALTHCHECK --interval=5s --timeout=3s CMD ["curl", "-f", "http://x/"]\n'
                "HEALTHCHECK cmd curl -f http://x/ || exit 1\nHEALTHCHECK NONE\n")
    exec_form, shell_form, none = doc.instructions[1:]
    assert [f.name for f in exec_form.flags] == ["interval", "timeout"]
    assert exec_form.json == ["curl", "-f", "http://x/"]
    assert exec_form.command == '["curl", "-f", "http://x/"]'
    assert shell_form.json is None and shell_form.command == "curl -f http://x/ || exit 1"
    assert shell_form.logical[shell_form.command_offset:].startswith("curl -f")
    assert none.command == "" and none.json is None


def test_env_and_label_arguments_are_checked_like_buildkit():
    doc = parse('FROM a\nENV A 1 2\nENV B=1 C="x y"\nLABEL a=b\nENV\n')
    assert [i.args for i in doc.instructions[1:]] == ["A 1 2", 'B=1 C="x y"', "a=b", ""]
    for bad, message in [("ENV A", "must have two arguments"), ("LABEL only", "must have two arguments"),
                         ("ENV A=1 B", "can't find ="), ('ENV a="b c" d', "can't find =")]:
        with pytest.raises(DockerfileSyntaxError, match=message):
            parse("FROM a\n" + bad + "\n")


# --- heredocs -----------------------------------------------------------------------------------------------

def test_heredoc_basic():
    text = "FROM a\nRUN <<EOF\napt-get update\napt-get install -y x\nEOF\nRUN true\n"
    doc = parse(text)
    run = doc.instructions[1]
    h = run.heredocs[0]
    assert (h.name, h.strip_tabs, h.quoted) == ("EOF", False, False)
    assert h.body == "apt-get update\napt-get install -y x\n"
    assert at(doc, h.marker_start, h.marker_end) == "<<EOF"
    assert (run.line, run.end_line) == (2, 5)
    assert run.lines_end == text.index("apt-get update") and run.end == h.end == text.index("RUN true")
    check_invariants(text, doc)


def test_heredoc_variants():
    text = ("FROM a\nCOPY <<-\"END\" <<'B' /dst/\n\t\tbody $x\n\tEND\nsecond\nB\n"
            "RUN cat <<A > /a && cat 3<<C\none\nA\nthree\nC\n"
            "RUN python3 <<E\"O\"F\nprint(1)\n EOF\nEOF\n")
    doc = parse(text)
    copy, run, py = doc.instructions[1:]
    assert [(h.name, h.strip_tabs, h.quoted, h.body) for h in copy.heredocs] == [
        ("END", True, True, "\t\tbody $x\n"), ("B", False, True, "second\n")]
    assert copy.args == "<<-\"END\" <<'B' /dst/"
    assert [(h.name, h.body) for h in run.heredocs] == [("A", "one\n"), ("C", "three\n")]
    assert at(doc, run.heredocs[1].marker_start, run.heredocs[1].marker_end) == "3<<C"
    assert py.heredocs[0].name == "EOF" and py.heredocs[0].quoted
    assert py.heredocs[0].body == "print(1)\n EOF\n"  # an indented terminator does not end a plain heredoc
    check_invariants(text, doc)


def test_heredoc_crlf_and_no_final_newline():
    text = "FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF"
    doc = parse(text)
    h = doc.instructions[1].heredocs[0]
    assert h.body == "echo hi\r\n" and h.end == len(text)
    check_invariants(text, doc)


def test_heredoc_markers_that_are_not_heredocs():
    doc = parse('FROM a\nRUN echo a<<EOF\nRUN echo "<<EOF"\nRUN ["cat", "<<EOF"]\nENV A=<<EOF\n')
    assert all(not i.heredocs for i in doc.instructions)
    assert len(doc.instructions) == 5


def test_unterminated_heredoc_is_an_error():
    with pytest.raises(DockerfileSyntaxError, match="unterminated heredoc") as exc:
        parse("FROM a\nRUN <<EOF\necho\n")
    assert exc.value.line == 2


# --- the round trip ----------------------------------------------------------------------------------------

def test_node_kinds():
    doc = parse("# syntax=x\n\n# c\nFROM a\n")
    assert [type(n) for n in doc.nodes] == [Directive, Blank, Comment, Instruction]


def test_corpus_round_trip(corpus):
    for path in corpus:
        with open(path, "rb") as fh:
            data = fh.read()
        try:
            doc = parse_bytes(data)
        except DockerfileSyntaxError:
            continue  # checked against BuildKit in test_buildkit_oracle
        assert encode(doc.to_text()) == data, path
        check_invariants(doc.text, doc)


@FUZZ
@given(noisy_text)
def test_arbitrary_text_parses_or_fails_cleanly(text):
    try:
        doc = parse(text)
    except DockerfileSyntaxError as exc:
        assert exc.line >= 1 and exc.message
        return
    check_invariants(text, doc)


@FUZZ
@given(st.binary(max_size=200))
def test_arbitrary_bytes_round_trip(data):
    try:
        doc = parse_bytes(data)
    except DockerfileSyntaxError:
        return
    assert encode(doc.to_text()) == data


@FUZZ
@given(dockerfiles())
def test_dockerfile_shaped_text_round_trips(text):
    try:
        doc = parse(text)
    except DockerfileSyntaxError:
        return
    check_invariants(text, doc)
    assert decode(encode(text)) == text
