"""S002 root-user (opt-in): the last USER of the image that ships."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings


def test_off_by_default():
    assert BY_CODE["S002"].default_enabled is False


@pytest.mark.parametrize("user", ["root", "0", "root:root", "0:0", '"root"'])
def test_last_user_root(user):
    [d] = findings(f"FROM debian:12\nUSER app\nRUN id\nUSER {user}\nCMD [\"app\"]\n", "S002")
    assert d.line == 4 and d.severity == "warning"


@pytest.mark.parametrize("text", [
    "FROM debian:12\nUSER root\nRUN apt-get update\nUSER app\n",
    "FROM debian:12\nRUN true\n",  # no USER at all: not what this rule reads
    "FROM debian:12 AS build\nUSER root\nFROM debian:12\nUSER 1000\n",  # a builder stage does not ship
    "FROM debian:12\nUSER rooty\n",
])
def test_not_reported(text):
    assert findings(text, "S002") == []


def test_a_stage_without_user_inherits_the_one_it_builds_on():
    text = "FROM debian:12 AS base\nUSER root\nFROM base\nRUN true\n"
    assert [d.line for d in findings(text, "S002")] == [2]


def test_target_selects_the_stage_that_ships():
    text = "FROM debian:12 AS app\nUSER root\nFROM debian:12 AS other\nUSER 1000\n"
    assert findings(text, "S002") == []
    assert [d.line for d in findings(text, "S002", target="app")] == [2]
