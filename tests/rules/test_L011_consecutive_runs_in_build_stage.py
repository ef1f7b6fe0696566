"""L011 consecutive-runs-in-build-stage: L008's findings in the stages that do not ship."""
from dlint.testing import findings, fixed

TEXT = ("FROM golang:1.23 AS build\nRUN go mod download\nRUN go build -o /out/app .\n"
        "FROM alpine:3.20\nCOPY --from=build /out/app /app\nRUN echo a\nRUN echo b\n")


def test_the_two_rules_split_the_stages():
    [d] = findings(TEXT, "L011")
    assert d.line == 3 and d.hadolint == "DL3059" and "build stage `build`" in d.message
    assert [x.line for x in findings(TEXT, "L008")] == [7]


def test_the_fix_merges_the_build_stage_runs_only():
    out = fixed(TEXT, "L011")
    assert "RUN go mod download && \\\n    go build -o /out/app .\n" in out and "RUN echo a\nRUN echo b\n" in out


def test_nothing_when_every_stage_ships():
    assert findings("FROM debian:12\nRUN echo a\nRUN echo b\n", "L011") == []
