"""D019 env-self-reference."""
import pytest

from dlint.testing import findings


def test_reference_to_a_variable_the_same_env_sets():
    text = "FROM debian:12\nENV APP_HOME=/opt/app \\\n    PATH=$APP_HOME/bin:$PATH\n"
    [d] = findings(text, "D019")
    assert d.line == 2 and d.severity == "error" and "`APP_HOME`" in d.message


@pytest.mark.parametrize("value", ["${A}", "${A:-x}", "x$A", '"$A/y"'])
def test_reference_forms(value):
    assert len(findings(f"FROM debian:12\nENV A=1 B={value}\n", "D019")) == 1


@pytest.mark.parametrize("text", [
    "FROM debian:12\nENV A=1\nENV B=$A\n",  # its own ENV first
    "FROM debian:12\nENV A=0\nENV A=1 B=$A\n",  # set before: the earlier value may be meant
    "FROM debian:12\nARG A\nENV A=1 B=$A\n",
    "ARG A=0\nFROM debian:12\nENV A=1 B=$A\n",
    "FROM debian:12 AS base\nENV A=0\nFROM base\nENV A=1 B=$A\n",  # set in the stage it builds on
    "FROM debian:12\nENV A=1 B=$AB\n",  # another name
    "FROM debian:12\nENV A=1 B='$A'\n",  # single quotes: not expanded
    "FROM debian:12\nENV A=1 B=\\$A\n",  # escaped
    "FROM debian:12\nENV PATH=/x:$PATH\n",  # one pair
    "FROM debian:12\nENV A $A:x\n",  # legacy form: one variable
])
def test_not_reported(text):
    assert findings(text, "D019") == []


def test_a_variable_of_an_unrelated_stage_does_not_count():
    text = "FROM debian:12 AS one\nENV A=0\nFROM debian:12\nENV A=1 B=$A\n"
    assert [d.line for d in findings(text, "D019")] == [4]


def test_escape_directive_backtick():
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nENV A=1 B=`$A C=$A\n"
    [d] = findings(text, "D019")
    assert d.line == 3
