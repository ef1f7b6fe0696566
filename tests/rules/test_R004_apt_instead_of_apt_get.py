"""R004 apt-instead-of-apt-get."""
import re

import pytest

from dlint.testing import findings, fixed
from option_fix_proof import assert_only_change

BASE = "FROM ubuntu:24.04\n"


@pytest.mark.parametrize("run,tool", [
    ("RUN apt update", "`apt-get`"),
    ("RUN apt install -y curl", "`apt-get`"),
    ("RUN sudo apt install -y curl", "`apt-get`"),
    ("RUN apt search curl", "`apt-cache`"),
    ("RUN apt list --installed", "`dpkg-query -W`"),
    ("RUN apt upgrade -y", "`apt-get upgrade --with-new-pkgs`"),
    ("ONBUILD RUN apt install -y curl", "`apt-get`"),
    ("RUN <<EOF\napt install -y curl\nEOF", "`apt-get`"),
    ('RUN ["apt", "install", "-y", "curl"]', "`apt-get`"),
])
def test_reports(run, tool):
    [d] = findings(BASE + run + "\n", "R004")
    assert f"call {tool}" in d.message


@pytest.mark.parametrize("run", ["RUN apt-get install -y curl", "RUN apt-cache policy curl", "RUN echo apt",
                                 "RUN aptitude install -y curl", "RUN apt-key add k"])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R004") == []


def test_powershell_is_not_read():
    assert findings(BASE + 'SHELL ["powershell", "-c"]\nRUN apt install x\n', "R004") == []


def test_fix_is_unsafe_and_only_for_twins():
    text = BASE + "RUN apt update && apt install -y curl && apt upgrade -y\n"
    assert fixed(text, "R004") == text
    after = fixed(text, "R004", unsafe=True)
    assert after == BASE + "RUN apt-get update && apt-get install -y curl && apt upgrade -y\n"
    assert [d.fix for d in findings(after, "R004")] == [None]


@pytest.mark.parametrize("run", ["RUN apt update && apt install -y x || ok1\n",
                                 "RUN ok1; sudo apt remove -y x; bad1 || ok2\n"])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    after = fixed(text, "R004", unsafe=True)
    assert assert_only_change(box, text, after, lambda argv: re.sub(r"(^|\s)apt(?=\s)", r"\1apt-get", argv, count=1)) >= 2
