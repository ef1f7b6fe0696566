"""S005 non-numeric-user (opt-in)."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings


def test_off_by_default():
    assert BY_CODE["S005"].default_enabled is False


@pytest.mark.parametrize("user", ["app", "app:app", "root", "node:1000", "$OTHER"])
def test_names(user):
    [d] = findings(f"FROM node:22\nUSER {user}\n", "S005")
    assert d.line == 2 and d.severity == "info"


@pytest.mark.parametrize("text", [
    "FROM node:22\nUSER 1000\n", "FROM node:22\nUSER 1000:1000\n", "FROM node:22\nUSER 0\n",
    "FROM node:22\nARG UID=1000\nUSER $UID\n", "ARG UID\nFROM node:22\nUSER ${UID}:${GID}\n",
])
def test_numbers_and_build_arguments(text):
    assert findings(text, "S005") == []
