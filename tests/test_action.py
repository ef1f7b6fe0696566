"""The GitHub Action (action.yml) run step by step as the Actions runner runs a composite action: each
``run`` script under ``bash -eo pipefail`` with its ``env``, ``GITHUB_ENV`` and ``GITHUB_OUTPUT`` files, and
the ``${{ }}`` expressions it uses filled in.

The install step installs dlint from a copy of this repository into a fresh virtual environment (not
editable), so these tests also show that an installed dlint ships its rule pages.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from dlint.rules import ALL_RULES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SARIF_SCHEMA = os.path.join(os.path.dirname(ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")
yaml = pytest.importorskip("yaml")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")

FINDING = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n"


def load_action():
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def expand(value, context):
    def one(m):
        key = m.group(1).strip()
        if key not in context:
            raise AssertionError(f"expression not understood by this test: {key}")
        return context[key]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


class Runner:
    """Just enough of the Actions runner for a composite action of ``run`` steps."""

    def __init__(self, action_path, workspace, temp):
        self.action = load_action()
        self.action_path = str(action_path)
        self.workspace = str(workspace)
        self.temp = str(temp)
        self.env = {}  # what steps wrote to GITHUB_ENV

    def run(self, step_ids=None, **inputs):
        action = self.action
        values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
        values.update({k.replace("_", "-"): v for k, v in inputs.items()})
        context = {"github.action_path": self.action_path}
        context.update({f"inputs.{k}": v for k, v in values.items()})
        outputs, logs, code = {}, [], 0
        for i, step in enumerate(action["runs"]["steps"]):
            if step_ids is not None and step.get("id", f"#{i}") not in step_ids:
                continue
            assert step["shell"] == "bash"
            out_file = os.path.join(self.temp, f"output-{i}")
            env_file = os.path.join(self.temp, f"env-{i}")
            open(out_file, "w").close()
            open(env_file, "w").close()
            env = dict(os.environ, RUNNER_TEMP=self.temp, GITHUB_OUTPUT=out_file, GITHUB_ENV=env_file,
                       GITHUB_WORKSPACE=self.workspace, **self.env)
            env.update({k: expand(v, context) for k, v in step.get("env", {}).items()})
            script = expand(step["run"], context)
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                               cwd=self.workspace, env=env, capture_output=True, text=True, timeout=900)
            logs.append(p.stdout + p.stderr)
            with open(env_file) as fh:
                self.env.update(line.rstrip("\n").split("=", 1) for line in fh if "=" in line)
            step_out = {}
            with open(out_file) as fh:
                step_out.update(line.rstrip("\n").split("=", 1) for line in fh if "=" in line)
            if "id" in step:
                context.update({f"steps.{step['id']}.outputs.{k}": v for k, v in step_out.items()})
            code = p.returncode
            if code:
                break
        for name, spec in action["outputs"].items():
            outputs[name] = expand(spec["value"], {**_empty_outputs(spec["value"], context), **context})
        return code, outputs, "".join(logs)


def _empty_outputs(value, context):
    # an output a step never set reads as an empty string
    return {m.strip(): "" for m in re.findall(r"\$\{\{(.*?)\}\}", value) if m.strip() not in context}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The action's install step, run once: dlint installed from a copy of the repository."""
    source = tmp_path_factory.mktemp("action") / "dlint"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "action.yml"):
        shutil.copy2(os.path.join(ROOT, name), source / name)
    for name in ("dlint", "rules"):
        shutil.copytree(os.path.join(ROOT, name), source / name, ignore=shutil.ignore_patterns("__pycache__"))
    temp = tmp_path_factory.mktemp("runner-temp")
    runner = Runner(source, tmp_path_factory.mktemp("unused-workspace"), temp)
    steps = [s for s in runner.action["runs"]["steps"] if "id" not in s]
    assert len(steps) == 1 and "pip install" in steps[0]["run"] and "${{ github.action_path }}" in str(steps[0]["env"])
    code, _, log = runner.run(step_ids=["#0"])
    assert code == 0, log
    assert os.path.isfile(runner.env["DLINT_BIN"])
    return runner


@pytest.fixture
def workspace(installed, tmp_path):
    ws = tmp_path / "repo"
    (ws / "docker").mkdir(parents=True)
    (ws / "docker" / "Dockerfile").write_text(FINDING)
    (ws / "Dockerfile").write_text("FROM debian:12\nCOPY app /app\n")
    installed.workspace = str(ws)
    return ws


def test_action_metadata():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert set(action["outputs"]) >= {"sarif-file"}
    assert "steps.check.outputs.sarif-file" in action["outputs"]["sarif-file"]["value"]
    for step in action["runs"]["steps"]:
        # inputs reach the scripts as environment variables only: no expression inside shell code
        assert "${{" not in step["run"], step.get("name")


def test_installed_dlint_ships_the_rule_pages(installed, tmp_path):
    dlint = installed.env["DLINT_BIN"]
    python = os.path.join(os.path.dirname(dlint), "python")
    where = subprocess.run([python, "-c", "import dlint, os; print(os.path.dirname(dlint.__file__))"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    package = where.stdout.strip()
    assert "site-packages" in package and not package.startswith(ROOT)
    for rule in ALL_RULES:
        name = f"{rule.code}-{rule.name}.md"
        assert os.path.isfile(os.path.join(package, "rule_docs", name)), name
        p = subprocess.run([dlint, "rule", rule.code], cwd=tmp_path, capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        with open(os.path.join(installed.action_path, "rules", name), encoding="utf-8") as fh:
            assert p.stdout == fh.read(), name  # the page as it was installed
    p = subprocess.run([dlint, "rules"], cwd=tmp_path, capture_output=True, text=True)
    assert [line.split()[0] for line in p.stdout.splitlines()[1:]] == [r.code for r in ALL_RULES]


def test_findings_fail_the_step_and_the_sarif_is_written(installed, workspace):
    jsonschema = pytest.importorskip("jsonschema")
    code, outputs, log = installed.run(step_ids=["check"], sarif_file="reports/dlint.sarif")
    assert code == 1, log
    assert outputs == {"sarif-file": "reports/dlint.sarif", "exit-code": "1"}
    with open(workspace / "reports" / "dlint.sarif", encoding="utf-8") as fh:
        data = json.load(fh)
    if os.path.isfile(SARIF_SCHEMA):
        with open(SARIF_SCHEMA, encoding="utf-8") as fh:
            jsonschema.validate(data, json.load(fh))
    results = data["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {"docker/Dockerfile"}
    assert "L001" in {r["ruleId"] for r in results}


def test_inputs_paths_args_and_no_failure(installed, workspace):
    code, outputs, log = installed.run(step_ids=["check"], paths="Dockerfile", fail_on_findings="false")
    assert (code, outputs["exit-code"]) == (0, "0"), log
    code, outputs, log = installed.run(step_ids=["check"], fail_on_findings="false", annotations="true",
                                       args="--select L001")
    assert (code, outputs["exit-code"]) == (0, "1"), log
    assert "::warning file=docker/Dockerfile,line=2,col=1," in log
    with open(workspace / "dlint.sarif", encoding="utf-8") as fh:
        assert {r["ruleId"] for r in json.load(fh)["runs"][0]["results"]} == {"L001"}
    # a path with shell syntax in it is a path, not code
    code, outputs, log = installed.run(step_ids=["check"], paths="'$(touch pwned)'", fail_on_findings="false")
    assert not (workspace / "pwned").exists()


def test_unreadable_input_always_fails(installed, workspace):
    (workspace / "bad.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    code, outputs, log = installed.run(step_ids=["check"], paths="bad.Dockerfile", fail_on_findings="false")
    assert code == 2 and outputs["exit-code"] == "2"
    assert "bad.Dockerfile:2: error: unknown instruction" in log
