"""R001 pointless-command-in-run."""
import pytest

from dlint.testing import findings, fixed

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run,name", [
    ("RUN service nginx start", "service"),
    ("RUN apt-get install -y vim && vim /etc/x", "vim"),
    ("RUN ps aux", "ps"),
    ("RUN sudo shutdown -h now", "shutdown"),
    ("RUN mount -t tmpfs none /mnt", "mount"),
    ("RUN /sbin/ifconfig", "ifconfig"),
    ("RUN kill 1", "kill"),
    ("RUN free -m && top -b -n1", "free"),
    ("ONBUILD RUN ssh host true", "ssh"),
    ("RUN <<EOF\nservice mysql start\nEOF", "service"),
])
def test_reports(run, name):
    found = findings(BASE + run + "\n", "R001")
    assert found and f"`{name}`" in found[0].message


@pytest.mark.parametrize("run", ["RUN apt-get install -y vim procps", "RUN ssh-keygen -A", "RUN echo ps",
                                 "RUN command -v ps", "RUN killall x || true", "RUN mountpoint /x"])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R001") == []


def test_windows_shell_not_read_and_no_fix():
    assert findings(BASE + 'SHELL ["cmd", "/S", "/C"]\nRUN ps\n', "R001") == []
    text = BASE + "RUN ps\n"
    assert fixed(text, "R001", unsafe=True) == text
