"""M004 empty-label."""
from dlint.testing import findings

OPTS = {"label-schema": {"version": "semver"}}


def test_empty_values_of_schema_labels():
    text = 'FROM alpine\nLABEL version=""\nLABEL version=\nLABEL other=""\nLABEL version=1.0.0\n'
    assert [d.line for d in findings(text, "M004", options=OPTS)] == [2, 3]
    assert findings(text, "M004") == []
