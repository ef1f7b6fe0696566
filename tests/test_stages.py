import pytest

from dlint.stages import StageGraph, parse_image, substitute
from dlint.syntax import parse


def graph(text, build_args=None, target=None):
    return StageGraph(parse(text), build_args, target)


def test_global_arg_defaults_are_substituted_in_from():
    g = graph("ARG BASE=python\nARG TAG=3.12-slim\nFROM ${BASE}:${TAG}\n")
    assert g.bases[0].image == "python:3.12-slim"
    assert g.bases[0].unresolved == []
    assert g.bases[0].args == ["BASE", "TAG"]
    assert g.bases[0].ref.name == "python" and g.bases[0].ref.tag == "3.12-slim"


def test_build_args_override_defaults_and_fill_missing_ones():
    text = "ARG BASE=python\nARG TAG\nFROM $BASE:$TAG\n"
    assert graph(text).bases[0].unresolved == ["TAG"]
    g = graph(text, {"TAG": "3.11", "BASE": "pypy"})
    assert g.bases[0].image == "pypy:3.11"
    assert g.bases[0].unresolved == []


def test_build_arg_for_an_undeclared_arg_is_ignored():
    g = graph("FROM ${BASE:-alpine}:3.20\n", {"BASE": "debian"})
    assert g.bases[0].image == "alpine:3.20"


def test_arg_inside_a_stage_is_not_global():
    g = graph("FROM alpine:3.20 AS a\nARG V=1\nFROM busybox:$V\n")
    assert g.bases[1].unresolved == ["V"]
    assert g.bases[1].ref is None


def test_arg_default_may_use_an_earlier_arg_and_quotes():
    g = graph('ARG PY=3.12\nARG IMAGE="python:${PY}-slim"\nFROM $IMAGE\n')
    assert g.bases[0].image == "python:3.12-slim"


@pytest.mark.parametrize("word,values,expected,missing", [
    ("${A:-x}", {"A": ""}, "x", []),
    ("${A-x}", {"A": ""}, "", []),
    ("${A-x}", {}, "x", []),
    ("${A:+y}", {"A": "1"}, "y", []),
    ("${A:+y}", {"A": ""}, "", []),
    ("${A+y}", {"A": ""}, "y", []),
    ("${A:-${B}}", {"B": "b"}, "b", []),
    ("$A/$B", {"A": "a"}, "a/", ["B"]),
    ("\\$A", {"A": "a"}, "$A", []),
    ("img:${TARGETARCH}", {}, "img:${TARGETARCH}", []),
])
def test_substitution_forms(word, values, expected, missing):
    got_missing = []
    assert substitute(word, values, got_missing) == expected
    assert got_missing == missing


def test_stage_chain_and_root_base():
    text = ("FROM node:22 AS base\nRUN true\nFROM base AS deps\nRUN true\n"
            "FROM golang:1.23 AS build\nFROM DEPS\nCMD [\"node\"]\n")
    g = graph(text)
    assert g.bases[1].parent_stage == 0
    assert g.bases[3].parent_stage == 1  # stage names are case-insensitive
    assert g.chain(3) == [3, 1, 0]
    assert g.root_base(3).image == "node:22"
    assert g.root_stage(3) == 0
    assert g.production == 3
    assert g.shipping == {3, 1, 0}
    assert g.is_stage_name(3) and not g.is_stage_name(2)


def test_from_a_later_stage_name_is_an_image():
    g = graph("FROM app:1\nFROM alpine:3.20 AS app\n")
    assert g.bases[0].parent_stage is None
    assert g.bases[0].ref.name == "app"


def test_target_selects_the_production_stage():
    text = "FROM golang:1.23 AS build\nFROM build AS test\nFROM scratch AS final\n"
    assert graph(text).production == 2
    g = graph(text, target="TEST")
    assert g.production == 1
    assert g.shipping == {0, 1}
    assert not g.target_missing


def test_unknown_target_is_reported_and_last_stage_stays_production():
    g = graph("FROM alpine:3.20 AS a\nFROM scratch\n", target="nope")
    assert g.target_missing
    assert g.production == 1


def test_copy_sources_resolve_stage_names_indexes_and_images():
    text = ("ARG SRC=build\nFROM golang:1.23 AS build\nFROM alpine:3.20\n"
            "COPY --from=$SRC /out /out\nCOPY --from=0 /a /a\nCOPY --from=busybox:1.36 /bin/sh /bin/sh\n"
            "RUN --mount=type=bind,from=build,target=/src true\n")
    g = graph(text)
    got = [(idx, src) for _, idx, src in g.copy_sources(g.stages[1])]
    assert got == [(0, "build"), (0, "0"), (None, "busybox:1.36"), (0, "build")]


@pytest.mark.parametrize("text,registry,path,tag,digest", [
    ("python", None, "python", None, None),
    ("python:3.12-slim", None, "python", "3.12-slim", None),
    ("docker.io/library/python:3", None, "python", "3", None),
    ("library/ubuntu", None, "ubuntu", None, None),
    ("localhost:5000/team/app:1", "localhost:5000", "team/app", "1", None),
    ("gcr.io/distroless/static-debian13:nonroot@sha256:abc", "gcr.io", "distroless/static-debian13", "nonroot",
     "sha256:abc"),
    ("alpine@sha256:abc", None, "alpine", None, "sha256:abc"),
])
def test_parse_image(text, registry, path, tag, digest):
    ref = parse_image(text)
    assert (ref.registry, ref.path, ref.tag, ref.digest) == (registry, path, tag, digest)


def test_parse_image_rejects_empty():
    assert parse_image("") is None
    assert parse_image(":tag") is None


def test_a_from_chosen_by_a_variable_ships_every_stage_it_may_name():
    text = ("FROM debian:12 AS base\nFROM base AS base-amd64\nFROM base AS base-arm64\nFROM golang:1.23 AS tools\n"
            "FROM base-$TARGETARCH AS final\nCMD [\"x\"]\n")
    assert graph(text).shipping == {4, 2, 1, 0}
    arg = "ARG FLAVOR\nFROM alpine:3.20 AS run-slim\nFROM alpine:3.20 AS run-full\nFROM run-${FLAVOR}\n"
    assert graph(arg).shipping == {2, 1, 0}
    assert graph("FROM alpine:3.20 AS a\nFROM python:${V}\n").shipping == {1}
    assert graph("ARG BASE\nFROM golang:1.23 AS build\nFROM ${BASE}\nCOPY --from=build /a /a\n").shipping == {1}
