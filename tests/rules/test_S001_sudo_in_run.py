"""S001 sudo-in-run."""
import pytest

from dlint.testing import findings, fixed

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run", ["RUN sudo apt-get update", "RUN ok && /usr/bin/sudo -E make install",
                                 "ONBUILD RUN sudo ls", "RUN <<EOF\nsudo ls\nEOF",
                                 "RUN sh -c 'sudo ls'", 'RUN ["sudo", "ls"]'])
def test_reports(run):
    assert len(findings(BASE + run + "\n", "S001")) == 1


@pytest.mark.parametrize("run", ["RUN apt-get install -y sudo", "RUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app",
                                 "RUN command -v sudo"])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "S001") == []


def test_powershell_not_read_and_no_fix():
    assert findings(BASE + 'SHELL ["pwsh", "-c"]\nRUN sudo x\n', "S001") == []
    text = BASE + "RUN sudo ls\n"
    assert fixed(text, "S001", unsafe=True) == text
