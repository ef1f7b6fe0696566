"""hadolint's codes and settings: DL codes wherever a rule is named, and .hadolint.yaml read as hadolint reads it."""
import json
import os

import pytest
from click.testing import CliRunner

from dlint import rules
from dlint.cli import main
from dlint.config import ConfigFinder, load_file
from dlint.settings import settings_for

# B004 (DL3006 on line 1, DL3007 on line 2), L004 (apk DL3019 on 3, pip DL3042 on 4), L008 (DL3059 on 3 and 4).
DOCKERFILE = """\
FROM ubuntu AS base
FROM alpine:latest
RUN apk add curl
RUN pip install requests
"""


def check(*args, cwd=None):
    r = CliRunner().invoke(main, ["check", "--format", "json", *map(str, args)])
    return r


def found(result):
    assert result.exit_code in (0, 1), result.output
    return sorted((d["code"], d["line"], d["severity"], d["hadolint"]) for d in json.loads(result.stdout))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


# --- hadolint codes on the command line and in [tool.dlint] ----------------------------------------------

def test_select_a_hadolint_code_selects_its_rules(project):
    got = found(check("--select", "DL3007", project / "Dockerfile"))
    assert {c for c, *_ in got} == {"B004"}
    got = found(check("--select", "dl3059", project / "Dockerfile"))
    assert {c for c, *_ in got} == {"L008"}


def test_extend_select_a_hadolint_code(project):
    got = found(check("--select", "L004", "--extend-select", "DL3059", project / "Dockerfile"))
    assert {c for c, *_ in got} == {"L004", "L008"}


def test_ignore_the_code_of_a_rule_with_several_drops_only_those_findings(project):
    base = found(check("--select", "B004,L004", project / "Dockerfile"))
    assert ("L004", 4, "warning", "DL3042") in base and ("B004", 1, "warning", "DL3006") in base
    got = found(check("--select", "B004,L004", "--ignore", "DL3042,DL3006", project / "Dockerfile"))
    assert got == [f for f in base if f[3] not in ("DL3042", "DL3006")]


def test_ignore_every_code_of_a_rule_drops_all_its_findings(project):
    from dlint.checking import check_source

    ours = settings_for(str(project / "Dockerfile"), ConfigFinder().for_path(str(project)), ["B004", "L008"],
                        rules.expand(["DL3006", "DL3007", "DL3059"], partial=True))
    assert ours.ignored == {"DL3006", "DL3007", "DL3059"}
    text = "FROM python:latest\nFROM debian AS two\nRUN echo a\nRUN echo b\n"
    assert check_source("Dockerfile", text.encode(), ours).diagnostics == []
    everything = settings_for(str(project / "Dockerfile"), ConfigFinder().for_path(str(project)), ["B004", "L008"])
    assert {d.code for d in check_source("Dockerfile", text.encode(), everything).diagnostics} == {"B004", "L008"}


def test_unknown_hadolint_code_is_a_usage_error(project):
    r = check("--select", "DL3999", project / "Dockerfile")
    assert r.exit_code == 2 and "DL3999" in r.output and "Traceback" not in r.output


def test_lookup_by_hadolint_code():
    assert rules.lookup("DL3008").code == "P001"
    assert rules.lookup("DL3047").code == "R010"
    # hadolint's DL3059 is consecutive-runs in the stages that ship and in the others
    with pytest.raises(rules.UnknownRule, match="L008, L011"):
        rules.lookup("DL3059")
    assert set(rules.expand(["DL3019"])) == {"L004", "L009", "R013"}
    # the apt lists kept by an update-only RUN (L001) and after an install (L004): both are DL3009
    with pytest.raises(rules.UnknownRule, match="L001, L004, L009"):
        rules.lookup("DL3009")
    assert set(rules.expand(["DL3009"])) == {"L001", "L004", "L009"}
    with pytest.raises(rules.UnknownRule):
        rules.lookup("DL3999")


def test_every_declared_hadolint_code_resolves_to_its_rule():
    for rule in rules.ALL_RULES:
        for code in rule.hadolint:
            assert rule.code in rules.expand([code])
            assert rule.code in [r.code for r in rules.hadolint_rules(code.lower())]


def test_config_per_file_ignores_and_severity_take_hadolint_codes(project):
    (project / ".dlint.toml").write_text('select = ["B004", "L008"]\n[per-file-ignores]\n"Dockerfile" = ["DL3059"]\n'
                                         '[severity]\nDL3007 = "error"\n')
    got = found(check(project / "Dockerfile"))
    assert got == [("B004", 1, "warning", "DL3006"), ("B004", 2, "error", "DL3007")]


# --- .hadolint.yaml -------------------------------------------------------------------------------------------

def write(project, text, name=".hadolint.yaml"):
    (project / name).write_text(text)
    return project / name


def test_hadolint_yaml_is_found_and_honoured(project):
    write(project, "ignored:\n  - DL3042\n  - DL3008\noverride:\n  error: [DL3019]\n")
    got = found(check(project / "Dockerfile"))
    assert ("L004", 3, "error", "DL3019") in got
    assert not [f for f in got if f[3] == "DL3042"]


@pytest.mark.parametrize("name", [".hadolint.yaml", ".hadolint.yml"])
def test_hadolint_yaml_upward(project, name):
    sub = project / "svc"
    sub.mkdir()
    (sub / "Dockerfile").write_text(DOCKERFILE)
    write(project, "ignored: [DL3019]\n", name)
    cfg = ConfigFinder().for_path(str(sub / "Dockerfile"))
    assert cfg.path == str(project / name) and cfg.ignore == ["DL3019"]


def test_dlint_config_wins_over_hadolint(project):
    write(project, "ignored: [DL3019, DL3042]\n")
    sub = project / "svc"
    sub.mkdir()
    write(sub, "ignored: [DL3019]\n")
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    assert ConfigFinder().for_path(str(sub / "x")).path == str(project / ".dlint.toml")


def test_explicit_hadolint_config(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere")
    cfg = write(other, "override:\n  style: [DL3019]\n", "hadolint.yaml")
    got = found(check("--config", cfg, project / "Dockerfile"))
    assert ("L004", 3, "style", "DL3019") in got


def test_failure_threshold_default_is_hadolints_info(project):
    write(project, "override:\n  style: [DL3019, DL3042]\n")
    r = check("--select", "L004", project / "Dockerfile")
    assert found(r) and r.exit_code == 0  # style findings only: hadolint passes
    write(project, "override:\n  style: [DL3019, DL3042]\nfailure-threshold: none\n")
    assert check("--select", "L004", project / "Dockerfile").exit_code == 1
    write(project, "failure-threshold: error\n")
    assert check("--select", "L004", project / "Dockerfile").exit_code == 0


def test_rule_options_from_hadolint_settings(project):
    write(project, "trustedRegistries:\n  - docker.io\n  - my.registry:5000\nlabel-schema:\n  author: text\n"
                   "  created: rfc3339\nstrict-labels: true\n")
    s = settings_for(str(project / "Dockerfile"), ConfigFinder().for_path(str(project / "Dockerfile")))
    assert s.options == {"trusted-registries": ["docker.io", "my.registry:5000"],
                         "label-schema": {"author": "text", "created": "rfc3339"}, "strict-labels": True}


def test_disable_ignore_pragma(project):
    text = "# hadolint ignore=DL3007\nFROM alpine:latest\n"
    (project / "Dockerfile").write_text(text)
    assert found(check("--select", "B004", project / "Dockerfile")) == []
    write(project, "disable-ignore-pragma: true\n")
    assert [f[:2] for f in found(check("--select", "B004", project / "Dockerfile"))] == [("B004", 2)]
    (project / "Dockerfile").write_text("# dlint: ignore=B004\nFROM alpine:latest\n")
    assert [f[:2] for f in found(check("--select", "B004", project / "Dockerfile"))] == [("B004", 2)]


def test_output_keys_are_accepted(project):
    write(project, "no-color: true\nno-fail: false\nverbose: false\nformat: json\n")
    assert load_file(str(project / ".hadolint.yaml")).failure_threshold == "info"


def test_empty_hadolint_file(project):
    write(project, "# nothing yet\n")
    assert load_file(str(project / ".hadolint.yaml")).ignore == []


@pytest.mark.parametrize("content, message", [
    ("trusted-registries: [docker.io]\n", "unknown hadolint config key 'trusted-registries' (hadolint's key is `trustedRegistries`)"),
    ("bogus: 1\n", "unknown hadolint config key 'bogus'"),
    ("ignored: DL3008\n", "`ignored` must be a list of rule codes"),
    ("ignored: [3008]\n", "`ignored` must be a list of rule codes"),
    ("override:\n  fatal: [DL3008]\n", "unknown key 'fatal' under `override`"),
    ("override: [DL3008]\n", "`override` must be a mapping"),
    ("failure-threshold: severe\n", "`failure-threshold` must be one of"),
    ("trustedRegistries: docker.io\n", "`trustedRegistries` must be a list of registries"),
    ("label-schema:\n  author: person\n", "`label-schema.author` must be one of text, url"),
    ("label-schema: [author]\n", "`label-schema` must be a mapping"),
    ("strict-labels: 1\n", "`strict-labels` must be true or false"),
    ("disable-ignore-pragma: maybe\n", "`disable-ignore-pragma` must be true or false"),
    ("no-fail: 3\n", "`no-fail` must be true or false"),
    ("format: xml\n", "`format` must be one of"),
    ("- DL3008\n", "a hadolint config is a mapping"),
    ("ignored: [DL3008\n", "not valid YAML"),
])
def test_bad_hadolint_config_is_one_line_exit_2(project, content, message):
    write(project, content)
    r = check(project / "Dockerfile")
    assert r.exit_code == 2, r.output
    assert message in r.output and str(project / ".hadolint.yaml") in r.output
    assert "Traceback" not in r.output


# --- dlint config --from-hadolint ------------------------------------------------------------------------------

FULL = """\
# the team's settings
ignored:
  - DL3042        # pip cache: we use a cache mount
  - DL3059
  - DL3008
  - SC2086
override:
  error:
    - DL3006
  info: [DL3019]
  warning: []
failure-threshold: warning
trustedRegistries: [docker.io, "registry.example.com:5000"]
label-schema:
  author: text
  "org.opencontainers.image.created": rfc3339
strict-labels: true
disable-ignore-pragma: true
no-color: true
"""


def _comparable(cfg):
    return (cfg.select, sorted(cfg.extend_select), sorted(cfg.ignore), cfg.per_file_ignores, cfg.severity,
            cfg.failure_threshold, cfg.options, cfg.disable_ignore_pragma, cfg.target, cfg.build_args)


@pytest.mark.parametrize("text", [FULL, "ignored: [DL3019]\n", "{}\n", "failure-threshold: ignore\n"])
def test_from_hadolint_round_trip(project, monkeypatch, text):
    write(project, text)
    monkeypatch.chdir(project)
    r = CliRunner().invoke(main, ["config", "--from-hadolint"])
    assert r.exit_code == 0, r.output
    assert "[tool.dlint]" in r.stdout
    (project / "pyproject.toml").write_text(r.stdout)
    ours = load_file(str(project / "pyproject.toml"))
    theirs = load_file(str(project / ".hadolint.yaml"))
    assert _comparable(ours) == _comparable(theirs)


def test_from_hadolint_says_what_it_left_out(project):
    path = write(project, FULL)
    out = CliRunner().invoke(main, ["config", "--from-hadolint", str(path)]).stdout
    if not rules.hadolint_rules("SC2086"):
        assert "# SC2086: no dlint rule reports" in out
    assert "# no-color:" in out
    assert '"DL3042",  # L004' in out


def test_from_hadolint_errors(project, monkeypatch):
    monkeypatch.chdir(project)
    r = CliRunner().invoke(main, ["config", "--from-hadolint"])
    if not any(os.path.exists(os.path.join(d, n)) for d in (str(project), os.path.dirname(str(project)))
               for n in (".hadolint.yaml", ".hadolint.yml")):
        assert r.exit_code == 2 and "no .hadolint.yaml" in r.output
    write(project, "bogus: 1\n")
    r = CliRunner().invoke(main, ["config", "--from-hadolint"])
    assert r.exit_code == 2 and "unknown hadolint config key 'bogus'" in r.output
    assert CliRunner().invoke(main, ["config"]).exit_code == 2
