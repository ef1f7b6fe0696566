"""B003 reports compilers and build tools that ship, not what the image needs at run time or is for."""
import pytest

from dlint.testing import findings


def b003(text, path="Dockerfile"):
    return findings(text, "B003", path=path)


RUNS = 'COPY . /app\nCMD ["python", "/app/main.py"]\n'


def test_git_alone_is_a_runtime_need_not_a_toolchain():
    assert b003(f"FROM python:3.13-slim\nRUN apt-get install -y git\n{RUNS}") == []
    assert b003("FROM jenkins/inbound-agent:latest\nUSER root\nRUN apt-get install -y git\n"
                "ENTRYPOINT [\"/usr/local/bin/jenkins-agent\"]\n") == []
    [d] = b003(f"FROM python:3.13-slim\nRUN apt-get install -y git gcc\n{RUNS}")
    assert "`gcc`" in d.rendered_message and "git" not in d.rendered_message


@pytest.mark.parametrize("install", [
    "apt-get install -y libc6-dev", "apt-get install -y libpcap-dev", "yum install -y unixODBC-devel",
    "apk add --no-cache libc-dev", "apt-get install -y libmagic-dev",
])
def test_headers_where_nothing_compiles_are_for_a_runtime_dlopen(install):
    assert b003(f"FROM python:3.13-slim\nRUN {install}\n{RUNS}") == []


@pytest.mark.parametrize("build", [
    "pip install psycopg2", "make && make install", "./configure && make", "npm ci", "bundle install",
    "docker-php-ext-install pdo_pgsql", "python3 setup.py install", "go build ./...", "cargo build --release",
])
def test_headers_where_something_compiles_are_reported(build):
    [d] = b003(f"FROM python:3.13-slim\nRUN apt-get install -y libpq-dev\nRUN {build}\n{RUNS}")
    assert "`libpq-dev`" in d.rendered_message


def test_headers_beside_a_compiler_are_reported():
    [d] = b003(f"FROM python:3.13-slim\nRUN apt-get install -y gcc libpq-dev\n{RUNS}")
    assert "`gcc`, `libpq-dev`" in d.rendered_message


def test_an_apk_virtual_group_is_matched_whatever_its_case():
    assert b003("FROM alpine:3.22\nRUN apk add --no-cache --virtual TMP build-base libev-dev && make "
                "&& apk del TMP\nCMD [\"/usr/local/bin/ss-server\"]\n") == []


@pytest.mark.parametrize("path", [
    ".devcontainer/Dockerfile", "ci/Dockerfile", "docker/Dockerfile.ci", "build/Dockerfile.build",
    "images/base/Dockerfile", "Dockerfile.sdk", "tests/fixtures/Dockerfile",
])
def test_ci_dev_build_and_base_images_by_their_path(path):
    text = f"FROM python:3.13-slim\nRUN apt-get install -y gcc\n{RUNS}"
    assert b003(text, path="services/api/Dockerfile")
    assert b003(text, path=path) == []


@pytest.mark.parametrize("command", [
    '["/usr/sbin/sshd", "-D"]', '["sleep", "infinity"]', '["/bin/bash", "-c", "sleep infinity"]', '["make"]',
    '["gcc", "--version"]', '["pytest"]',
])
def test_ci_build_and_login_images_by_their_command(command):
    assert b003(f"FROM ubuntu:24.04\nRUN apt-get install -y build-essential\nCMD {command}\n") == []


def test_a_language_image_template_without_a_command_is_a_base():
    text = "FROM debian:%%TAG%%-slim\nRUN apt-get install -y gcc libc6-dev\n"
    assert b003(text) == []


def test_packages_erased_below_the_package_manager_do_not_ship():
    text = ("FROM centos:7\nRUN yum install -y gcc make && ./configure && make install && rpm -e --nodeps make gcc\n"
            "ENTRYPOINT [\"/usr/sbin/agentd\"]\n")
    assert b003(text) == []
    text = ("FROM debian:13\nRUN apt-get install -y gcc && make && dpkg -P gcc\nENTRYPOINT [\"/usr/bin/agentd\"]\n")
    assert b003(text) == []
    text = ("FROM debian:13\nRUN apt-get install -y gcc && make\nRUN dpkg --purge gcc\nENTRYPOINT [\"/usr/bin/agentd\"]\n")
    [d] = b003(text)
    assert "line 3" in d.rendered_message


@pytest.mark.parametrize("command", [
    '["xargo", "build"]', '["bundle", "exec", "jekyll", "serve", "--watch"]', '["poetry", "run", "pytest"]',
    '["npx", "tsc", "-p", "."]', 'ipython notebook --no-browser', '["nodemon", "server.js"]',
    '["node", "build.js", "--watch"]', '["python", "manage.py", "runserver", "0.0.0.0:8000"]',
    '["uvicorn", "app:app", "--reload"]',
])
def test_build_dev_and_notebook_commands_behind_runners(command):
    assert b003(f"FROM ruby:3.3\nRUN apt-get install -y build-essential\nCMD {command}\n") == []


@pytest.mark.parametrize("marker", [
    "RUN apt-get install -y x11vnc xvfb", "RUN apt-get install -y openssh-server", "EXPOSE 5901",
    "EXPOSE 22/tcp", "RUN apk add --no-cache xfce4 tigervnc",
])
def test_machines_to_log_into_by_what_they_install_or_expose(marker):
    text = f"FROM ubuntu:24.04\nRUN apt-get install -y build-essential\n{marker}\nENTRYPOINT [\"/usr/bin/app\"]\n"
    assert b003(text) == []
    assert b003(text.replace(marker + "\n", ""))
