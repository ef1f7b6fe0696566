"""Configuration: discovery, validation, and its effect on `dlint check`."""
import json

import pytest
from click.testing import CliRunner

from dlint.cli import main
from dlint.config import ConfigError, ConfigFinder, load_file

# L001 fires on line 2 (warning); L008 (consecutive RUNs, off by default) would fire there too.
DOCKERFILE = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"


def check(*args):
    return CliRunner().invoke(main, ["check", "--format", "json", *map(str, args)])


def codes(result):
    return sorted({d["code"] for d in json.loads(result.stdout)})


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


# --- discovery ----------------------------------------------------------------------------------------------

def test_no_config_uses_defaults(project):
    r = check(project / "Dockerfile")
    assert r.exit_code == 1 and "L001" in codes(r)


def test_dlint_toml(project):
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    r = check(project / "Dockerfile")
    assert "L001" not in codes(r)


def test_pyproject_tool_dlint(project):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.dlint]\nignore = ["update-without-install"]\n')
    assert "L001" not in codes(check(project / "Dockerfile"))


def test_pyproject_without_tool_dlint_is_passed_over(project):
    sub = project / "sub"
    sub.mkdir()
    (sub / "Dockerfile").write_text(DOCKERFILE)
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    assert "L001" not in codes(check(sub / "Dockerfile"))


def test_dlint_toml_wins_over_pyproject_in_the_same_directory(project):
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    (project / "pyproject.toml").write_text('[tool.dlint]\nselect = ["L001"]\n')
    assert "L001" not in codes(check(project / "Dockerfile"))


def test_nearest_config_upward_per_file(project):
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    deep = project / "services" / "api"
    deep.mkdir(parents=True)
    (deep / "Dockerfile").write_text(DOCKERFILE)
    (project / "services" / ".dlint.toml").write_text("extend-select = [\"L008\"]\n")
    r = check(project)
    by_file = {}
    for d in json.loads(r.stdout):
        by_file.setdefault(d["file"], set()).add(d["code"])
    assert by_file[str(deep / "Dockerfile")] >= {"L001", "L008"}  # the nearer config, not merged with the top one
    assert "L001" not in by_file.get(str(project / "Dockerfile"), set())


def test_explicit_config_overrides_discovery(project, tmp_path_factory):
    (project / ".dlint.toml").write_text('ignore = ["L001"]\n')
    other = tmp_path_factory.mktemp("cfg") / "strict.toml"
    other.write_text('select = ["L001"]\n')
    r = check("--config", other, project / "Dockerfile")
    assert codes(r) == ["L001"]


def test_finder_for_a_directory_starts_in_it(project):
    (project / ".dlint.toml").write_text('failure-threshold = "error"\n')
    assert ConfigFinder().for_path(str(project)).failure_threshold == "error"
    assert ConfigFinder().for_path(str(project / "Dockerfile")).failure_threshold == "error"


# --- options ------------------------------------------------------------------------------------------------

def test_select_and_extend_select(project):
    (project / ".dlint.toml").write_text('select = ["L008"]\n')
    assert codes(check(project / "Dockerfile")) == ["L008"]
    (project / ".dlint.toml").write_text('extend-select = ["consecutive-runs"]\n')
    assert {"L001", "L008"} <= set(codes(check(project / "Dockerfile")))


def test_select_by_prefix(project):
    (project / ".dlint.toml").write_text('select = ["L"]\nignore = ["L002"]\n')
    found = set(codes(check(project / "Dockerfile")))
    assert "L001" in found and all(c.startswith("L") for c in found) and "L002" not in found


def test_command_line_select_and_ignore(project):
    assert codes(check("--select", "L001", project / "Dockerfile")) == ["L001"]
    assert "L001" not in codes(check("--ignore", "update-without-install", project / "Dockerfile"))
    assert codes(check("--select", "L001,L008", project / "Dockerfile")) == ["L001", "L008"]


def test_per_file_ignores(project):
    sub = project / "images"
    sub.mkdir()
    (sub / "base.Dockerfile").write_text(DOCKERFILE)
    (project / ".dlint.toml").write_text('[per-file-ignores]\n"images/*.Dockerfile" = ["L001"]\n')
    found = {(d["file"], d["code"]) for d in json.loads(check(project).stdout)}
    assert (str(project / "Dockerfile"), "L001") in found
    assert (str(sub / "base.Dockerfile"), "L001") not in found


def test_severity_override(project):
    (project / ".dlint.toml").write_text('[severity]\nL001 = "error"\n')
    r = check(project / "Dockerfile")
    assert [d["severity"] for d in json.loads(r.stdout) if d["code"] == "L001"] == ["error"]


def test_failure_threshold(project):
    (project / ".dlint.toml").write_text('select = ["L001"]\nfailure-threshold = "error"\n')
    r = check(project / "Dockerfile")
    assert r.exit_code == 0 and codes(r) == ["L001"]  # reported, but below the threshold
    r = check(project)  # a directory argument reads the same config
    assert r.exit_code == 0
    r = check("--failure-threshold", "warning", project / "Dockerfile")
    assert r.exit_code == 1
    (project / ".dlint.toml").write_text('select = ["L001"]\nfailure-threshold = "error"\n[severity]\nL001 = "error"\n')
    assert check(project / "Dockerfile").exit_code == 1


def test_exit_zero(project):
    assert check("--exit-zero", project / "Dockerfile").exit_code == 0


# --- errors -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    ('selct = ["L001"]\n', "unknown config key(s): selct"),
    ('select = ["L999"]\n', "unknown rule 'L999'"),
    ('ignore = ["no-such-rule"]\n', "unknown rule 'no-such-rule'"),
    ('[per-file-ignores]\n"*.Dockerfile" = ["Z1"]\n', "unknown rule 'Z1'"),
    ('[severity]\nL001 = "fatal"\n', "severity for L001 must be one of"),
    ('[severity]\nL998 = "error"\n', "unknown rule 'L998'"),
    ('failure-threshold = "high"\n', "failure-threshold must be one of"),
    ('select = "L001\n', "cannot read config"),
    ("select = [1]\n", "must be a list of strings"),
])
def test_config_errors_exit_2_with_a_clear_message(project, content, message):
    (project / ".dlint.toml").write_text(content)
    r = check(project / "Dockerfile")
    assert r.exit_code == 2
    assert message in r.output and ".dlint.toml" in r.output
    assert "Traceback" not in r.output


def test_unknown_key_in_pyproject(project):
    (project / "pyproject.toml").write_text('[tool.dlint]\nignor = ["L001"]\n')
    r = check(project / "Dockerfile")
    assert r.exit_code == 2 and "unknown config key(s): ignor" in r.output and "pyproject.toml" in r.output


def test_missing_explicit_config(project):
    r = check("--config", project / "nope.toml", project / "Dockerfile")
    assert r.exit_code == 2 and "config file not found" in r.output


def test_unknown_rule_on_the_command_line(project):
    r = check("--select", "L999", project / "Dockerfile")
    assert r.exit_code == 2 and "unknown rule 'L999'" in r.output


def test_load_file_reports_the_path(tmp_path):
    bad = tmp_path / ".dlint.toml"
    bad.write_text("target = 3\n")
    with pytest.raises(ConfigError, match=r"\.dlint\.toml: `target` must be a string"):
        load_file(str(bad))
