"""M006 label-not-rfc3339: a label typed rfc3339 in label-schema whose value is not one."""
from dlint.rules._labels import is_rfc3339
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "rfc3339"}}
    text = 'FROM alpine\nLABEL the.label="2024-05-01"\nLABEL the.label="2024-05-01T12:00:00Z" other="2024-05-01"\nONBUILD LABEL the.label="2024-05-01"\n'
    [d] = findings(text, "M006", options=opts)
    assert d.line == 2 and d.severity == "warning" and "rfc3339" in d.message
    assert findings(text, "M006") == []  # nothing without a schema
    assert findings(text, "M006", options={"label-schema": {"the.label": "text"}}) == []

def test_rfc3339():
    assert is_rfc3339("2024-02-29T23:59:60.5+02:00") and is_rfc3339("2024-05-01t12:00:00z")
    assert not is_rfc3339("2023-02-29T00:00:00Z") and not is_rfc3339("2024-05-01T12:00:00")
    assert not is_rfc3339("2024-13-01T00:00:00Z") and not is_rfc3339("2024-05-01T24:00:00Z")
