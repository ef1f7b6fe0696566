from dlint.testing import findings, fixed


def lines(text):
    return [(d.line, d.column, d.hadolint) for d in findings(text, "D024")]


def test_hadolint_and_dlint_instruction_comments():
    text = ("FROM debian:12\n# hadolint ignore=DL3008\nRUN true\n  # dlint: ignore=L001  # reason\nRUN true\n"
            "# dlint: ignore-stage=L004\nRUN true\n")
    assert lines(text) == [(2, 1, "DL1001"), (4, 3, "DL1001"), (6, 1, "DL1001")]


def test_file_wide_comments_and_plain_comments_are_not_reported():
    text = ("# hadolint global ignore=DL3008\n# dlint: ignore-file=L001\nFROM debian:12\n# ignore=DL3008 later\n"
            "# hadolint is run in CI\nRUN true\n")
    assert lines(text) == []


def test_comments_inside_an_instruction_are_not_pragmas():
    text = "FROM debian:12\nRUN true \\\n# hadolint ignore=DL3008\n && true\n"
    assert lines(text) == []


def test_heredoc_body_is_not_a_comment():
    text = "# syntax=docker/dockerfile:1\nFROM debian:12\nRUN <<EOF\n# hadolint ignore=DL3008\ntrue\nEOF\n"
    assert lines(text) == []


def test_escape_directive_and_onbuild():
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n# hadolint ignore=DL3025\nONBUILD RUN echo\n"
    assert lines(text) == [(3, 1, "DL1001")]


def test_the_comment_still_suppresses_and_is_never_removed():
    # above the RUN that DL3059 (and L008) reports: the second of the two
    text = "FROM debian:12\nRUN a\n# hadolint ignore=DL3059\nRUN b\n"
    assert findings(text, "L008") == []
    assert fixed(text, "D024") == text


def test_ignored_by_file_wide_comment():
    assert lines("# dlint: ignore-file=D024\nFROM debian:12\n# hadolint ignore=DL3008\nRUN true\n") == []
