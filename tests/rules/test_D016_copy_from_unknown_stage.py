"""D016 copy-from-unknown-stage: a COPY --from that names neither a stage nor an image."""
import pytest

from dlint.testing import findings


def test_a_typo_in_a_stage_name_is_reported_with_the_names():
    text = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=biuld /app /app\n"
    [d] = findings(text, "D016")
    assert d.line == 4 and d.severity == "warning"
    assert "`build`" in d.message and "docker.io/library/biuld:latest" in d.message


@pytest.mark.parametrize("source", [
    "build", "BUILD", "0",  # a stage by name (any case) or by index
    "nginx:1.27", "tonistiigi/xx", "gcr.io/distroless/static", "alpine@sha256:" + "a" * 64,  # images
    "later",  # a stage defined further down: BuildKit resolves it
    "$MISSING",  # an ARG without a value: each build chooses
])
def test_stages_images_and_unknown_values_are_not_reported(source):
    text = (f"FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from={source} /x /x\n"
            "FROM alpine:3.20 AS later\n")
    assert findings(text, "D016") == []


def test_arg_defaults_are_filled_in():
    text = "ARG SRC=build\nARG BAD=biuld\nFROM alpine AS build\nFROM alpine\nCOPY --from=${SRC} /a /a\nCOPY --from=$BAD /b /b\n"
    [d] = findings(text, "D016")
    assert d.line == 6 and "biuld" in d.message
    assert findings(text, "D016", build_args={"BAD": "build"}) == []


def test_quoted_json_heredoc_escape_and_index_out_of_range():
    text = ('# escape=`\nFROM alpine AS base\nCOPY --from="bsae" ["/a", "/b"]\n'
            "COPY --from=7 <<EOF /c\nhi\nEOF\n")
    found = findings(text, "D016")
    assert [d.line for d in found] == [3, 4]
    assert "stage index 7" in found[1].message and "1 stage " in found[1].message


def test_onbuild_copy_belongs_to_the_downstream_build():
    assert findings("FROM alpine\nONBUILD COPY --from=builder /a /a\n", "D016") == []
