"""S004 secret-in-arg-or-env (opt-in)."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings


def test_off_by_default():
    assert BY_CODE["S004"].default_enabled is False


@pytest.mark.parametrize("line", ["ARG NPM_TOKEN", "ARG github_token=", "ENV DB_PASSWORD=x", "ENV MY_SECRET x",
                                  "ENV A=1 AWS_ACCESS_KEY_ID=abc", "ARG Api_Key", "ONBUILD ARG PRIVATE_KEY",
                                  "ENV \"CLIENT_KEY\"=x"])
def test_secret_names(line):
    [d] = findings(f"FROM debian:12\n{line}\n", "S004")
    assert d.line == 2 and d.severity == "warning"


@pytest.mark.parametrize("line", ["ARG VERSION", "ENV PATH=/x", "ENV KEY_ID=1", "LABEL password=x",
                                  "RUN echo $PASSWORD"])
def test_other_names(line):
    assert findings(f"FROM debian:12\n{line}\n", "S004") == []


def test_one_finding_per_instruction_naming_each():
    [d] = findings("FROM debian:12\nENV DB_PASSWORD=a DB_USERNAME=b\n", "S004")
    assert "`DB_PASSWORD`" in d.message and "`DB_USERNAME`" in d.message
