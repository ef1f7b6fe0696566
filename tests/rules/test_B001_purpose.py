"""B001 reports only an application that a distroless image can really run.

One snippet per general cause of a wrong finding: images that are not applications (bases, builders, CI,
machines to log into, Windows), applications no distroless image runs (app servers, PHP, conda, function
hosts, interpreters without a distroless image, versions it does not offer), and applications that keep
system packages at run time.
"""
import pytest

from dlint.testing import findings


def b001(text, path="Dockerfile"):
    return findings(text, "B001", path=path)


GO_BUILD = "FROM golang:1.25 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
SHIPS = f"{GO_BUILD}FROM debian:13-slim\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"


def test_a_built_application_on_a_full_os_is_reported():
    [d] = b001(SHIPS)
    assert "gcr.io/distroless/static-debian13" in d.rendered_message


# ------------------------------------------------------------------------------ not an application

@pytest.mark.parametrize("path", [
    "images/base/Dockerfile", "docker/python-base/Dockerfile", "Dockerfile.base", "base.Dockerfile",
    "docker/Dockerfile.build", "builder.Dockerfile", "Dockerfile.sdk", "Dockerfile.debug", "tools/Dockerfile.tools",
    "src/integration/testdata/Dockerfile", "parser/testfiles/simple/Dockerfile", "test/fixtures/Dockerfile",
])
def test_bases_builders_debug_images_and_test_inputs_by_their_path(path):
    assert b001(SHIPS, path=path) == []


def test_an_ordinary_path_is_still_checked():
    assert b001(SHIPS, path="services/api/Dockerfile")
    assert b001(SHIPS, path="deploy/Dockerfile.prod")


@pytest.mark.parametrize("command", [
    '["/usr/sbin/sshd", "-D"]', '["supervisord", "-n"]', '["/sbin/init"]', '["ansible-playbook", "site.yml"]',
    '["xvfb-run", "/app"]', '["x11vnc", "-forever"]', '["sleep", "infinity"]', '["tail", "-f", "/dev/null"]',
    '["/bin/bash", "-c", "sleep infinity"]', '["jupyter", "lab"]',
])
def test_machines_to_log_into_and_keep_alive_containers_are_not_applications(command):
    text = f"{GO_BUILD}FROM ubuntu:24.04\nCOPY --from=build /out/app /app\nCMD {command}\n"
    assert b001(text) == []


@pytest.mark.parametrize("command", [
    '["gcc", "-o", "/out/x", "x.c"]', '["go", "run", "."]', '["cargo", "build"]', '["pytest"]', '["tox"]',
    '["mkdocs", "build"]', '["hugo"]', '["mvn", "package"]',
])
def test_compilers_build_tools_and_test_runners_as_the_command_are_build_or_ci_images(command):
    text = f"{GO_BUILD}FROM debian:13\nCOPY --from=build /out/app /app\nENTRYPOINT {command}\n"
    assert b001(text) == []


def test_no_command_is_an_environment_even_on_an_unknown_base():
    assert b001("FROM debian:13-slim\nCOPY --from=golang:1.25 /usr/local/go /usr/local/go\n") == []
    assert b001("FROM debian:%%TAG%%-slim\nRUN apt-get update\n") == []


@pytest.mark.parametrize("text", [
    "FROM mcr.microsoft.com/dotnet/aspnet:8.0-nanoserver-ltsc2022\nCOPY app /app\nENTRYPOINT [\"dotnet\", \"/app/a.dll\"]\n",
    "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe /\nENTRYPOINT [\"C:\\\\app.exe\"]\n",
    "# escape=`\nFROM python:3.13-windowsservercore\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
    "FROM python:3.13\nSHELL [\"powershell\", \"-Command\"]\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
])
def test_windows_images_are_not_told_to_move_to_linux_distroless(text):
    assert b001(text) == []


# ------------------------------------------------------------------- no distroless equivalent

@pytest.mark.parametrize("text", [
    "FROM tomcat:10-jdk17\nCOPY app.war /usr/local/tomcat/webapps/\nCMD [\"catalina.sh\", \"run\"]\n",
    "FROM jetty:12\nCOPY app.war /var/lib/jetty/webapps/\nCMD [\"java\", \"-jar\", \"/usr/local/jetty/start.jar\"]\n",
    "FROM php:8.3-apache\nCOPY . /var/www/html\nCMD [\"apache2-foreground\"]\n",
    "FROM php:8.3-fpm\nCOPY . /app\nCMD [\"php-fpm\"]\n",
    "FROM continuumio/miniconda3\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
    "FROM mcr.microsoft.com/azure-functions/python:4-python3.11\nCOPY . /home/site/wwwroot\n"
    "CMD [\"python\", \"-m\", \"x\"]\n",
    "FROM public.ecr.aws/lambda/python:3.12\nCOPY app.py .\nCMD [\"python3\", \"app.py\"]\n",
    "FROM r-base:4.4\nCOPY . /app\nCMD [\"Rscript\", \"/app/run.R\"]\n",
    "FROM debian:13\nCOPY . /app\nCMD [\"perl\", \"/app/run.pl\"]\n",
    "FROM elixir:1.17\nCOPY . .\nCMD [\"mix\", \"phx.server\"]\n",
])
def test_stacks_no_distroless_image_runs_get_no_wrong_replacement(text):
    assert b001(text) == []


@pytest.mark.parametrize("text", [
    "FROM python:2.7\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
    "FROM ubuntu:16.04\nRUN apt-get install -y python python-pip && pip install flask\nCOPY . /app\n"
    "CMD [\"python\", \"/app/m.py\"]\n",
    "FROM python:3.8-slim\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
    "FROM python:3.14-slim\nCOPY . /app\nCMD [\"python\", \"/app/m.py\"]\n",
    "FROM openjdk:8-jre\nCOPY app.jar /\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
    "FROM openjdk:11\nCOPY app.jar /\nCMD [\"java\", \"-jar\", \"/app.jar\"]\n",
    "FROM node:14-alpine\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
    "FROM mcr.microsoft.com/dotnet/aspnet:6.0\nCOPY app /app\nENTRYPOINT [\"dotnet\", \"/app/a.dll\"]\n",
    "FROM ruby:2.7\nCOPY . .\nCMD [\"bundle\", \"exec\", \"puma\"]\n",
])
def test_versions_the_distroless_images_do_not_offer_are_a_port_not_a_base_swap(text):
    assert b001(text) == []


def test_a_binary_of_unknown_origin_may_need_any_library():
    assert b001("FROM ubuntu:24.04\nCOPY ./install /\nCMD [\"/opt/db/bin/server\"]\n") == []
    assert b001("FROM alpine:3.22\nRUN wget -O /usr/bin/app https://x/app && chmod +x /usr/bin/app\n"
                "ENTRYPOINT [\"/usr/bin/app\"]\n") == []


# ------------------------------------------------------------------------- runtime packages

@pytest.mark.parametrize("install", [
    "apk add --no-cache dnsmasq", "apk add --no-cache ffmpeg", "apt-get install -y libpq5",
    "apt-get install -y --no-install-recommends libpq-dev", "apk add --no-cache py3-numpy",
    "apk add --no-cache $PACKAGES", "install_packages imagemagick", "apt-get install -y curl",
])
def test_system_packages_kept_for_run_time_rule_out_distroless(install):
    healthcheck = "HEALTHCHECK CMD curl -f http://localhost/\n" if "curl" in install else ""
    text = f"{GO_BUILD}FROM debian:13\nRUN {install}\nCOPY --from=build /out/app /app\n{healthcheck}ENTRYPOINT [\"/app\"]\n"
    assert b001(text) == []


@pytest.mark.parametrize("install", [
    "apt-get install -y ca-certificates tzdata",
    "apt-get install -y curl && curl -o /x https://x && apt-get purge -y curl",
    "apt-get install -y curl unzip",  # fetch tools used while building only
    "apk add --no-cache --virtual .deps gcc musl-dev && make && apk del .deps",
])
def test_packages_distroless_has_or_the_build_only_used_do_not(install):
    text = f"{GO_BUILD}FROM debian:13\nRUN {install}\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"
    assert b001(text)


def test_the_language_runtime_itself_is_what_the_distroless_image_brings():
    text = "FROM debian:13\nRUN apt-get install -y python3 python3-pip\nCOPY . /app\nCMD [\"python3\", \"/app/m.py\"]\n"
    [d] = b001(text)
    assert "python3-debian13" in d.rendered_message


def test_a_language_used_only_to_build_is_not_the_stack():
    text = ("FROM debian:13\nRUN apt-get install -y python3 python3-pip make gcc && pip3 install docs && ./configure "
            "&& make && make install && apt-get purge -y python3 python3-pip make gcc\nENTRYPOINT [\"/usr/local/bin/jq\"]\n")
    [d] = b001(text)
    assert "cc-debian13" in d.rendered_message and "python3" not in d.rendered_message


# ------------------------------------------------------------------- the path inside its repository

def _check_file(path):
    import json

    from click.testing import CliRunner

    from dlint.cli import main

    r = CliRunner().invoke(main, ["check", "--select", "B001", "--format", "json", "--exit-zero", str(path)])
    assert r.exit_code == 0, r.output
    return [d["code"] for d in json.loads(r.output)]


def test_directories_above_the_repository_say_nothing(tmp_path):
    # A project checked out under a directory named `tests`: its own root Dockerfile ships an application.
    repo = tmp_path / "tests" / "api"
    (repo / ".git").mkdir(parents=True)
    (repo / "Dockerfile").write_text(SHIPS)
    assert _check_file(repo / "Dockerfile") == ["B001"]
    # Inside the repository, a `tests` directory does say it: a test image.
    (repo / "tests").mkdir()
    (repo / "tests" / "Dockerfile").write_text(SHIPS)
    assert _check_file(repo / "tests" / "Dockerfile") == []
