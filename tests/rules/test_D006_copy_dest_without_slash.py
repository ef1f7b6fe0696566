"""D006: COPY with several sources into a destination without a trailing /."""
import dockerfile
import pytest

from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "D006")]


@pytest.mark.parametrize("copy", ["COPY a b /app", "COPY --from=build /a /b /out", "COPY [\"a\", \"b\", \"/x\"]",
                                  "COPY a b .", "COPY <<A <<B /etc\na\nA\nb\nB"])
def test_several_sources_without_slash_are_reported(copy):
    assert lines(f"FROM debian:12\n{copy}\n") == [2]


@pytest.mark.parametrize("copy", ["COPY a /app", "COPY a b /app/", "COPY a b ./", "COPY [\"a\", \"b\", \"/x/\"]",
                                  "COPY a b $DEST", "COPY *.json /app"])
def test_one_source_or_a_directory_destination_is_not_reported(copy):
    assert not lines(f"FROM debian:12\n{copy}\n")


def test_the_fix_adds_the_slash_in_every_form():
    text = ("FROM debian:12\nCOPY a b /app\nCOPY [\"a\", \"b\", \"/x\"]  \nCOPY --chown=1 a \\\n  b \\\n  /y\n"
            "COPY a b .\n")
    new = fixed(text, "D006")
    assert new == ("FROM debian:12\nCOPY a b /app/\nCOPY [\"a\", \"b\", \"/x/\"]  \nCOPY --chown=1 a \\\n  b \\\n  /y/\n"
                   "COPY a b ./\n")
    dockerfile.parse_string(new)
    assert not findings(new, "D006") and fixed(new, "D006") == new


def test_no_fix_for_a_quoted_destination_and_escape_directive():
    [d] = findings("FROM debian:12\nCOPY a b \"/my dir\"\n", "D006")
    assert d.fix is None
    assert fixed("# escape=`\nFROM debian:12\nCOPY a b `\n  /d\n", "D006") == "# escape=`\nFROM debian:12\nCOPY a b `\n  /d/\n"
