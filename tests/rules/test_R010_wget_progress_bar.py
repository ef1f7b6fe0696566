"""R010 wget-progress-bar."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run", [
    "RUN wget https://example.com/x.tgz",
    "RUN wget -O /tmp/x.tgz https://example.com/x.tgz",
    "RUN wget -c https://example.com/x.tgz && tar xf x.tgz",
    "RUN sudo wget https://example.com/x.tgz",
    "ONBUILD RUN wget https://example.com/x.tgz",
    "RUN <<EOF\nwget https://example.com/x.tgz\nEOF",
    'RUN ["wget", "https://example.com/x.tgz"]',
    "RUN wget -Oq.tgz https://example.com/x.tgz",  # q is -O's value here, not --quiet
])
def test_reports(run):
    [d] = findings(BASE + run + "\n", "R010")
    assert "--progress=dot:giga" in d.message


@pytest.mark.parametrize("run", [
    "RUN wget -q https://example.com/x.tgz",
    "RUN wget -qO- https://example.com/x.sh | sh",
    "RUN wget --quiet https://example.com/x.tgz",
    "RUN wget -nv https://example.com/x.tgz",
    "RUN wget --no-verbose https://example.com/x.tgz",
    "RUN wget --progress=bar:force https://example.com/x.tgz",
    "RUN wget --show-progress https://example.com/x.tgz",
    "RUN wget -o /tmp/log https://example.com/x.tgz",
    "RUN wget -a /tmp/log https://example.com/x.tgz",
    "RUN wget https://example.com/x.tgz 2>/dev/null",
    "RUN curl -fsSLO https://example.com/x.tgz",
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R010") == []


def test_fix_is_unsafe():
    text = BASE + "RUN wget https://example.com/x.tgz\n"
    assert fixed(text, "R010") == text
    after = BASE + "RUN wget --progress=dot:giga https://example.com/x.tgz\n"
    assert fixed(text, "R010", unsafe=True) == after
    assert findings(after, "R010") == []


@pytest.mark.parametrize("run", ["RUN wget https://e.com/x || ok1\n", "RUN ok1 && wget -c https://e.com/x; bad1 || ok2\n"])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    after = fixed(text, "R010", unsafe=True)
    assert assert_only_change(box, text, after, adds_after("wget", "--progress=dot:giga")) >= 2
