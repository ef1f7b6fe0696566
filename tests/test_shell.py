"""The shell model of RUN bodies: script text, commands, words, connections, and the map to the file."""
import pytest

from dlint.shell import script_of
from dlint.syntax import parse


def run_script(text, index=-1):
    doc = parse(text)
    return doc, script_of(doc.instructions[index])


def names(script):
    return [c.name for c in script.commands]


def command(script, name):
    found = [c for c in script.commands if c.name == name]
    assert len(found) == 1, [c.name for c in script.commands]
    return found[0]


def file_text(doc, script, start, end):
    return doc.text[script.file_offset(start):script.file_end_offset(end)]


def assert_words_map_to_file(doc, script):
    """The file text at each word's mapped span is the word as written (checked for every word)."""
    checked = 0
    for cmd in script.commands:
        for w in cmd.words:
            assert file_text(doc, script, w.start, w.end) == w.text, w
            checked += 1
    assert checked


# --- the script text ----------------------------------------------------------------------------------------

def test_script_text_joins_continuations_and_drops_comment_lines():
    doc, s = run_script("FROM a\nRUN apt-get update \\\n  # refresh first\n\n  && apt-get install -y \\\n"
                        "     curl \\\n     git\n")
    assert s.text == "apt-get update   && apt-get install -y      curl      git"
    assert not s.has_error and not s.exec_form
    assert names(s) == ["apt-get", "apt-get"]
    assert [w.value for w in s.commands[1].words] == ["apt-get", "install", "-y", "curl", "git"]
    assert_words_map_to_file(doc, s)


def test_flags_are_not_part_of_the_script():
    doc, s = run_script("FROM a\nRUN --mount=type=cache,target=/var/cache/apt --network=host apt-get update\n")
    assert s.text == "apt-get update"
    assert_words_map_to_file(doc, s)


def test_backtick_escape_file():
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN echo C:\\temp\\ `\n    && dir C:\\ `\n    # note\n    && exit 0\n"
    doc, s = run_script(text)
    assert s.text == "echo C:\\temp\\     && dir C:\\     && exit 0"
    assert names(s) == ["echo", "dir", "exit"]
    # the script keeps the backslashes; ``\ `` escapes a blank for the shell, as it would when run
    assert (command(s, "echo").words[1].text, command(s, "echo").words[1].value) == ("C:\\temp\\ ", "C:temp ")
    assert_words_map_to_file(doc, s)


def test_crlf_file():
    text = "FROM a\r\nRUN apt-get update \\\r\n && apt-get install -y curl\r\nRUN echo done\r\n"
    doc, s = run_script(text, 1)
    assert "\r" not in s.text
    assert s.text == "apt-get update  && apt-get install -y curl"
    assert_words_map_to_file(doc, s)
    doc, s = run_script(text)
    assert s.text == "echo done"


def test_non_ascii_offsets():
    doc, s = run_script("FROM a\nRUN echo 'héllo wörld' && touch /tmp/ü \\\n  && ls\n")
    assert [w.value for w in s.commands[0].words] == ["echo", "héllo wörld"]
    assert command(s, "touch").words[1].start == s.text.index("/tmp/ü")
    assert_words_map_to_file(doc, s)


def test_onbuild_and_healthcheck_scripts():
    doc, s = run_script("FROM a\nONBUILD RUN --mount=type=cache,target=/c pip install -r req.txt\n")
    assert s.text == "pip install -r req.txt"
    assert_words_map_to_file(doc, s)
    doc, s = run_script("FROM a\nHEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1\n")
    assert s.text == "curl -f http://localhost/ || exit 1"
    assert [c.context for c in s.commands] == [("or",), ("or",)]
    assert_words_map_to_file(doc, s)


# --- structure ----------------------------------------------------------------------------------------------

def test_and_or_sequence_and_newline():
    _, s = run_script("FROM a\nRUN a && b || c; d\n")
    assert [(c.name, c.context) for c in s.commands] == [
        ("a", ("or", "and")), ("b", ("or", "and")), ("c", ("or",)), ("d", ())]


def test_case_statement():
    _, s = run_script('FROM a\nRUN case "$(uname -m)" in x86_64) apt-get install -y a ;; arm*|aarch64) '
                      'echo arm ;; *) exit 1 ;; esac\n')
    install = command(s, "apt-get")
    assert "case" in install.context
    assert [w.value for w in install.words] == ["apt-get", "install", "-y", "a"]
    assert "case" in command(s, "exit").context
    assert "substitution" in command(s, "uname").context


def test_double_bracket_test_and_arithmetic():
    _, s = run_script('FROM a\nRUN [[ -f /etc/os-release && "$ID" == debian ]] && echo $(( 1 + 2 )) "$((x*2))"\n')
    test = s.commands[0]
    assert test.words[0].value == "[[" and test.words[-1].value == "]]"
    assert test.context == ("and",)
    echo = command(s, "echo")
    assert [w.value for w in echo.words] == ["echo", None, None]
    assert echo.words[1].text == "$(( 1 + 2 ))"


def test_here_string_and_redirects():
    _, s = run_script("FROM a\nRUN FOO=1 BAR=\"a b\" cat <<< \"$x\" > /out 2>&1\n")
    cat = command(s, "cat")
    assert cat.assignments == ["FOO=1", 'BAR="a b"']
    assert cat.redirects == ['<<< "$x"', "> /out", "2>&1"]
    assert [w.value for w in cat.words] == ["cat"]
    _, s = run_script("FROM a\nRUN { echo a; } > /f; echo b >> /g\n")
    assert [c.redirects for c in s.commands] == [[], [">> /g"]]


def test_functions_subshells_and_brace_groups():
    _, s = run_script("FROM a\nRUN install_deps() { apt-get update; apt-get install -y x; } && install_deps && "
                      "(cd /src && make) && { echo a; echo b; }\n")
    assert names(s) == ["apt-get", "apt-get", "install_deps", "cd", "make", "echo", "echo"]
    assert {"function", "brace"} <= set(s.commands[0].context)
    assert "subshell" in command(s, "make").context and "function" not in command(s, "make").context
    assert s.commands[-1].context[-1] == "brace"


def test_pipelines_and_background():
    _, s = run_script("FROM a\nRUN curl -fsSL https://x/key | gpg --dearmor > /k.gpg && (sleep 5 &) ; "
                      "server & wait\n")
    assert "pipeline" in command(s, "curl").context and "pipeline" in command(s, "gpg").context
    assert command(s, "sleep").background and "subshell" in command(s, "sleep").context
    assert command(s, "server").background
    assert not command(s, "wait").background and not command(s, "curl").background


def test_if_for_while():
    _, s = run_script("FROM a\nRUN if [ -f /x ]; then apt-get update; else echo no; fi; "
                      "for p in a b; do pip install $p; done; while read l; do echo $l; done < f\n")
    assert command(s, "[").context == ("if", "condition")
    assert command(s, "apt-get").context == ("if",)
    assert "for" in command(s, "pip").context
    assert command(s, "read").context == ("while", "condition")
    pip = command(s, "pip")
    assert [w.value for w in pip.words] == ["pip", "install", None]


def test_declarations_and_bare_assignments():
    _, s = run_script("FROM a\nRUN export PATH=/x:$PATH DEBIAN_FRONTEND=noninteractive && X=1 && unset Y\n")
    assert s.commands[0].words[0].value == "export"
    assert s.commands[1].assignments == ["X=1"] and s.commands[1].words == []
    assert s.commands[2].words[0].value == "unset"


# --- word values --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, value", [
    ('"a b"', "a b"),
    ("'c d'", "c d"),
    ("a\\ b", "a b"),
    ('"\\$z"', "$z"),
    ('"a\\b"', "a\\b"),  # a backslash before an ordinary character stays inside double quotes
    ("a'b'\"c\"", "abc"),
    ("--opt=x", "--opt=x"),
    ("42", "42"),
    ('"x$y"', None),
    ("$HOME", None),
    ("${HOME}/x", None),
    ("$(id -u)", None),
    ("`id -u`", None),
    ("$'q'", None),
])
def test_word_values(word, value):
    _, s = run_script(f"FROM a\nRUN echo {word}\n")
    w = s.commands[0].words[1]
    assert (w.text, w.value) == (word, value)


# --- heredocs -----------------------------------------------------------------------------------------------

def test_heredoc_body_is_the_script():
    text = "FROM a\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nEOF\n"
    doc, s = run_script(text)
    assert s.text == "set -e\napt-get update\napt-get install -y curl\n"
    assert names(s) == ["set", "apt-get", "apt-get"]
    assert_words_map_to_file(doc, s)


def test_heredoc_with_tab_stripping_maps_each_line():
    doc, s = run_script("FROM a\nRUN <<-EOF\n\tapt-get update\n\t\tapt-get install -y curl\n\tEOF\n")
    assert s.text == "apt-get update\napt-get install -y curl\n"
    assert_words_map_to_file(doc, s)


def test_heredoc_read_by_a_shell_is_the_script():
    for line in ("RUN <<EOT bash", "RUN bash -ex <<EOT", "RUN <<EOT sh -o pipefail -e"):
        doc, s = run_script(f"FROM a\n{line}\napt-get update\napt-get install -y vim\nEOT\n")
        assert names(s) == ["apt-get", "apt-get"], line
        assert_words_map_to_file(doc, s)


def test_heredoc_with_another_interpreter_is_not_shell():
    _, s = run_script("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('apt-get update')\nEOF\n")
    assert s.commands == []
    _, s = run_script("FROM a\nRUN <<EOF\n#!/bin/bash\napt-get update\nEOF\n")
    assert names(s) == ["apt-get"]
    _, s = run_script("FROM a\nRUN python3 <<EOF\nimport os\nEOF\n")
    assert names(s) == ["python3"]


def test_heredoc_as_input_of_a_command():
    text = "FROM a\nRUN cat <<EOF > /etc/apt/sources.list && apt-get update\ndeb http://x y main\napt-get install z\nEOF\n"
    doc, s = run_script(text)
    # what /bin/sh -c gets: the command line, then the body and its terminator
    assert s.text == ("cat <<EOF > /etc/apt/sources.list && apt-get update\n"
                      "deb http://x y main\napt-get install z\nEOF\n")
    assert names(s) == ["cat", "apt-get"]  # the body is data, not commands
    assert command(s, "cat").redirects == ["<<EOF", "> /etc/apt/sources.list"]
    body = s.text.index("deb http")
    assert doc.text[s.file_offset(body):s.file_end_offset(body + 8)] == "deb http"
    assert_words_map_to_file(doc, s)


# --- exec form ----------------------------------------------------------------------------------------------

def test_exec_form_without_shell():
    doc, s = run_script('FROM a\nRUN ["apt-get", "install", "-y", \\\n     "curl"]\n')
    assert s.exec_form
    assert [(w.text, w.value) for w in s.commands[0].words] == [
        ("apt-get", "apt-get"), ("install", "install"), ("-y", "-y"), ("curl", "curl")]
    assert s.commands[0].context == ()
    assert_words_map_to_file(doc, s)


def test_exec_form_with_shell():
    doc, s = run_script('FROM a\nRUN ["/bin/bash", "-o", "pipefail", "-c", "apt-get update && apt-get install -y \\"x\\""]\n')
    assert s.exec_form and s.text == 'apt-get update && apt-get install -y "x"'
    assert names(s) == ["apt-get", "apt-get"]
    update = s.commands[0]
    assert [file_text(doc, s, w.start, w.end) for w in update.words] == ["apt-get", "update"]
    last = s.commands[1].words[-1]
    assert last.value == "x"
    # an escaped character maps to its escape in the file
    assert doc.text[s.file_offset(last.start)] == "\\"


@pytest.mark.parametrize("argv", ['["sh", "-ec", "apt-get update"]', '["/usr/bin/env", "bash", "-c", "apt-get update"]',
                                  '["bash", "--login", "-c", "apt-get update"]'])
def test_exec_form_shell_variants(argv):
    _, s = run_script(f"FROM a\nRUN {argv}\n")
    assert s.text == "apt-get update" and names(s) == ["apt-get"]


def test_exec_form_shell_running_a_file_is_not_a_script():
    _, s = run_script('FROM a\nRUN ["bash", "/setup.sh", "-c"]\n')
    assert [w.value for w in s.commands[0].words] == ["bash", "/setup.sh", "-c"]


def test_exec_form_shell_without_script():
    _, s = run_script('FROM a\nCMD ["sh", "-c"]\n')
    assert s.text == "" and s.commands == []


# --- the offset map -----------------------------------------------------------------------------------------

def test_file_offsets_across_continuation_lines():
    text = ("FROM a\nRUN set -eux; \\\n    apt-get update; \\\n    # comment line\n    apt-get install -y --no-install-recommends \\\n"
            "        ca-certificates \\\n        curl; \\\n    rm -rf /var/lib/apt/lists/*\n")
    doc, s = run_script(text)
    assert_words_map_to_file(doc, s)
    rm = command(s, "rm")
    start, end = s.file_offset(rm.start), s.file_end_offset(rm.end)
    assert doc.text[start:end] == "rm -rf /var/lib/apt/lists/*"
    assert doc.line_col(start) == (8, 5)
    install = s.commands[2]
    # a command spanning lines maps to a file span that holds the continuation between them
    span = doc.text[s.file_offset(install.start):s.file_end_offset(install.end)]
    assert span.startswith("apt-get install") and span.endswith("curl") and "\\\n" in span


def test_end_of_a_word_at_a_line_join_stays_on_its_line():
    doc, s = run_script("FROM a\nRUN echo first\\\n  second\n")
    # the logical text is "echo first  second": the join is right after "first"
    first = s.commands[0].words[1]
    assert first.text == "first"
    assert doc.text[s.file_offset(first.start):s.file_end_offset(first.end)] == "first"
    assert s.file_offset(first.end) == doc.text.index("  second")
