"""M008 label-not-git-hash: a label typed hash in label-schema whose value is not one."""
from dlint.rules._labels import is_git_hash
from dlint.testing import findings


def test_reported_only_for_the_schema_type():
    opts = {"label-schema": {"the.label": "hash"}}
    text = 'FROM alpine\nLABEL the.label="v1.4.2"\nLABEL the.label="3f2a9c1" other="v1.4.2"\nONBUILD LABEL the.label="v1.4.2"\n'
    [d] = findings(text, "M008", options=opts)
    assert d.line == 2 and d.severity == "warning" and "hash" in d.message
    assert findings(text, "M008") == []  # nothing without a schema
    assert findings(text, "M008", options={"label-schema": {"the.label": "text"}}) == []

def test_git_hash():
    assert is_git_hash("a" * 40) and is_git_hash("0123abc")
    assert not is_git_hash("A" * 40) and not is_git_hash("0123ab") and not is_git_hash("0123abg")
