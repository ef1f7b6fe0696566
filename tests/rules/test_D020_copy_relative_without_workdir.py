"""D020 copy-relative-without-workdir (opt-in)."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings


def test_off_by_default():
    assert BY_CODE["D020"].default_enabled is False


def test_relative_destination_before_workdir():
    text = "FROM python:3.13-slim\nCOPY app.py .\nWORKDIR /app\nCOPY b.py .\n"
    [d] = findings(text, "D020")
    assert d.line == 2 and "`.`" in d.message


@pytest.mark.parametrize("dest", ["/app/", '"/app"', "$APP", "C:\\\\app", "c:/app"])
def test_absolute_windows_and_variable_destinations(dest):
    assert findings(f"FROM python:3.13-slim\nCOPY app.py {dest}\n", "D020") == []


def test_workdir_carries_over_to_stages_built_on_the_stage():
    text = "FROM python AS base\nWORKDIR /app\nFROM base\nCOPY a .\nFROM python\nCOPY b .\n"
    assert [d.line for d in findings(text, "D020")] == [6]


def test_json_form_and_heredoc():
    text = 'FROM alpine\nCOPY ["a b", "dir/"]\nCOPY <<EOF conf.txt\nx\nEOF\n'
    assert [d.line for d in findings(text, "D020")] == [2, 3]
