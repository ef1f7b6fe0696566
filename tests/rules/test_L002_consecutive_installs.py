"""L002 consecutive-installs: which stages are checked."""
from dlint.settings import Settings
from dlint.checking import check_source
from snippets import strict_findings


def findings(text):
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L002"}))
    assert not result.problems, [p.render() for p in result.problems]
    return [d for d in result.diagnostics if d.code == "L002"]


SPLIT = "RUN apt-get update && apt-get install -y curl\nRUN apt-get update && apt-get install -y git\n"


def test_a_stage_that_ships_is_checked():
    assert [d.line for d in findings("FROM debian:12\n" + SPLIT)] == [2]
    # a stage the final stage is built FROM ships too
    assert [d.line for d in findings("FROM debian:12 AS base\n" + SPLIT + "FROM base\nCMD [\"true\"]\n")] == [2]


def test_a_build_stage_whose_layers_never_ship_is_not():
    text = "FROM debian:12 AS build\n" + SPLIT + "FROM debian:12\nCOPY --from=build /usr/bin/curl /usr/bin/\n"
    assert findings(text) == []
    # unless it is the target being built
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L002"}, target="build"))
    assert [d.line for d in result.diagnostics] == [2]


def test_l002_when_each_run_cleans_says_what_merging_still_saves():
    clean = ("FROM debian:12\n"
             "RUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n"
             "RUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(clean, "L002")  # apt writes its package database again in each layer
    assert "package database written again" in d.rendered_message and "caches" not in d.rendered_message
    # pip has no such database: merging would save a layer only (L008's finding)
    pip = "FROM python:3.12\nRUN pip install --no-cache-dir a\nRUN pip install --no-cache-dir b\n"
    assert strict_findings(pip, "L002") == []
    dirty = "FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n"
    [d] = strict_findings(dirty, "L002")
    assert "repeated package caches" in d.rendered_message
