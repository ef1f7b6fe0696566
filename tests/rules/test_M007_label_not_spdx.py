"""M007 label-not-spdx: a label typed spdx in label-schema whose value is not one."""
from dlint.rules._labels import is_spdx
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "spdx"}}
    text = 'FROM alpine\nLABEL the.label="GPL-2.0"\nLABEL the.label="Apache-2.0" other="GPL-2.0"\nONBUILD LABEL the.label="GPL-2.0"\n'
    [d] = findings(text, "M007", options=opts)
    assert d.line == 2 and d.severity == "warning" and "spdx" in d.message
    assert findings(text, "M007") == []  # nothing without a schema
    assert findings(text, "M007", options={"label-schema": {"the.label": "text"}}) == []

def test_spdx():
    assert is_spdx("MIT") and is_spdx("GPL-2.0-only") and is_spdx("0BSD")
    assert not is_spdx("GPL-2.0") and not is_spdx("MIT OR Apache-2.0") and not is_spdx("mit")
