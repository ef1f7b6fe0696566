"""D012: MAINTAINER, rewritten as LABEL maintainer=."""
import dockerfile
import pytest

from dlint.testing import findings, fixed


def test_the_fix_writes_the_label_in_place():
    text = "FROM debian:12\n  MAINTAINER Jane Doe <jane@example.com>  \nmaintainer ops@example.com\nRUN true\n"
    new = fixed(text, "D012")
    assert new == ("FROM debian:12\n  LABEL maintainer=\"Jane Doe <jane@example.com>\"  \n"
                   "label maintainer=\"ops@example.com\"\nRUN true\n")
    dockerfile.parse_string(new)
    assert not findings(new, "D012") and fixed(new, "D012") == new


@pytest.mark.parametrize("value", ["\"Jane\"", "Jane's", "$USER", "a\\\\b", "a `b`", "Jane \\\n  Doe"])
def test_no_fix_where_label_would_read_the_text_otherwise(value):
    [d] = findings(f"FROM debian:12\nMAINTAINER {value}\n", "D012")
    assert d.fix is None and d.no_fix_reason


def test_onbuild_maintainer_is_left_to_d009_and_escape():
    assert not findings("FROM debian:12\nONBUILD MAINTAINER me\n", "D012")
    assert fixed("# escape=`\nFROM debian:12\nMAINTAINER me\n", "D012") == (
        "# escape=`\nFROM debian:12\nLABEL maintainer=\"me\"\n")
