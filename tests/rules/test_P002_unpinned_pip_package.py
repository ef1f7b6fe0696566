"""P002 unpinned-pip-package: version specifiers, requirement files, local and VCS sources."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P002")]


def test_p002_reports_pip_and_python_m_pip_naming_the_packages():
    text = ("FROM python:3.12\n"
            "RUN pip install --no-cache-dir -U pip flask==3.0.3 \\\n"
            "    && python3 -m pip install requests\n"
            "RUN pip3.12 install --user httpie\n")
    ds = findings(text, "P002")
    assert [d.line for d in ds] == [2, 4]
    assert "`pip`" in ds[0].message and "`requests`" in ds[0].message and "flask" not in ds[0].message
    assert ds[0].severity == "warning"


@pytest.mark.parametrize("args", [
    "flask==3.0.3", "'requests>=2.31,<3'", "pkg~=1.4", "pkg!=2.0", "pkg===1.0",
    "git+https://github.com/org/repo@v1.2.0", "dist/app-1.0-py3-none-any.whl", "app-1.0.tar.gz", "./src",
    "/opt/pkg", ".[dev]", "-r requirements.txt flask", "--requirement=req.txt flask", "-c constraints.txt flask",
    "-e . flask", ".", "-i https://pypi.example/simple flask==1.0", "--target /opt/lib six==1.16.0",
    "--root-user-action ignore flask==3.0.3", "$PACKAGES",
])
def test_p002_pinned_or_from_files_is_not_reported(args):
    assert lines(f"FROM python:3.12\nARG PACKAGES\nRUN pip install {args}\n") == []


def test_p002_unpinned_vcs_url_is_reported():
    assert lines("FROM python:3.12\nRUN pip install git+https://github.com/org/repo\n") == [2]


def test_p002_not_pipx_nor_pip_download():
    assert lines("FROM python:3.12\nRUN pip download flask\nRUN pip uninstall -y flask\n") == []


def test_p002_heredoc_exec_form_onbuild():
    text = ("FROM python:3.12\n"
            "RUN <<EOF\npip install flask\nEOF\n"
            "RUN [\"pip\", \"install\", \"click\"]\n"
            "ONBUILD RUN pip install rich\n")
    assert lines(text) == [2, 5, 6]


def test_p002_reads_a_shell_with_options_after_c():
    text = 'FROM python:3.12\nSHELL ["/bin/bash", "--login", "-c", "-o", "pipefail"]\nRUN pip install flask\n'
    assert lines(text) == [3]


def test_p002_off_by_default_no_fix():
    assert BY_CODE["P002"].default_enabled is False and BY_CODE["P002"].hadolint == ("DL3013",)
    text = "FROM python:3.12\nRUN pip install flask\n"
    assert fixed(text, "P002", unsafe=True) == text


def test_p002_reads_uv_pip_install():
    text = ("FROM python:3.12\n"
            "RUN uv pip install --system ruff\n"
            "RUN uv pip install --system -r requirements.txt\n"
            "RUN uv pip install --python 3.12 ruff==0.6.9\n")
    assert lines(text) == [2]
