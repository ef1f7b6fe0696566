"""M003 superfluous-label: with strict-labels, labels outside label-schema."""
from dlint.testing import findings

SCHEMA = {"org.opencontainers.image.source": "url"}
TEXT = 'FROM alpine\nLABEL org.opencontainers.image.source="https://x" maintainer="ops@example.com"\nLABEL "org.opencontainers.image.source"=y\n'


def test_only_with_strict_labels():
    assert findings(TEXT, "M003", options={"label-schema": SCHEMA}) == []
    [d] = findings(TEXT, "M003", options={"label-schema": SCHEMA, "strict-labels": True})
    assert d.line == 2 and "`maintainer`" in d.message and d.severity == "info"


def test_strict_without_schema_reports_every_label():
    assert len(findings(TEXT, "M003", options={"strict-labels": True})) == 2
