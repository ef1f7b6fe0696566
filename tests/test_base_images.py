import json
import os
import random
import re

import pytest
from click.testing import CliRunner

from dlint import base_images, rules
from dlint.cli import main
from dlint.config import Config
from dlint.context import Context
from dlint.settings import Settings
from dlint.checking import check_source
from dlint.settings import settings_for
from dlint.stages import parse_image
from dlint.syntax import parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B_CODES = ("B001", "B002", "B003", "B004")


def findings(text, codes=B_CODES, path="Dockerfile", **settings):
    s = settings_for(path, Config(), select=list(codes))
    for k, v in settings.items():
        setattr(s, k, v)
    result = check_source(path, text.encode(), s)
    assert not result.problems, result.problems
    return result.diagnostics


def codes_of(text, **kw):
    return [d.code for d in findings(text, **kw)]


def only(text, code, **kw):
    return [d for d in findings(text, codes=(code,), **kw)]


def apply_fix(text, diag):
    out = text
    for e in sorted(diag.fix.edits, key=lambda e: e.start, reverse=True):
        out = out[:e.start] + e.replacement + out[e.end:]
    return out


def cli(args, tmp_path, text, config=None):
    p = tmp_path / "Dockerfile"
    p.write_text(text)
    extra = []
    if config is not None:
        cfg = tmp_path / ".dlint.toml"
        cfg.write_text(config)
        extra = ["--config", str(cfg)]
    r = CliRunner().invoke(main, ["check", "--format", "json", "--exit-zero", *extra, *args, str(p)])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


APP = 'COPY . /app\nCMD ["/app/server"]\n'
PY_APP = 'COPY . /app\nENTRYPOINT ["python3", "/app/main.py"]\n'


# --------------------------------------------------------------------------------------------- data

def test_catalogue_is_dated_and_lists_debian13_language_images():
    data = base_images.catalogue()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["checked"])
    names = {i["name"]: i for i in data["distroless"]["images"]}
    for n in ("python3-debian13", "nodejs22-debian13", "nodejs24-debian13", "nodejs26-debian13",
              "java17-debian13", "java21-debian13", "java25-debian13", "static-debian13", "cc-debian13"):
        assert names[n]["debian"] == "13"
    current12 = [i["name"] for i in data["distroless"]["images"] if i["debian"] == "12" and not i.get("retired")]
    assert sorted(current12) == ["base-debian12", "base-nossl-debian12", "cc-debian12", "static-debian12"]
    assert all(names[n]["eol"].startswith("2026") for n in current12)


@pytest.mark.parametrize("image,shellless", [
    ("gcr.io/distroless/static-debian13", True),
    ("gcr.io/distroless/static-debian13:nonroot", True),
    ("gcr.io/distroless/base-debian12:debug", False),
    ("gcr.io/distroless/python3-debian13:debug-nonroot", False),
    ("cgr.dev/chainguard/static:latest", True),
    ("cgr.dev/chainguard/python:latest-dev", False),
    ("cgr.dev/chainguard/wolfi-base", False),
    ("mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled", True),
    ("alpine:3.20", False),
    ("cgr.dev/chainguard/some-unknown-image", False),
])
def test_shellless_images(image, shellless):
    assert base_images.is_shellless(parse_image(image)) is shellless


@pytest.mark.parametrize("package,tool", [
    ("build-essential", True), ("gcc", True), ("g++-12", True), ("libpq-dev", True), ("openssl-devel", True),
    ("git", False), ("cmake=3.25.1-1", True), ("make:amd64", True), ("gcc-12-base", False), ("libgcc-s1", False),
    ("curl", False), ("udev", False), ("libpq5", False), ("ca-certificates", False),
])
def test_toolchain_packages(package, tool):
    assert base_images.is_toolchain_package(package) is tool


# ---------------------------------------------------------------------------------------------- B001

def test_full_os_production_base_is_reported_at_the_production_from():
    text = "FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM ubuntu:24.04\n" \
           "COPY --from=build /out/app /app\nCMD [\"/app\"]\n"
    [d] = only(text, "B001")
    assert d.line == 3 and d.severity == "info"
    assert "gcr.io/distroless/static-debian13" in d.rendered_message
    assert "ubuntu:24.04" in d.rendered_message and "COPY --from" in d.rendered_message and "exec-form ENTRYPOINT" in d.rendered_message
    assert d.fix is None


@pytest.mark.parametrize("base", [
    "scratch", "gcr.io/distroless/static-debian13", "gcr.io/distroless/base-debian12:nonroot",
    "cgr.dev/chainguard/python:latest", "cgr.dev/chainguard/wolfi-base", "chainguard/wolfi-base",
    "mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled", "nginx:1.27", "mcr.microsoft.com/devcontainers/python:3",
])
def test_minimal_and_non_language_bases_are_exempt(base):
    assert only(f"FROM {base}\n{APP}", "B001") == []


def test_allowed_bases_globs_exempt_an_image():
    text = f"FROM python:3.12-slim\n{APP}"
    assert only(text, "B001")
    assert only(text, "B001", options={"allowed-bases": ["python:*"]}) == []
    assert only(text, "B001", options={"allowed-bases": ["docker.io/python*"]}) == []
    assert only(text, "B001", options={"allowed-bases": ["python"]}) == []
    assert only(text, "B001", options={"allowed-bases": ["node:*"]})


def test_build_stages_are_never_reported():
    text = "FROM python:3.12 AS build\nRUN pip install --prefix=/install flask\n" \
           "FROM gcr.io/distroless/python3-debian13\nCOPY --from=build /install /usr/local\nCMD [\"app.py\"]\n"
    assert only(text, "B001") == []


def test_production_stage_chain_is_followed_back_to_its_base():
    text = "FROM node:22-slim AS base\nWORKDIR /app\nFROM base AS runtime\nCOPY . .\nCMD [\"node\", \"index.js\"]\n"
    [d] = only(text, "B001")
    assert d.line == 3
    assert "node:22-slim" in d.rendered_message and "stage `base` on line 1" in d.rendered_message
    assert "gcr.io/distroless/nodejs22-debian13" in d.rendered_message


def test_unresolved_arg_base_is_not_guessed():
    assert only(f"ARG BASE\nFROM $BASE\n{APP}", "B001") == []


def test_arg_resolved_base_is_checked():
    [d] = only(f"ARG BASE=debian\nARG TAG=13-slim\nFROM ${{BASE}}:${{TAG}}\n{PY_APP}", "B001")
    assert "debian:13-slim" in d.rendered_message


def test_base_images_and_dev_environments_are_not_applications():
    # A shell or REPL as the command, no command at all, ONBUILD: images for other builds.
    assert only("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y curl\nCMD [\"bash\"]\n", "B001") == []
    assert only("FROM python:3.12\nRUN pip install numpy\n", "B001") == []
    assert only("FROM node:22\nONBUILD COPY . /app\nCMD [\"node\", \"/app\"]\n", "B001") == []
    # An application server runs the app it is given, but no distroless image runs the server.
    assert only("FROM tomcat:10\nCOPY app.war /usr/local/tomcat/webapps/\n", "B001") == []
    text = f"FROM python:3.12\n{APP}"
    assert only(text, "B001", path=".devcontainer/Dockerfile") == []
    assert only(text, "B001", path="docker/Dockerfile.dev") == []
    assert only(text, "B001", path="ci/images/Dockerfile") == []
    assert only(text, "B001", path="deploy/Dockerfile")
    assert only("FROM node:22 AS development\nCOPY . .\nCMD [\"npm\", \"run\", \"dev\"]\n", "B001") == []


def test_runtime_that_runs_a_shell_is_left_alone():
    assert only("FROM debian:13\nCOPY run.sh /\nENTRYPOINT [\"/run.sh\"]\n", "B001") == []
    assert only("FROM debian:13\nCOPY app /\nCMD /app --port $PORT\n", "B001") == []
    assert only("FROM debian:13\nCOPY . /app\nCMD python3 /app/main.py --port 80\n", "B001")
    # Init wrappers are looked through; `*entrypoint*` programs are entrypoint scripts by convention.
    assert only("FROM ubuntu:24.04\nCOPY . /\nENTRYPOINT [\"/bin/tini\", \"--\", \"/start.sh\"]\nCMD [\"app\"]\n",
                "B001") == []
    assert only("FROM centos:7\nCOPY . /\nENTRYPOINT [\"/usr/local/bin/docker-entrypoint\"]\n", "B001") == []
    assert only("FROM ubuntu:24.04\nCOPY app.py /\nENTRYPOINT [\"tini\", \"--\", \"python3\", \"/app.py\"]\n", "B001")


def test_interpreter_with_interactive_flag_is_a_base_image():
    assert only("FROM debian:13\nRUN apt-get install -y php\nCMD [\"php\", \"-a\"]\n", "B001") == []


@pytest.mark.parametrize("text,image", [
    ("FROM python:3.13-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app:app\"]\n", "gcr.io/distroless/python3-debian13"),
    ("FROM debian:13\nRUN apt-get install -y python3\nCOPY . /app\nCMD [\"/app/run\"]\n",
     "gcr.io/distroless/python3-debian13"),
    ("FROM node:20-alpine\nCOPY . .\nCMD [\"node\", \"server.js\"]\n", "gcr.io/distroless/nodejs22-debian13"),
    ("FROM node:24\nCOPY . .\nCMD [\"npm\", \"start\"]\n", "gcr.io/distroless/nodejs24-debian13"),
    ("FROM maven:3.9-eclipse-temurin-17 AS build\nRUN mvn package\nFROM eclipse-temurin:17-jre\n"
     "COPY --from=build /t/app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n",
     "gcr.io/distroless/java17-debian13"),
    ("FROM openjdk:17\nCOPY app.jar /\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n",
     "gcr.io/distroless/java17-debian13"),
    ("FROM golang:1.23 AS build\nENV CGO_ENABLED=0\nRUN go build -o /app\nFROM alpine:3.20\n"
     "COPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", "gcr.io/distroless/static-debian13"),
    ("FROM golang:1.23 AS build\nRUN go build -o /app\nFROM debian:13-slim\n"
     "COPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", "gcr.io/distroless/base-debian13"),
    ("FROM golang:1.23-alpine AS build\nRUN go build -o /app\nFROM alpine:3.20\n"
     "COPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", "gcr.io/distroless/static-debian13"),
    ("FROM rust:1.80 AS build\nRUN cargo build --release\nFROM debian:13-slim\n"
     "COPY --from=build /target/release/app /app\nENTRYPOINT [\"/app\"]\n", "gcr.io/distroless/cc-debian13"),
    ("FROM rust:1.80 AS build\nRUN cargo build --release --target x86_64-unknown-linux-musl\nFROM alpine:3.20\n"
     "COPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n", "gcr.io/distroless/static-debian13"),
    ("FROM gcc:14 AS build\nRUN make\nFROM ubuntu:24.04\nCOPY --from=build /src/app /app\nENTRYPOINT [\"/app\"]\n",
     "gcr.io/distroless/cc-debian13"),
    ("FROM ruby:3.3\nCOPY . .\nCMD [\"bundle\", \"exec\", \"puma\"]\n", "cgr.dev/chainguard/ruby"),
])
def test_stack_mapping(text, image):
    [d] = only(text, "B001")
    assert f"`{image}`" in d.rendered_message


def test_python_version_mismatch_is_mentioned():
    [d] = only("FROM python:3.11-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n", "B001")
    assert "Python 3.11" in d.rendered_message and "3.13" in d.rendered_message


# ---------------------------------------------------------------------------------------------- B002

@pytest.mark.parametrize("base", [
    "scratch", "gcr.io/distroless/static-debian13", "gcr.io/distroless/cc-debian13:nonroot",
    "cgr.dev/chainguard/static:latest", "cgr.dev/chainguard/python",
])
def test_shell_form_in_a_shellless_stage_is_an_error(base):
    text = f"FROM {base}\nRUN mkdir /data\nHEALTHCHECK CMD /check || exit 1\nENTRYPOINT /app\nCMD -v\n"
    ds = only(text, "B002")
    assert [(d.line, d.severity) for d in ds] == [(2, "error"), (3, "error"), (4, "error"), (5, "error")]
    assert "build fails" in ds[0].message and "cannot start" in ds[2].message


@pytest.mark.parametrize("base", [
    "gcr.io/distroless/static-debian13:debug", "gcr.io/distroless/base-debian13:debug-nonroot",
    "cgr.dev/chainguard/python:latest-dev", "cgr.dev/chainguard/wolfi-base", "alpine:3.20", "busybox:1.36",
])
def test_stages_with_a_shell_are_fine(base):
    assert only(f"FROM {base}\nRUN mkdir /data\nCMD /app\n", "B002") == []


def test_exec_form_and_healthcheck_none_are_fine():
    text = "FROM scratch\nCOPY app /\nENTRYPOINT [\"/app\"]\nCMD [\"--port\", \"80\"]\nHEALTHCHECK NONE\n" \
           "RUN [\"/app\", \"--selftest\"]\n"
    assert only(text, "B002") == []


def test_shellless_base_is_followed_through_stage_chain():
    text = "FROM gcr.io/distroless/static-debian13 AS base\nCOPY app /\nFROM base\nCMD /app\n"
    [d] = only(text, "B002")
    assert d.line == 4 and "stage `base`" in d.rendered_message


def test_a_shell_copied_in_or_a_shell_instruction_silences_it():
    assert only("FROM gcr.io/distroless/base-debian13\nCOPY --from=busybox:1.36 /bin/busybox /busybox/busybox\n"
                "RUN true\n", "B002") == []
    assert only("FROM scratch\nCOPY --from=build /bin/sh /bin/sh\nRUN true\n", "B002") == []
    assert only("FROM scratch\nSHELL [\"/busybox/sh\", \"-c\"]\nRUN true\n", "B002") == []
    # Certificates copied from an image bring no shell.
    assert only("FROM scratch\nCOPY --from=alpine:3.20 /etc/ssl/certs /etc/ssl/certs\nRUN true\n", "B002")


@pytest.mark.parametrize("text,fixed", [
    ("FROM scratch\nCMD /app --port=80\n", "FROM scratch\nCMD [\"/app\", \"--port=80\"]\n"),
    ("FROM scratch\nENTRYPOINT /app\n", "FROM scratch\nENTRYPOINT [\"/app\"]\n"),
    ("FROM scratch\nENTRYPOINT exec /app serve\n", "FROM scratch\nENTRYPOINT [\"/app\", \"serve\"]\n"),
    ("FROM scratch\r\nCMD   /app  a,b  user@host:22 \r\n", "FROM scratch\r\nCMD   [\"/app\",  \"a,b\",  \"user@host:22\"] \r\n"),
    ("FROM scratch\nCMD /app \\\n    --flag \\\n    x\n", "FROM scratch\nCMD [\"/app\", \\\n    \"--flag\", \\\n    \"x\"]\n"),
    ("FROM scratch\nCMD /app \\\n# comment\n  x\nUSER 1\n", "FROM scratch\nCMD [\"/app\", \\\n# comment\n  \"x\"]\nUSER 1\n"),
    ("# escape=`\nFROM scratch\nCMD /app `\n  x\n", "# escape=`\nFROM scratch\nCMD [\"/app\", `\n  \"x\"]\n"),
    ("FROM scratch\nentrypoint /app\n", "FROM scratch\nentrypoint [\"/app\"]\n"),
])
def test_exec_form_fix(text, fixed):
    [d] = only(text, "B002")
    assert d.fix is not None and d.fix.applicability == "safe"
    out = apply_fix(text, d)
    assert out == fixed
    assert only(out, "B002") == []
    # The result is what BuildKit reads as the same argv.
    dockerfile = pytest.importorskip("dockerfile")
    cmds = [c for c in dockerfile.parse_string(out) if c.cmd.lower() in ("cmd", "entrypoint")]
    assert cmds[-1].json
    assert list(cmds[-1].value) == re.findall(r'"([^"]*)"', out[out.index("["):])


@pytest.mark.parametrize("command", [
    "/app $PORT", "/app ${PORT}", "/app *.conf", "/app file?", "/app [ab]", "/app 'quoted'", '/app "quoted"',
    "/app a\\ b", "/app && other", "/app || other", "/app; other", "/app | tee", "/app > log", "/app < in",
    "/app &", "/app `date`", "/app $(date)", "/app ~/conf", "/app {a,b}", "/app #comment", "/app !x",
    "cd /srv", "export A=1", "A=1 /app", "exec", "if true", "/app (x)",
])
def test_commands_that_need_a_shell_are_not_converted(command):
    [d] = only(f"FROM scratch\nCMD {command}\n", "B002")
    assert d.fix is None


def test_run_and_healthcheck_get_no_fix():
    ds = only("FROM scratch\nRUN /app --init\nHEALTHCHECK CMD /app --check\n", "B002")
    assert [d.fix for d in ds] == [None, None]


def test_cmd_repeating_the_images_interpreter_is_explained_not_fixed():
    [d] = only("FROM gcr.io/distroless/python3-debian13\nCOPY . /app\nCMD python3 /app/main.py\n", "B002")
    assert d.fix is None and 'CMD ["/app/main.py"]' in d.rendered_message
    [d] = only("FROM gcr.io/distroless/python3-debian13\nCOPY . /app\nCMD /app/main.py\n", "B002")
    assert apply_fix("FROM gcr.io/distroless/python3-debian13\nCOPY . /app\nCMD /app/main.py\n", d).endswith(
        'CMD ["/app/main.py"]\n')


def test_b002_is_reported_in_build_stages_too():
    text = "FROM scratch AS rootfs\nRUN true\nFROM alpine:3.20\nCMD sh\n"
    assert [d.line for d in only(text, "B002")] == [2]


# ---------------------------------------------------------------------------------------------- B003

def test_toolchain_in_production_stage():
    text = "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl\n" \
           "COPY . /app\nCMD [\"python\", \"/app/main.py\"]\n"
    [d] = only(text, "B003")
    assert d.line == 2 and d.severity == "warning"
    assert "`gcc`, `libpq-dev`" in d.rendered_message and "curl" not in d.rendered_message
    assert text[d.start:d.end].startswith("apt-get install")


def test_toolchain_removed_in_the_same_run_does_not_ship():
    assert only("FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc && pip install x "
                "&& apt-get purge -y --auto-remove gcc\nCMD [\"python\", \"-m\", \"x\"]\n", "B003") == []
    assert only("FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev "
                "&& pip install x && apk del .build-deps\nCMD [\"python\", \"-m\", \"x\"]\n", "B003") == []


def test_toolchain_removed_in_a_later_run_still_ships():
    text = "FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build-deps gcc\nRUN pip install x\n" \
           "RUN apk del .build-deps\nCMD [\"python\", \"-m\", \"x\"]\n"
    [d] = only(text, "B003")
    assert "line 4" in d.rendered_message


def test_toolchain_in_builder_stage_is_fine_and_shipping_parent_is_reported_at_production_from():
    text = "FROM debian:13 AS build\nRUN apt-get install -y build-essential\nFROM gcr.io/distroless/cc-debian13\n" \
           "COPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n"
    assert only(text, "B003") == []
    text = "FROM node:22-slim AS base\nRUN apt-get install -y make g++\nFROM base\nCOPY . .\nCMD [\"node\", \"i.js\"]\n"
    [d] = only(text, "B003")
    assert d.line == 3 and "stage `base` (line 2)" in d.rendered_message


def test_toolchain_in_a_build_environment_image_is_fine():
    assert only("FROM ubuntu:24.04\nRUN apt-get install -y build-essential cmake\n", "B003") == []
    assert only("FROM ubuntu:24.04\nRUN apt-get install -y build-essential\nCOPY . /src\n"
                "CMD cd /src && make\n", "B003") == []
    assert only("FROM centos:7\nRUN yum install -y gcc rpm-build\nCMD [\"rpmbuild\", \"-ba\", \"x.spec\"]\n",
                "B003") == []


# ---------------------------------------------------------------------------------------------- B004

@pytest.mark.parametrize("line,reported", [
    ("FROM ubuntu", True), ("FROM ubuntu:latest", True), ("FROM docker.io/library/ubuntu:LATEST", True),
    ("FROM ubuntu:24.04", False), ("FROM ubuntu@sha256:" + "a" * 64, False),
    ("FROM ubuntu:latest@sha256:" + "a" * 64, False), ("FROM scratch", False),
    ("FROM localhost:5000/app", True), ("FROM localhost:5000/app:1.2", False),
])
def test_unpinned_base(line, reported):
    assert bool(only(line + "\n", "B004")) is reported


def test_stage_names_are_not_images():
    assert only("FROM alpine:3.20 AS base\nFROM base\nFROM BASE AS again\n", "B004") == []


def test_unpinned_messages_suggest_a_tag_or_a_digest():
    [d] = only("FROM python\n", "B004")
    assert "`python:3.13`" in d.rendered_message and "no tag" in d.rendered_message  # the same (full) variant
    [d] = only("FROM kaggle/python\n", "B004")
    assert "such as" not in d.rendered_message
    assert only("FROM gcr.io/distroless/static-debian13\n", "B004") == []  # the Debian release is in its name
    [d] = only("FROM gcr.io/distroless/static\n", "B004")
    assert "digest" in d.rendered_message and "@sha256:" in d.rendered_message


def test_arg_without_default_is_not_guessed():
    assert only("ARG BASE\nFROM ${BASE}\n", "B004") == []
    assert only("FROM python:${PY}\n", "B004") == []
    [d] = only("ARG IMAGE=python\nFROM $IMAGE\n", "B004")
    assert "ARG `IMAGE` on line 1" in d.rendered_message


def test_hadolint_ignore_codes_suppress_b004():
    assert only("# hadolint ignore=DL3007\nFROM ubuntu:latest\n", "B004") == []


# ------------------------------------------------------------------------------------ through the CLI

def test_build_arg_on_the_command_line(tmp_path):
    text = "ARG BASE\nFROM $BASE\nCOPY app.py /app.py\nCMD python3 /app.py\n"
    assert cli(["--select", "B"], tmp_path, text) == []  # each build chooses the image
    got = cli(["--select", "B", "--build-arg", "BASE=gcr.io/distroless/static-debian13:nonroot"], tmp_path, text)
    assert [d["code"] for d in got] == ["B002"]
    got = cli(["--select", "B", "--build-arg", "BASE=ubuntu"], tmp_path, text)
    assert sorted(d["code"] for d in got) == ["B001", "B004"]


def test_build_args_from_config_and_cli_overrides(tmp_path):
    text = "ARG TAG\nFROM python:$TAG\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n"
    got = cli(["--select", "B004"], tmp_path, text, config='build-args = { TAG = "latest" }\n')
    assert [d["code"] for d in got] == ["B004"] and "python:latest" in got[0]["message"]
    got = cli(["--select", "B004", "--build-arg", "TAG=3.13-slim"], tmp_path, text,
              config='build-args = { TAG = "latest" }\n')
    assert got == []


def test_target_on_the_command_line_and_in_config(tmp_path):
    text = ("FROM golang:1.23-alpine AS build\nRUN apk add gcc\nRUN go build -o /go/bin/app\nCMD [\"/go/bin/app\"]\n"
            "FROM gcr.io/distroless/static-debian13\nCOPY --from=build /go/bin/app /app\nENTRYPOINT [\"/app\"]\n")
    assert cli(["--select", "B001,B003"], tmp_path, text) == []
    got = cli(["--select", "B001,B003", "--target", "build"], tmp_path, text)
    assert sorted((d["code"], d["line"]) for d in got) == [("B003", 2)]
    got = cli(["--select", "B001,B003"], tmp_path, text, config='target = "build"\n')
    assert sorted(d["code"] for d in got) == ["B003"]


def test_allowed_bases_from_config(tmp_path):
    text = "FROM registry.example.com/base/python:3.12\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n"
    assert [d["code"] for d in cli(["--select", "B001"], tmp_path, text)] == ["B001"]
    assert cli(["--select", "B001"], tmp_path, text, config='allowed-bases = ["registry.example.com/base/*"]\n') == []


def test_fix_through_the_cli(tmp_path):
    fixer = pytest.importorskip("dlint.fixer")  # noqa: F841
    p = tmp_path / "Dockerfile"
    p.write_text("FROM scratch\nCOPY app /\nCMD /app --serve\n")
    r = CliRunner().invoke(main, ["fix", "--select", "B002", str(p)])
    assert p.read_text() == "FROM scratch\nCOPY app /\nCMD [\"/app\", \"--serve\"]\n", r.output


# ------------------------------------------------------------------------------------------ rule pages

def _rule_page(rule):
    path = os.path.join(ROOT, "rules", f"{rule.code}-{rule.name}.md")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _section_block(page, title):
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    assert m, title
    block = re.search(r"```dockerfile\n(.*?)```", m.group(1), re.S)
    assert block, title
    return block.group(1)


@pytest.mark.parametrize("code", B_CODES)
def test_rule_page_examples(code):
    rule = rules.lookup(code)
    page = _rule_page(rule)
    for title in ("What it does", "Why", "Example", "Fixed", "Fix safety", "hadolint equivalent"):
        assert re.search(rf"^## {title}$", page, re.M), title
    example, fixed = _section_block(page, "Example"), _section_block(page, "Fixed")
    found = only(example, code)
    assert found, "the example must show the rule"
    assert only(fixed, code) == []
    if rule.fix == "safe":
        out = example
        for d in sorted(found, key=lambda d: d.start, reverse=True):
            assert d.fix is not None
            out = apply_fix(out, d)
        assert out == fixed


# ----------------------------------------------------------------------------------------------- corpus

def _stage_of_line(doc, line):
    current = None
    for st in doc.stages:
        if st.instruction.line <= line:
            current = st.index
    return current


def test_no_b001_or_b003_outside_the_production_stage(corpus):
    settings = Settings(enabled=set(B_CODES))
    checked = 0
    for path in corpus:
        with open(path, "rb") as fh:
            data = fh.read()
        result = check_source(path, data, settings_for(path, Config(), select=list(B_CODES)))
        if not result.diagnostics:
            continue
        doc = parse(result.source)
        ctx = Context(path, doc, settings)
        for d in result.diagnostics:
            if d.code in ("B001", "B003"):
                checked += 1
                assert _stage_of_line(doc, d.line) == ctx.graph.production, (path, d.line, d.code)
    assert checked > 0


def test_b002_fixes_on_the_corpus_keep_every_other_byte(corpus):
    # Shell-form CMD/ENTRYPOINT rewritten as if each file's last stage had no shell.
    rnd = random.Random(4)
    for path in rnd.sample(corpus, min(300, len(corpus))):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "surrogateescape")
        try:
            doc = parse(text)
        except ValueError:
            continue
        if not doc.stages:
            continue
        from dlint.rules import shell_form_without_shell as b002
        for ins in doc.stages[-1].instructions:
            if ins.name not in ("CMD", "ENTRYPOINT") or ins.json is not None:
                continue
            fix = b002.exec_form_fix(ins, text)
            if fix is None:
                continue
            [edit] = fix.edits
            out = text[:edit.start] + edit.replacement + text[edit.end:]
            assert out[:edit.start] == text[:edit.start] and out.endswith(text[edit.end:])
            again = parse(out)
            same = [i for i in again.instructions if i.start == ins.start][0]
            assert same.json == [w for w, _, _ in b002.program_words(b002.plain_words(ins))]


def test_unknown_target_is_an_input_problem(tmp_path):
    p = tmp_path / "Dockerfile"
    p.write_text("FROM golang:1.23 AS build\nFROM gcr.io/distroless/static-debian13:nonroot\nCOPY --from=build /a /a\n")
    r = CliRunner().invoke(main, ["check", "--select", "B", "--target", "buidl", str(p)])
    assert r.exit_code == 2
    assert "target stage 'buidl' not found (stage names: build)" in r.output
    r = CliRunner().invoke(main, ["check", "--select", "B", "--target", "BUILD", str(p)])
    assert r.exit_code == 0, r.output
