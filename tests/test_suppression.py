"""Inline suppression comments: `# dlint: ignore=`, `ignore-stage=`, `ignore-file=`, and hadolint's."""
import os

import pytest
from run_dlint import assert_no_crash, dlint, out

from dlint.settings import Settings
from dlint.checking import check_source
from dlint.rules import update_without_install as L001

UPDATE_THEN_INSTALL = "RUN apt-get update\nRUN apt-get install -y curl\n"


def findings(text, enabled=("L001",)):
    result = check_source("Dockerfile", text.encode(), Settings(enabled=set(enabled)))
    assert not result.problems, [p.render() for p in result.problems]
    return [(d.code, d.line) for d in result.diagnostics]


def test_unsuppressed_baseline():
    assert findings("FROM debian:12\n" + UPDATE_THEN_INSTALL) == [("L001", 2)]


@pytest.mark.parametrize("comment", [
    "# dlint: ignore=L001",
    "# dlint: ignore=update-without-install",
    "#dlint:ignore=l001",
    "# dlint: ignore = L002, L001",
    "# dlint: ignore=L002 L001",
    "# dlint: ignore=L005, update-without-install",
    "# dlint: ignore=L001  # the index is refreshed by the base image",
    "  # dlint: ignore=ALL",
])
def test_ignore_on_the_line_before(comment):
    assert findings(f"FROM debian:12\n{comment}\n" + UPDATE_THEN_INSTALL) == []


def test_ignore_over_several_comment_lines():
    text = "FROM debian:12\n# dlint: ignore=L001\n# why: the base image is refreshed nightly\n" + UPDATE_THEN_INSTALL
    assert findings(text) == []


@pytest.mark.parametrize("comment", [
    "# dlint: ignore=L002",  # another rule
    "# dlint: ignore=no-such-rule",  # unknown names suppress nothing (and are no error)
    "# dlint ignore=L001",  # not the syntax
])
def test_ignore_that_does_not_apply(comment):
    assert findings(f"FROM debian:12\n{comment}\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]


def test_ignore_applies_to_the_next_instruction_only():
    text = "FROM debian:12\n# dlint: ignore=L001\nRUN true\n" + UPDATE_THEN_INSTALL
    assert findings(text) == [("L001", 4)]


def test_blank_line_ends_the_comment_run():
    text = "FROM debian:12\n# dlint: ignore=L001\n\n" + UPDATE_THEN_INSTALL
    assert findings(text) == [("L001", 4)]


def test_ignore_stage_before_from():
    text = ("# dlint: ignore-stage=L001 # a throwaway build stage\nFROM debian:12 AS build\n" + UPDATE_THEN_INSTALL
            + "FROM debian:12\n" + UPDATE_THEN_INSTALL)
    assert findings(text) == [("L001", 6)]


def test_ignore_file_anywhere():
    for where in ("top", "middle", "continuation"):
        text = "FROM debian:12\n" + UPDATE_THEN_INSTALL + "FROM debian:12 AS two\n" + UPDATE_THEN_INSTALL
        if where == "top":
            text = "# dlint: ignore-file=update-without-install\n" + text
        elif where == "middle":
            text += "# dlint: ignore-file=L001\n"
        else:
            text += "RUN true \\\n  # dlint: ignore-file=L001\n  && false\n"
        assert findings(text) == [], where


def test_hadolint_comments_map_to_our_rules(monkeypatch):
    monkeypatch.setattr(L001.RULE, "hadolint", ("DL9001",))
    base = "FROM debian:12\n" + UPDATE_THEN_INSTALL
    assert findings("FROM debian:12\n# hadolint ignore=DL9001\n" + UPDATE_THEN_INSTALL) == []
    assert findings("FROM debian:12\n# hadolint ignore=DL3008,DL9001\n" + UPDATE_THEN_INSTALL) == []
    assert findings("# hadolint global ignore=DL9001\n" + base) == []
    # a hadolint code we have no equivalent for suppresses nothing
    assert findings("FROM debian:12\n# hadolint ignore=DL3008\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]
    # our own codes are not accepted in a hadolint comment
    assert findings("FROM debian:12\n# hadolint ignore=L001\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]


def test_hadolint_codes_of_registered_rules():
    from dlint.rules import ALL_RULES, resolve_for_suppression

    for rule in ALL_RULES:
        for code in rule.hadolint:
            assert rule.code in resolve_for_suppression([code], hadolint=True)
            assert rule.code in resolve_for_suppression([code.lower()], hadolint=True)


def test_suppression_keeps_other_findings_of_the_same_file():
    text = ("FROM debian:12\n# dlint: ignore=L001\n" + UPDATE_THEN_INSTALL
            + "RUN apk update\nRUN apk add curl\n")
    assert findings(text) == [("L001", 5)]


def test_ignore_stage_on_the_first_lines_of_the_stage():
    text = ("FROM debian:12 AS build\n# dlint: ignore-stage=L001\n" + UPDATE_THEN_INSTALL
            + "FROM debian:12\n" + UPDATE_THEN_INSTALL)
    assert findings(text) == [("L001", 6)]


# --- through the command: warnings for what cannot apply, and fixes that keep the comments' meaning ---

def run(tmp_path, text, *args, command="check"):
    (tmp_path / "Dockerfile").write_text(text)
    r = dlint(command, *args, "Dockerfile", cwd=tmp_path)
    assert_no_crash(r)
    return r


def warnings(r):
    return [line for line in out(r)[1].splitlines() if ": warning: " in line]


def test_space_separated_codes(tmp_path):
    text = ("FROM debian:12\n# dlint: ignore=L001 L005\nRUN apt-get update && apt-get install -y curl; apt-get update\n"
            "RUN apt-get install -y git\n")
    r = run(tmp_path, text, "-q", "--select", "L001,L005")
    assert r.returncode == 1  # L005 of line 4 is not under the comment
    assert [l.split(" [")[0] for l in out(r)[0].splitlines()] == ["Dockerfile:4:5: L005"], out(r)
    assert warnings(r) == []


@pytest.mark.parametrize("comment,message", [
    ("# dlint: ignore=L999", "unknown rule 'L999' in an ignore comment (see `dlint rules`): it suppresses nothing"),
    ("# dlint: ignore=L00", "'L00' is a prefix: ignore comments take whole rule codes or names (or all), so it "
                            "suppresses nothing"),
    ("# dlint: ignore=L001,no-such-rule", "unknown rule 'no-such-rule' in an ignore comment (see `dlint rules`): "
                                          "it suppresses nothing"),
    ("# dlint ignore=L001", "not an ignore comment dlint reads ('# dlint ignore=L001'): the form is "
                            "`# dlint: ignore=CODE[,CODE...]` (or ignore-stage=, ignore-file=)"),
    ("# dlint: disable=L001", "not an ignore comment dlint reads ('# dlint: disable=L001'): the form is "
                              "`# dlint: ignore=CODE[,CODE...]` (or ignore-stage=, ignore-file=)"),
])
def test_ignore_comment_that_cannot_apply_warns(tmp_path, comment, message):
    r = run(tmp_path, f"FROM debian:12\n{comment}\n" + UPDATE_THEN_INSTALL, "-q", "--select", "L001")
    assert warnings(r) == [f"Dockerfile:2: warning: {message}"]
    assert r.returncode == (0 if "L001," in comment else 1)  # the warning alone does not change it


@pytest.mark.parametrize("text,line,message", [
    ("FROM debian:12\n# dlint: ignore=L001\n\n" + UPDATE_THEN_INSTALL, 2,
     "this ignore comment applies to no instruction: a blank line separates it from the next one"),
    ("FROM debian:12\n" + UPDATE_THEN_INSTALL + "# dlint: ignore=L001\n", 4,
     "this ignore comment applies to no instruction: none follows it"),
    ("# dlint: ignore-stage=L001\nARG V=12\nFROM debian:$V\n" + UPDATE_THEN_INSTALL, 1,
     "`ignore-stage` before the first FROM, with no FROM right after it, applies to no stage"),
    ("FROM debian:12\nRUN apt-get update \\\n  # dlint: ignore=L001\n  && true\nRUN apt-get install -y curl\n", 3,
     "`ignore` inside an instruction (on a continuation line) applies to nothing: put it on a line of its own "
     "above the instruction"),
])
def test_ignore_comment_in_the_wrong_place_warns(tmp_path, text, line, message):
    r = run(tmp_path, text, "-q", "--select", "L001")
    assert warnings(r) == [f"Dockerfile:{line}: warning: {message}"]


def test_fix_does_not_pull_an_instruction_away_from_its_ignore_comment(tmp_path):
    # Merging the second RUN into the first would leave the comment inside the RUN, applying to nothing.
    text = "FROM debian:12\nRUN echo a\n# dlint: ignore=L005\nRUN apt-get install -y curl\n"
    r = run(tmp_path, text, "-q", "--select", "L008,L005", command="fix")
    assert (tmp_path / "Dockerfile").read_text() == text
    assert [l.split(" [")[0] for l in out(r)[0].splitlines()] == ["Dockerfile:2:1: L008"], out(r)
    text = "FROM debian:12\nRUN apt-get update\n# dlint: ignore=L005\nRUN apt-get install -y curl\n"
    run(tmp_path, text, "-q", command="fix")
    assert (tmp_path / "Dockerfile").read_text() == text


def test_fix_still_merges_under_an_ignore_comment_on_the_first_run(tmp_path):
    text = "FROM debian:12\n# dlint: ignore=L005\nRUN apt-get update\nRUN apt-get install -y curl\n"
    run(tmp_path, text, "-q", "--select", "L001,L005", command="fix")
    assert (tmp_path / "Dockerfile").read_text() == (
        "FROM debian:12\n# dlint: ignore=L005\nRUN apt-get update && \\\n    apt-get install -y curl\n")


def test_a_fix_that_would_move_an_ignore_comment_is_not_offered():
    """The comment above the second RUN keeps it apart: check says there is no automatic fix, and fix
    leaves the file as it is."""
    text = ("FROM debian:12\nRUN pip install flask\n# dlint: ignore=L004  # the cache is wanted here\n"
            "RUN pip install gunicorn\n")
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L002"}))
    [d] = result.diagnostics
    assert d.code == "L002" and d.fix is None
    assert d.no_fix_reason == "it would move an ignore comment or what the comment applies to"
    assert d.rendered_message.endswith(f" (no automatic fix: {d.no_fix_reason})")
    # without the comment the same finding has its fix
    plain = text.replace("# dlint: ignore=L004  # the cache is wanted here\n", "")
    [d] = check_source("Dockerfile", plain.encode(), Settings(enabled={"L002"})).diagnostics
    assert d.fix is not None


def test_words_of_a_reason_written_without_hash_are_one_warning(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text("FROM debian:12\n# dlint: ignore=L001 kept on purpose for the cache\nRUN apt-get update\n")
    proc = dlint("check", "-q", str(path), cwd=str(tmp_path))
    assert_no_crash(proc)
    warnings = [line for line in out(proc)[1].splitlines() if "warning" in line]
    assert len(warnings) == 1 and "write a reason after a `#`" in warnings[0], warnings
