"""D007: CMD, ENTRYPOINT and HEALTHCHECK CMD in shell form."""
import dockerfile
import pytest

from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "D007")]


def test_shell_forms_are_reported_and_exec_forms_are_not():
    text = ("FROM python:3.13\nCMD python app.py\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"python\", \"app.py\"]\n"
            "HEALTHCHECK --interval=5s CMD curl -f http://localhost/\nHEALTHCHECK NONE\n"
            "HEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\nENTRYPOINT exec /app\nRUN echo shell form is fine\n")
    assert lines(text) == [2, 5, 8]


def test_the_fix_is_unsafe_and_keeps_every_other_byte():
    text = ("FROM python:3.13\nCMD python app.py \\\n    --port 8000\n"
            "HEALTHCHECK --interval=5s CMD curl -f http://localhost/\n")
    assert fixed(text, "D007") == text
    new = fixed(text, "D007", unsafe=True)
    assert new == ("FROM python:3.13\nCMD [\"python\", \"app.py\", \\\n    \"--port\", \"8000\"]\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/\"]\n")
    dockerfile.parse_string(new)
    assert not findings(new, "D007")


def test_exec_prefix_is_dropped():
    assert fixed("FROM alpine:3\nENTRYPOINT exec /usr/bin/app --x=1\n", "D007", unsafe=True) == (
        "FROM alpine:3\nENTRYPOINT [\"/usr/bin/app\", \"--x=1\"]\n")


@pytest.mark.parametrize("cmd", ["CMD echo $HOME", "CMD \"python\" app.py", "CMD a && b", "CMD a > log", "CMD ls *.txt",
                                 "CMD cd /app", "CMD A=1 app", "CMD ~/bin/app", "CMD a; b",
                                 "CMD app # comment"])
def test_no_fix_where_the_shell_does_work(cmd):
    [d] = findings(f"FROM alpine:3\n{cmd}\n", "D007")
    assert d.fix is None and d.no_fix_reason


def test_no_fix_for_an_entrypoint_beside_a_cmd_nor_under_a_non_posix_shell():
    [d] = findings("FROM alpine:3\nENTRYPOINT /app\nCMD [\"--help\"]\n", "D007")
    assert d.fix is None and "CMD" in d.no_fix_reason
    [d] = findings("FROM alpine:3\nSHELL [\"pwsh\", \"-c\"]\nCMD app\n", "D007")
    assert d.fix is None and "pwsh -c" in d.message
    [d] = findings("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ping localhost\n", "D007")
    assert d.fix is None and "cmd /S /C" in d.message


def test_heredoc_like_text_escape_and_onbuild():
    assert lines("# escape=`\nFROM alpine:3\nCMD app `\n  --flag\n") == [3]
    assert fixed("# escape=`\nFROM alpine:3\nCMD app `\n  --flag\n", "D007", unsafe=True) == (
        "# escape=`\nFROM alpine:3\nCMD [\"app\", `\n  \"--flag\"]\n")
    assert lines("FROM alpine:3\nONBUILD CMD app\n") == []
