"""D023 copy-whole-filesystem (opt-in)."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("copy", ["COPY --from=build / /", 'COPY --from=build ["/", "/"]', "COPY --link --from=build '/' /",
                                  "COPY --from=tonistiigi/xx / /"])
def test_reported(copy):
    [d] = findings(f"FROM alpine AS build\nFROM scratch\n{copy}\n", "D023")
    assert d.line == 3


@pytest.mark.parametrize("copy", ["COPY --from=build /out /", "COPY --from=build / /rootfs", "COPY / /"])
def test_not_reported(copy):
    assert findings(f"FROM alpine AS build\nFROM scratch\n{copy}\n", "D023") == []
