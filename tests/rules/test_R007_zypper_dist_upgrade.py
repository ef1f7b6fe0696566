"""R007 zypper-dist-upgrade."""
import pytest

from dlint.testing import findings, fixed


@pytest.mark.parametrize("run", ["RUN zypper dist-upgrade", "RUN zypper -n dup && zypper clean",
                                 "ONBUILD RUN zypper dup", "RUN <<EOF\nzypper --non-interactive dup\nEOF"])
def test_reports(run):
    [d] = findings("FROM opensuse/leap\n" + run + "\n", "R007")
    assert "dist" in d.message or "dup" in d.message


@pytest.mark.parametrize("run", ["RUN zypper patch", "RUN zypper update -y", "RUN echo zypper dup",
                                 "RUN zypper in dup"])
def test_not_reported(run):
    assert findings("FROM opensuse/leap\n" + run + "\n", "R007") == []


def test_no_fix():
    text = "FROM opensuse/leap\nRUN zypper dup\n"
    assert fixed(text, "R007", unsafe=True) == text
