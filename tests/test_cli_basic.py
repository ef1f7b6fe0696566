import json
import subprocess
import sys

from click.testing import CliRunner

from dlint.cli import main


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input)


def test_check_reports_update_without_install_and_exits_1(tmp_path):
    p = tmp_path / "Dockerfile"
    p.write_text("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n")
    r = run(["check", "--format", "json", str(p)])
    assert r.exit_code == 1, r.output
    codes = [d["code"] for d in json.loads(r.output)]
    assert "L001" in codes


def test_python_dash_m_entry_point(tmp_path):
    p = tmp_path / "Dockerfile"
    p.write_text("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n")
    r = subprocess.run([sys.executable, "-m", "dlint", "check", "--select", "L001", str(p)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
