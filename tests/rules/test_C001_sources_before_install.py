"""C001: sources copied before an install that needs only the manifests."""
import json

import dockerfile
import pytest

from dlint.inputs import read_context
from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source


def context(tmp_path, files):
    for name, text in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return read_context(str(tmp_path), str(tmp_path / "Dockerfile"))


def found(text, ctx=None):
    s = Settings(enabled={"C001"}, context=ctx)
    return check_source("Dockerfile", text.encode(), s).diagnostics


def fixed(text, ctx):
    new, diags, problem = fix_text("Dockerfile", text, Settings(enabled={"C001"}, context=ctx), unsafe=True)
    assert problem is None
    return new


NODE = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"i.js\"]\n"


def test_npm_fix_copies_the_manifests_that_exist(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}", "yarn.lock": "", ".npmrc": "x", "i.js": ""})
    text = "FROM node:22\nWORKDIR /app\nCOPY --chown=node . .\nRUN yarn install --frozen-lockfile\n"
    [d] = found(text, ctx)
    assert "yarn install" in d.message and d.line == 3
    new = fixed(text, ctx)
    assert new == ("FROM node:22\nWORKDIR /app\nCOPY --chown=node package.json yarn.lock .npmrc ./\n"
                   "RUN yarn install --frozen-lockfile\nCOPY --chown=node . .\n")
    dockerfile.parse_string(new)
    assert fixed(new, ctx) == new and not found(new, ctx)


@pytest.mark.parametrize("manifest", [
    {"workspaces": ["a"]}, {"scripts": {"postinstall": "node build.js"}}, {"dependencies": {"x": "file:../x"}},
    {"scripts": {"prepare": "husky"}},
])
def test_npm_installs_that_read_sources_are_not_reported(tmp_path, manifest):
    ctx = context(tmp_path, {"package.json": json.dumps(manifest)})
    assert not found(NODE, ctx)


def test_pip_requirements_and_the_project_itself(tmp_path):
    ctx = context(tmp_path, {"requirements.txt": "flask\n", "app.py": ""})
    text = "FROM python:3.13\nCOPY . /srv\nWORKDIR /srv\nRUN pip install --no-cache-dir -r requirements.txt\n"
    [d] = found(text, ctx)
    assert fixed(text, ctx) == ("FROM python:3.13\nCOPY requirements.txt /srv/\nWORKDIR /srv\n"
                                "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . /srv\n")
    assert not found(text.replace("-r requirements.txt", "."), ctx)
    ctx2 = context(tmp_path, {"requirements.txt": "-e .\n"})
    assert not found(text, ctx2)


def test_go_mod_download_with_a_local_replace_is_not_reported(tmp_path):
    text = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n"
    assert found(text, context(tmp_path, {"go.mod": "module m\n", "go.sum": ""}))
    assert not found(text, context(tmp_path, {"go.mod": "module m\nreplace x => ./x\n"}))


def test_install_outside_the_copied_tree_or_after_cd_is_not_reported(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}"})
    assert not found("FROM node:22\nCOPY . /app\nWORKDIR /other\nRUN npm ci\n", ctx)
    assert not found("FROM node:22\nCOPY . /app\nRUN cd /app && npm ci\n", ctx)
    assert not found("FROM node:22\nCOPY package.json /app/\nWORKDIR /app\nRUN npm ci\n", ctx)


def test_a_manifest_the_dockerignore_excludes_is_not_from_this_copy(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}", ".dockerignore": "package.json\n"})
    assert not found(NODE, ctx)


def test_without_a_context_it_is_reported_without_a_fix():
    [d] = found(NODE, None)
    assert d.fix is None and "not readable" in d.no_fix_reason and "no automatic fix" not in d.message


def test_no_fix_when_the_run_also_builds(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}"})
    [d] = found(NODE.replace("RUN npm ci", "RUN npm ci && npm run build"), ctx)
    assert d.fix is None and "RUN of its own" in d.no_fix_reason


def test_manifests_copied_earlier_are_not_copied_again(tmp_path):
    ctx = context(tmp_path, {"package.json": "{}", "package-lock.json": ""})
    text = "FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nCOPY . .\nRUN npm ci\n"
    assert fixed(text, ctx) == "FROM node:22\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"


def test_a_single_file_is_not_the_sources(tmp_path):
    ctx = context(tmp_path, {"Pipfile": "", "src/app.py": "", "requirements.txt": "flask\n"})
    assert not found("FROM python:3\nCOPY Pipfile /app/\nWORKDIR /app\nRUN pipenv install\n", ctx)
    assert not found("FROM python:3\nADD Makefile /app/\nWORKDIR /app\nRUN pip install -r requirements.txt\n")
    assert found("FROM python:3\nCOPY src /app\nWORKDIR /app\nRUN pip install -r requirements.txt\n")
