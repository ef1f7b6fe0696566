"""M010 label-not-email: a label typed email in label-schema whose value is not one."""
from dlint.rules._labels import is_email
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "email"}}
    text = 'FROM alpine\nLABEL the.label="Ops Team"\nLABEL the.label="ops@example.com" other="Ops Team"\nONBUILD LABEL the.label="Ops Team"\n'
    [d] = findings(text, "M010", options=opts)
    assert d.line == 2 and d.severity == "warning" and "email" in d.message
    assert findings(text, "M010") == []  # nothing without a schema
    assert findings(text, "M010", options={"label-schema": {"the.label": "text"}}) == []

def test_email():
    assert is_email("a@b") and is_email("first.last+tag@example.co.uk") and is_email('"a b"@example.com')
    assert not is_email("Ops <ops@example.com>") and not is_email("a@") and not is_email("a..b@c") and not is_email("ab")

def test_legacy_form_escape_and_quotes():
    opts = {"label-schema": {"maintainer": "email"}}
    assert len(findings("FROM alpine\nLABEL maintainer Ops Team\n", "M010", options=opts)) == 1
    assert findings('# escape=`\nFROM alpine\nLABEL "maintainer"="ops@example.com"\n', "M010", options=opts) == []
