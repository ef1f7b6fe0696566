"""L001 update-without-install: an index update in a RUN of its own."""
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source
from dlint.testing import findings as snippet_findings, fixed as snippet_fixed


def findings(text):
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L001"}))
    assert not result.problems, [p.render() for p in result.problems]
    return result.diagnostics


def fixed(text):
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L001"}), unsafe=False)
    assert problem is None
    return new


def test_update_then_install_later_is_merged():
    text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    [d] = findings(text)
    assert d.line == 2 and "installed in a later RUN (line 3)" in d.rendered_message
    assert fixed(text) == "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl\n"


def test_an_update_the_installing_run_repeats_is_deleted_not_merged():
    text = "FROM debian:12\n\nRUN apt-get update\n\nRUN apt-get update && apt-get install -y curl\n"
    [d] = findings(text)
    assert "updated again by the RUN on line 5" in d.rendered_message and "delete it" in d.rendered_message
    assert d.fix is not None and d.fix.applicability == "safe"
    assert fixed(text) == "FROM debian:12\n\nRUN apt-get update && apt-get install -y curl\n"
    # no line of the rest moves, and one blank line stays between FROM and the RUN
    crlf = text.replace("\n", "\r\n")
    assert fixed(crlf) == "FROM debian:12\r\n\r\nRUN apt-get update && apt-get install -y curl\r\n"


@pytest.mark.parametrize("first,between", [
    ("RUN apt-get update && touch /marker", ""),  # it does more than update
    ("RUN apt-get update || true", ""),  # inside a list that may go on
    ("RUN apt-get update", "RUN ./build.sh\n"),  # a RUN between might read the index
    ("RUN --network=host apt-get update", ""),  # flags: kept as written
])
def test_no_deletion_when_the_run_does_more_or_something_may_read_the_index(first, between):
    text = f"FROM debian:12\n{first}\n{between}RUN apt-get update && apt-get install -y curl\n"
    [d] = findings(text)
    assert "updated again" in d.rendered_message and d.fix is None and "no automatic fix" in d.rendered_message


def test_an_update_after_the_install_does_not_make_the_first_one_redundant():
    text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && apt-get update\n"
    [d] = findings(text)
    assert "installed in a later RUN" in d.rendered_message


SPLIT = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"


def test_update_in_a_run_that_installs_nothing():
    [d] = snippet_findings(SPLIT, "L001")
    assert d.line == 2 and d.fix is not None and "(line 3)" in d.message


def test_update_and_install_together_is_fine():
    assert snippet_findings("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "L001") == []


def test_fix_merges_the_update_into_the_install():
    assert snippet_fixed(SPLIT, "L001").count("RUN ") == 1


def test_a_deleted_update_takes_its_comment_and_leaves_one_blank_line():
    text = "FROM debian:12\n\n# refresh the index\nRUN apt-get update\n\nRUN apt-get update && apt-get install -y curl\n"
    assert fixed(text) == "FROM debian:12\n\nRUN apt-get update && apt-get install -y curl\n"


def test_the_hadolint_code_is_dl3009_for_apt_only():
    # the update-only apt RUN keeps the lists in its layer: hadolint reports DL3009 on it
    [apt] = findings("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n")
    assert apt.hadolint == "DL3009"
    # hadolint has no rule for an apk index kept by an `apk update` RUN
    [apk] = findings("FROM alpine:3.20\nRUN apk update\nRUN apk add curl\n")
    assert apk.hadolint is None


def test_ignoring_dl3009_drops_the_apt_findings_of_l001_and_l004_only():
    from dlint.config import Config
    from dlint.settings import settings_for
    from dlint.rules import expand

    s = settings_for("Dockerfile", Config(), select=["L001", "L004"], ignore=expand(["DL3009"], partial=True))
    assert {"L001", "L004"} <= s.enabled and s.ignored == {"DL3009"}
    text = ("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
            "RUN pip install flask\n")
    result = check_source("Dockerfile", text.encode(), s)
    assert [(d.code, d.hadolint) for d in result.diagnostics] == [("L004", "DL3042")]
    # L001's apk finding has no hadolint code: ignoring DL3009 keeps it
    apk = "FROM alpine:3.20\nRUN apk update\nRUN apk add curl\n"
    assert [(d.code, d.hadolint) for d in check_source("Dockerfile", apk.encode(), s).diagnostics] == [
        ("L001", None), ("L004", "DL3019")]
