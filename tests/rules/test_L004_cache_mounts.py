"""L004 with ``cache-strategy = "mount"``: the fix gives the RUN a BuildKit cache mount on the tool's cache
instead of deleting it, and changes nothing else of the RUN (but the apt download directory)."""
import re

import dockerfile
import pytest
from click.testing import CliRunner

from dlint.cli import main
from dlint.fixer import fix_text
from dlint.settings import Settings
from dlint.testing import findings



def mounted(text, unsafe=True, code="L004"):
    """The text fixed with the mount strategy (BuildKit reads it back; a second fix changes nothing)."""
    settings = Settings(enabled={code}, cache_strategy="mount")
    new, _, problem = fix_text("Dockerfile", text, settings, unsafe)
    assert problem is None, problem.render()
    if new != text:
        dockerfile.parse_string(new)
        again, _, _ = fix_text("Dockerfile", new, settings, unsafe)
        assert again == new, "a second fix changed the file"
        assert not findings(new, code, cache_strategy="mount"), "the mounted RUN is still reported"
    return new


def mounts_of(text):
    """The --mount flags BuildKit reads on the last RUN."""
    run = [c for c in dockerfile.parse_string(text) if c.cmd == "RUN"][-1]
    return [f[len("--mount="):] for f in run.flags if f.startswith("--mount=")]


def without_mounts(text):
    """The text with the inserted --mount flags and apt download options taken out again."""
    text = re.sub(r"--mount=type=cache,target=[^ ]+ ", "", text)
    return re.sub(r"-o Dir::Cache::Archives=/var/cache/apt/debs/ (-o APT::Keep-Downloaded-Packages=true )?", "", text)


@pytest.mark.parametrize("base, run, expected", [
    ("debian:12", "apt-get update && apt-get install -y --no-install-recommends curl",
     ["type=cache,target=/var/cache/apt,sharing=locked", "type=cache,target=/var/lib/apt/lists,sharing=locked"]),
    ("ubuntu:24.04", "apt update && apt install -y curl",
     ["type=cache,target=/var/cache/apt,sharing=locked", "type=cache,target=/var/lib/apt/lists,sharing=locked"]),
    ("alpine:3.20", "apk add curl", ["type=cache,target=/var/cache/apk,sharing=locked"]),
    ("python:3.13", "pip install flask", ["type=cache,target=/root/.cache/pip"]),
    ("python:3.13", "uv pip install --system flask", ["type=cache,target=/root/.cache/uv"]),
    ("node:22", "npm ci", ["type=cache,target=/root/.npm"]),
    ("node:22", "yarn install --frozen-lockfile", ["type=cache,target=/usr/local/share/.cache/yarn"]),
    ("fedora:40", "dnf install -y curl", ["type=cache,target=/var/cache/dnf,sharing=locked"]),
    ("rockylinux:8", "yum install -y curl", ["type=cache,target=/var/cache/yum,sharing=locked"]),
    ("redhat/ubi9-minimal", "microdnf install -y curl", ["type=cache,target=/var/cache/yum,sharing=locked"]),
    ("opensuse/leap:15.6", "zypper install -y curl", ["type=cache,target=/var/cache/zypp,sharing=locked"]),
])
def test_each_manager_gets_its_mount_and_nothing_else_changes(base, run, expected):
    text = f"FROM {base}\nRUN {run}\n"
    new = mounted(text)
    assert mounts_of(new) == expected
    assert without_mounts(new) == text  # the commands are those of the original, byte for byte


def test_apt_downloads_stay_in_the_mount_out_of_reach_of_docker_clean():
    new = mounted("FROM debian:12\nRUN apt-get update && apt-get install -y curl && apt-get upgrade -y\n")
    assert new.count("apt-get -o Dir::Cache::Archives=/var/cache/apt/debs/ ") == 2  # install and upgrade
    assert "apt-get update" in new and "docker-clean" not in new  # the image keeps its hook
    assert "/var/cache/apt/debs/".startswith("/var/cache/apt/")  # under the mount: never in the layer


def test_the_default_strategy_is_unchanged():
    settings = Settings(enabled={"L004"})
    new, _, _ = fix_text("Dockerfile", "FROM python:3.13\nRUN pip install flask\n", settings, True)
    assert new == "FROM python:3.13\nRUN pip install --no-cache-dir flask\n"


@pytest.mark.parametrize("lines, expected", [
    ("USER 1000\nENV HOME=/home/app\n", "type=cache,target=/home/app/.cache/pip,uid=1000"),
    ("USER 1000:1000\nENV HOME=/home/app\n", "type=cache,target=/home/app/.cache/pip,uid=1000"),
    ("ENV PIP_CACHE_DIR=/var/cache/pip\n", "type=cache,target=/var/cache/pip"),
    ("ENV XDG_CACHE_HOME=/cache\n", "type=cache,target=/cache/pip"),
    ("ARG CACHE=/c\nENV PIP_CACHE_DIR=$CACHE/pip\n", "type=cache,target=/c/pip"),
    ("USER root\nENV HOME=/srv\n", "type=cache,target=/srv/.cache/pip"),
])
def test_user_home_and_variables_move_the_pip_cache(lines, expected):
    text = f"FROM python:3.13\n{lines}RUN pip install flask\n"
    new = mounted(text)
    assert mounts_of(new) == [expected]


def test_moved_npm_and_go_style_caches():
    assert mounts_of(mounted("FROM node:22\nENV npm_config_cache=/tmp/npm\nRUN npm ci\n")) == \
        ["type=cache,target=/tmp/npm"]
    assert mounts_of(mounted("FROM node:22\nENV YARN_CACHE_FOLDER=/y\nRUN yarn install\n")) == ["type=cache,target=/y"]
    assert mounts_of(mounted("FROM node:22\nUSER 1000\nENV HOME=/home/node\nRUN yarn install\n")) == \
        ["type=cache,target=/home/node/.cache/yarn,uid=1000"]


@pytest.mark.parametrize("lines, run, why", [
    ("USER app\n", "pip install flask", "USER app"),
    ("USER 1000\n", "pip install flask", "HOME"),
    ("ARG D\nENV PIP_CACHE_DIR=$D\n", "pip install flask", "PIP_CACHE_DIR"),
    ("", "export PIP_CACHE_DIR=/x && pip install flask", "variable"),
    ("", "PIP_CACHE_DIR=/x pip install flask", "variable"),
    ("", "pip install --cache-dir=/x flask", "names its cache"),
])
def test_no_fix_where_the_cache_cannot_be_told(lines, run, why):
    text = f"FROM python:3.13\n{lines}RUN {run}\n"
    [d] = findings(text, "L004", cache_strategy="mount")
    assert d.fix is None and why in d.no_fix_reason


def test_a_run_already_mounted_for_the_tool_is_clean():
    for text in ("FROM python:3.13\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
                 "FROM python:3.13\nUSER 1000\nENV HOME=/home/app\n"
                 "RUN --mount=type=cache,target=/home/app/.cache,uid=1000 pip install flask\n",
                 "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked "
                 "--mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl\n"):
        assert findings(text, "L004") == [] and findings(text, "L004", cache_strategy="mount") == []


def test_a_missing_mount_is_added_beside_the_one_there():
    text = "FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl\n"
    assert mounts_of(mounted(text)) == ["type=cache,target=/var/lib/apt/lists,sharing=locked",
                                        "type=cache,target=/var/cache/apt"]


def test_safe_only_where_the_file_already_needs_buildkit():
    plain = "FROM python:3.13\nRUN pip install flask\n"
    [d] = findings(plain, "L004", cache_strategy="mount")
    assert d.fix.applicability == "unsafe"
    assert mounted(plain, unsafe=False) == plain
    for text in ("# syntax=docker/dockerfile:1\n" + plain,
                 "FROM python:3.13\nRUN --mount=type=bind,source=r.txt,target=/r.txt pip install -r /r.txt\n"):
        [d] = findings(text, "L004", cache_strategy="mount")
        assert d.fix.applicability == "safe"
        assert mounted(text, unsafe=False) != text


def test_continuation_lines_and_other_flags_are_kept():
    text = "FROM python:3.13\nRUN --network=default \\\n    pip install \\\n      flask\n"
    new = mounted(text)
    assert new == "FROM python:3.13\nRUN --mount=type=cache,target=/root/.cache/pip --network=default \\\n" \
                  "    pip install \\\n      flask\n"


def _run(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, args)


def test_fix_diff_with_the_setting_in_pyproject(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.dlint]\ncache-strategy = "mount"\n')
    (tmp_path / "Dockerfile").write_text("# syntax=docker/dockerfile:1\nFROM node:22\nRUN npm ci\n")
    r = _run(tmp_path, monkeypatch, ["fix", "--diff", "--select", "L004", "Dockerfile"])
    assert r.exit_code == 1
    assert "-RUN npm ci\n+RUN --mount=type=cache,target=/root/.npm npm ci\n" in r.stdout
    r = _run(tmp_path, monkeypatch, ["fix", "--diff", "--select", "L004", "--cache-strategy", "clean", "Dockerfile"])
    assert "+RUN npm ci && \\\n+    npm cache clean --force\n" in r.stdout
    r = _run(tmp_path, monkeypatch, ["fix", "--select", "L004", "Dockerfile"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "Dockerfile").read_text().endswith("RUN --mount=type=cache,target=/root/.npm npm ci\n")


def test_a_bad_strategy_is_a_usage_error(tmp_path, monkeypatch):
    (tmp_path / ".dlint.toml").write_text('cache-strategy = "volume"\n')
    (tmp_path / "Dockerfile").write_text("FROM node:22\nRUN npm ci\n")
    r = _run(tmp_path, monkeypatch, ["check", "Dockerfile"])
    assert r.exit_code == 2 and "cache-strategy" in r.output
    r = _run(tmp_path, monkeypatch, ["check", "--config", "/dev/null", "--cache-strategy", "x", "Dockerfile"])
    assert r.exit_code == 2


def test_yarn_2_gets_no_yarn_1_mount():
    for text in ("FROM node:22\nRUN yarn install --immutable\n",
                 "FROM node:22\nRUN corepack enable\nRUN yarn install\n"):
        [d] = findings(text, "L004", cache_strategy="mount")
        assert d.fix is None and "yarn 2" in d.no_fix_reason


def test_another_user_is_unsafe_even_where_buildkit_is_needed():
    text = "# syntax=docker/dockerfile:1\nFROM python:3.13\nUSER 1000\nENV HOME=/home/app\nRUN pip install flask\n"
    [d] = findings(text, "L004", cache_strategy="mount")
    assert d.fix.applicability == "unsafe"


@pytest.mark.parametrize("manager, tool, env, expected", [
    ("go", "go", {}, ["/root/.cache/go-build", "/go/pkg/mod"]),
    ("go", "go", {"GOPATH": "/gopath", "GOCACHE": "/gocache"}, ["/gocache", "/gopath/pkg/mod"]),
    ("go", "go", {"GOMODCACHE": "/m", "GOPATH": "/gopath"}, ["/root/.cache/go-build", "/m"]),
    ("cargo", "cargo", {}, ["/usr/local/cargo/registry", "/usr/local/cargo/git"]),
    ("cargo", "cargo", {"CARGO_HOME": "/cargo"}, ["/cargo/registry", "/cargo/git"]),
    ("pnpm", "pnpm", {}, ["/root/.local/share/pnpm/store"]),
    ("pnpm", "pnpm", {"PNPM_HOME": "/pnpm"}, ["/pnpm/store"]),
    ("composer", "composer", {"COMPOSER_HOME": "/tmp"}, ["/tmp/cache"]),
    ("gem", "gem", {"GEM_HOME": "/usr/local/bundle"}, ["/usr/local/bundle/cache"]),
    ("maven", "mvn", {}, ["/root/.m2/repository"]),
    ("gradle", "gradle", {"GRADLE_USER_HOME": "/g"}, ["/g/caches"]),
    ("dnf", "dnf5", {}, ["/var/cache/libdnf5"]),
    ("yarn", "yarn", {}, ["/usr/local/share/.cache/yarn"]),
])
def test_the_cache_table_places_each_tool(manager, tool, env, expected):
    from dlint.cleanups import mount_targets

    got = mount_targets(manager, tool, "/root", True, env.get)
    assert [t for t, _ in got] == expected


def test_the_cache_table_refuses_what_it_cannot_tell():
    from dlint.cleanups import MountUnknown, mount_targets

    with pytest.raises(MountUnknown):
        mount_targets("pip", "pip", None, False, {}.get)  # the HOME of another user
    with pytest.raises(MountUnknown):
        mount_targets("pip", "pip", "/root", True, {"PIP_CACHE_DIR": "relative/dir"}.get)
    with pytest.raises(MountUnknown):
        mount_targets("pip", "pip", "/root", True, {"PIP_CACHE_DIR": "/a,b"}.get)
    assert mount_targets("conda", "conda", "/root", True, {}.get) is None
