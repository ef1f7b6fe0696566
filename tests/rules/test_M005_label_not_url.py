"""M005 label-not-url: a label typed url in label-schema whose value is not one."""
from dlint.rules._labels import is_url
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "url"}}
    text = 'FROM alpine\nLABEL the.label="github.com/acme"\nLABEL the.label="https://github.com/acme/tools" other="github.com/acme"\nONBUILD LABEL the.label="github.com/acme"\n'
    [d] = findings(text, "M005", options=opts)
    assert d.line == 2 and d.severity == "warning" and "url" in d.message
    assert findings(text, "M005") == []  # nothing without a schema
    assert findings(text, "M005", options={"label-schema": {"the.label": "text"}}) == []

def test_url():
    assert is_url("https://example.com/a?b=c#d") and is_url("mailto:a@b.c") and is_url("https://x/%20")
    assert not is_url("example.com") and not is_url("https://x y") and not is_url("https://x/%zz") and not is_url("")
