"""D017 copy-from-own-stage."""
from dlint.testing import findings


def test_copy_from_the_stage_itself_by_name_any_case_or_index():
    text = "FROM node:22 AS Build\nCOPY --from=build /a /b\nCOPY --from=0 /c /d\nCOPY --from=Build /e /f\n"
    found = findings(text, "D017")
    assert [d.line for d in found] == [2, 3, 4] and found[0].severity == "error"
    assert "line 1" in found[0].message


def test_copy_from_another_stage_is_fine():
    text = "FROM node:22 AS deps\nFROM node:22 AS build\nCOPY --from=deps /a /b\nCOPY --from=0 [\"/c\", \"/d\"]\n"
    assert findings(text, "D017") == []


def test_an_image_named_like_the_stage_is_still_the_stage():
    # a stage name wins over an image of the same name: this copies from itself
    assert len(findings("FROM alpine AS alpine\nCOPY --from=alpine /a /b\n", "D017")) == 1


def test_onbuild_is_not_checked():
    assert findings("FROM alpine AS base\nONBUILD COPY --from=base /a /b\n", "D017") == []


def test_hadolint_pragma_and_dlint_comment_suppress_it():
    for comment in ("# hadolint ignore=DL3023", "# dlint: ignore=D017", "# dlint: ignore=copy-from-own-stage"):
        assert findings(f"FROM node:22 AS build\n{comment}\nCOPY --from=build /a /b\n", "D017") == []


def test_a_cycle_through_later_stages():
    text = ("FROM busybox AS stage0\nCOPY --from=stage2 /f1 /sub/\n"
            "FROM busybox AS stage1\nCOPY --from=stage0 /f2 /sub/\n"
            "FROM busybox AS stage2\nCOPY --from=stage1 /f2 /sub/\n")
    [d] = findings(text, "D017")
    assert d.line == 2 and "cycle" in d.message and "line 5 -> line 3 -> line 1" in d.message


def test_a_later_stage_that_does_not_need_this_one_is_fine():
    text = "FROM busybox AS a\nCOPY --from=b /f /f\nFROM busybox AS b\nRUN true\nFROM b AS c\nCOPY --from=a /f /g\n"
    assert findings(text, "D017") == []
    # built FROM this stage: a cycle too
    assert len(findings("FROM busybox AS a\nCOPY --from=b /f /f\nFROM a AS b\n", "D017")) == 1
