"""D021 reserved-stage-name."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("name", ["scratch", "context", "Scratch", "CONTEXT"])
def test_reserved_names(name):
    [d] = findings(f"FROM alpine AS {name}\nRUN true\n", "D021")
    assert d.line == 1 and d.severity == "warning"


@pytest.mark.parametrize("text", ["FROM scratch\n", "FROM alpine AS scratchpad\n", "FROM alpine AS build-context\n"])
def test_other_names(text):
    assert findings(text, "D021") == []
