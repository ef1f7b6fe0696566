"""B001 names a distroless image only when it runs the same runtime the file uses.

A language installed from the packages of an old distribution release, or a version named in ENV, is that
version; Java is moved only when the image starts `java` itself; a command that compiles at start-up is a
development image; an application built on musl with language packages is a rebuild, not a swap.
"""
import pytest

from dlint.testing import findings


def run(text, code, path="Dockerfile"):
    return findings(text, code, path=path)


@pytest.mark.parametrize("base, install, cmd", [
    ("ubuntu:16.04", "python3 python3-pip", '["python3", "app.py"]'),   # Python 3.5
    ("debian:stretch-slim", "python3", '["python3", "app.py"]'),        # Python 3.5
    ("ubuntu:14.04", "ruby", '["ruby", "app.rb"]'),                     # Ruby 1.9.3
    ("ubuntu:18.04", "nodejs npm", '["node", "app.js"]'),               # Node 8
])
def test_runtime_from_an_old_release_has_no_distroless_equivalent(base, install, cmd):
    text = f"FROM {base}\nRUN apt-get update && apt-get install -y {install}\nCOPY . /app\nCMD {cmd}\n"
    assert run(text, "B001") == []


def test_runtime_from_a_current_release_is_reported():
    text = ("FROM debian:13-slim\nRUN apt-get update && apt-get install -y --no-install-recommends python3\n"
            "COPY . /app\nCMD [\"python3\", \"/app/app.py\"]\n")
    [d] = run(text, "B001")
    assert "python3-debian13" in d.message


@pytest.mark.parametrize("env", ["ENV JAVA_VERSION 1.8.0_252", "ENV JAVA_VERSION=8u292", "ARG JAVA_VERSION=11.0.2"])
def test_java_version_named_in_env(env):
    text = f"FROM ubuntu:22.04\n{env}\nCOPY app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n"
    assert run(text, "B001") == []
    newer = text.replace(env, "ENV JAVA_VERSION=jdk-21.0.2+13")
    [d] = run(newer, "B001")
    assert "java21" in d.message


def test_openjdk_from_apt_on_an_old_release():
    text = ("FROM debian:stretch\nRUN apt-get update && apt-get install -y default-jre-headless\n"
            "COPY app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n")
    assert run(text, "B001") == []


@pytest.mark.parametrize("start", [
    'ENTRYPOINT ["/app/bin/server"]',              # Gradle installDist / appassembler start script
    'ENTRYPOINT ["./launch.sh"]',
    "ENTRYPOINT java -jar /app.jar",               # shell form: needs /bin/sh
])
def test_java_not_started_directly_is_not_reported(start):
    text = f"FROM eclipse-temurin:21-jre\nCOPY build/install/server /app\nCOPY app.jar /app.jar\n{start}\n"
    assert run(text, "B001") == []


def test_java_started_in_exec_form_is_reported():
    text = "FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n"
    [d] = run(text, "B001")
    assert "java21" in d.message


@pytest.mark.parametrize("cmd", ['["go", "run", "main.go"]', '["godep", "go", "run", "main.go"]',
                                 '["cargo", "run", "--release"]', '["dotnet", "run"]',
                                 '["mvn", "spring-boot:run"]'])
def test_command_that_compiles_at_start_up_is_a_development_image(cmd):
    text = f"FROM debian:13\nCOPY . /src\nWORKDIR /src\nCMD {cmd}\n"
    assert run(text, "B001") == []


def test_musl_image_with_language_packages_is_a_rebuild():
    text = "FROM python:3.13-alpine\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nCMD [\"python\", \"/app/m.py\"]\n"
    assert run(text, "B001") == []
    text = "FROM alpine:3.20\nRUN apk add --no-cache python3 py3-lxml\nCOPY m.py /\nCMD [\"python3\", \"/m.py\"]\n"
    assert run(text, "B001") == []


def test_musl_image_with_plain_scripts_is_reported():
    text = "FROM node:22-alpine\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"
    [d] = run(text, "B001")
    assert "nodejs22" in d.message
