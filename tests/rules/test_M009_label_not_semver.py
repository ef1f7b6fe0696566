"""M009 label-not-semver: a label typed semver in label-schema whose value is not one."""
from dlint.rules._labels import is_semver
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "semver"}}
    text = 'FROM alpine\nLABEL the.label="v1.4"\nLABEL the.label="1.4.0" other="v1.4"\nONBUILD LABEL the.label="v1.4"\n'
    [d] = findings(text, "M009", options=opts)
    assert d.line == 2 and d.severity == "warning" and "semver" in d.message
    assert findings(text, "M009") == []  # nothing without a schema
    assert findings(text, "M009", options={"label-schema": {"the.label": "text"}}) == []

def test_semver():
    assert all(map(is_semver, ["1.0.0", "0.1.0-rc.1", "1.0.0-alpha+001", "1.0.0+20130313144700", "10.20.30"]))
    assert not any(map(is_semver, ["1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+"]))


def test_a_value_from_a_variable_is_not_judged():
    opts = {"label-schema": {"version": "semver"}}
    text = ('FROM alpine\nARG VERSION\nLABEL version=$VERSION\nLABEL version="${VERSION}-1"\n'
            "LABEL version='$VERSION'\nLABEL version=\\$VERSION\n")
    # single quotes and an escaped dollar keep the text as written, which is not a version
    assert [d.line for d in findings(text, "M009", options=opts)] == [5, 6]
