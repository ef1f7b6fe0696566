"""A dependency missing from the Python that runs dlint (as when the image benchmark ran dlint from the source
tree with a system Python): one line naming the package and how to install it, exit 2, not an internal error."""
import os
import subprocess
import sys

import click
import pytest

from run_dlint import ROOT


@pytest.mark.parametrize("args,files", [
    (["check", "d"], 1), (["check", "d"], 30), (["fix", "--diff", "d"], 1), (["layers", "d/Dockerfile.0"], 1)])
def test_missing_tree_sitter_is_one_clear_line(tmp_path, args, files):
    (tmp_path / "d").mkdir()
    for i in range(files):
        (tmp_path / "d" / f"Dockerfile.{i}").write_text("FROM debian:12\nRUN apt-get update\n")
    only_click = tmp_path / "site"
    only_click.mkdir()
    os.symlink(os.path.dirname(click.__file__), only_click / "click")
    code = (f"import sys; sys.path[:0] = [{ROOT!r}, {str(only_click)!r}]\n"
            "import importlib.util\n"
            "assert importlib.util.find_spec('tree_sitter') is None\n"
            f"sys.argv = ['dlint'] + {args!r}\n"
            "from dlint.entry import main\nmain()\n")
    p = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 2, (p.stdout, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert "tree-sitter" in lines[0] and "pip install dlint" in lines[0] and "pip install tree-sitter" in lines[0]
    assert "internal error" not in p.stderr and "a bug in dlint" not in p.stderr and "Traceback" not in p.stderr
