"""D001: WORKDIR with a relative path, made absolute when the directory before it is known."""
import dockerfile
import pytest

from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "D001")]


def test_relative_paths_are_reported_and_absolute_ones_are_not():
    text = ("FROM debian:12\nWORKDIR /app\nWORKDIR src\nWORKDIR ../lib\nWORKDIR $HOME\nWORKDIR ${APP}/x\n"
            "WORKDIR \"/quoted\"\nWORKDIR ./here\n")
    assert lines(text) == [3, 4, 8]


@pytest.mark.parametrize("path", ["C:\\\\app", "C:/app", "c:\\\\x", "\\\\app", "/"])
def test_windows_and_root_paths_are_absolute(path):
    assert not lines(f"FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR {path}\n")


def test_the_fix_joins_the_previous_workdir_as_the_build_does():
    text = "FROM debian:12\nWORKDIR /app/\nWORKDIR src\nWORKDIR ../lib/./x\nWORKDIR ../../../..\nRUN pwd\n"
    new = fixed(text, "D001")
    assert new == "FROM debian:12\nWORKDIR /app/\nWORKDIR /app/src\nWORKDIR /app/lib/x\nWORKDIR /\nRUN pwd\n"
    dockerfile.parse_string(new)
    assert fixed(new, "D001") == new and not findings(new, "D001")


def test_the_previous_workdir_may_come_from_the_parent_stage():
    text = "FROM debian:12 AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\nFROM scratch\nWORKDIR data\n"
    assert fixed(text, "D001") == ("FROM debian:12 AS base\nWORKDIR /srv\nFROM base\nWORKDIR /srv/app\n"
                                   "FROM scratch\nWORKDIR /data\n")


def test_no_fix_when_the_directory_before_is_unknown_or_the_path_needs_expansion():
    for text in ("FROM debian:12\nWORKDIR app\n",  # the base image's WORKDIR is not known
                 "FROM debian:12\nWORKDIR $ROOT\nWORKDIR app\n",
                 "FROM debian:12\nWORKDIR /a\nWORKDIR app$SUFFIX\n",
                 "FROM debian:12\nWORKDIR /a\nWORKDIR 'my app'\n",
                 "FROM debian:12\nWORKDIR /a\nWORKDIR b\\\n  c\n"):
        [d] = findings(text, "D001")
        assert d.fix is None and "no automatic fix" in d.rendered_message
        assert fixed(text, "D001") == text


def test_a_windows_stage_gets_no_fix():
    text = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\\\app\nWORKDIR src\n"
    [d] = findings(text, "D001")
    assert d.line == 3 and d.fix is None


def test_escape_directive_and_onbuild():
    text = "# escape=`\nFROM debian:12\nWORKDIR /app\nWORKDIR sub\nONBUILD WORKDIR rel\n"
    assert lines(text) == [4]
    assert "WORKDIR /app/sub\n" in fixed(text, "D001")
