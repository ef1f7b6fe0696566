"""M001 invalid-label-key (opt-in; needs no schema)."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("key", ["Version", "1abc", "a.", "com.docker.x", "io.docker.y", "org.dockerproject.z",
                                 "a..b", "a--b", "my label", "a$b"])
def test_bad_keys(key):
    text = f'FROM alpine\nLABEL "{key}"="x"\n'
    [d] = findings(text, "M001")
    assert d.line == 2 and d.severity == "style"


@pytest.mark.parametrize("key", ["org.opencontainers.image.version", "maintainer", "a_b/c-d.e9"])
def test_good_keys(key):
    assert findings(f"FROM alpine\nLABEL {key}=x\n", "M001") == []


def test_legacy_form_and_one_finding_per_label_instruction():
    assert len(findings("FROM alpine\nLABEL Vendor Acme Inc\n", "M001")) == 1
    [d] = findings("FROM alpine\nLABEL A=1 B=2 ok=3\n", "M001")
    assert "1 more" in d.message
