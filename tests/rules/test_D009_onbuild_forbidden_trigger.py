"""D009: ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("trigger", ["ONBUILD RUN true", "onbuild from alpine", "MAINTAINER me"])
def test_forbidden_triggers_are_reported(trigger):
    [d] = findings(f"FROM alpine:3.22\nONBUILD {trigger}\n", "D009")
    assert d.line == 2 and trigger.split()[0] in d.message


@pytest.mark.parametrize("trigger", ["RUN true", "COPY . /app", "RUN <<EOF\nFROM x\nEOF", "ENV ONBUILD=1"])
def test_other_triggers_are_not_reported(trigger):
    assert not findings(f"FROM alpine:3.22\nONBUILD {trigger}\n", "D009")
