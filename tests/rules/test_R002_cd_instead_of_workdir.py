"""R002 cd-instead-of-workdir."""
import pytest

from dlint.testing import findings, fixed

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run", ["RUN cd /app && make", "RUN make -C a && cd b && make && cd ..",
                                 "ONBUILD RUN cd /src && ./build.sh", "RUN <<EOF\ncd /app\nmake\nEOF",
                                 "RUN (cd /x && make)", "RUN if true; then cd /x; fi"])
def test_one_finding_per_run(run):
    [d] = findings(BASE + run + "\n", "R002")
    assert "WORKDIR" in d.message


@pytest.mark.parametrize("run", ["RUN make -C /app", "RUN echo cd /app", "RUN abcd /x", "RUN sudo cd /x"])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R002") == []


def test_reported_on_the_run_naming_where_the_cd_is_and_no_fix():
    text = BASE + "RUN apt-get update && \\\n    cd /app && make\n"
    [d] = findings(text, "R002")
    assert (d.line, d.column) == (2, 1)  # the RUN's first line, where hadolint reports DL3003 too
    assert d.message.startswith("`cd` (line 3, column 5) in a RUN")
    assert fixed(text, "R002", unsafe=True) == text


def test_powershell_cd_is_not_read():
    assert findings(BASE + 'SHELL ["powershell", "-Command"]\nRUN cd C:\\app; make\n', "R002") == []
