"""Time and memory stay bounded whatever the input: variables that double at each step, very many RUNs.

Each file runs through the real command with its address space limited, so that a run that builds huge
values fails with MemoryError (an internal error, or a killed process) instead of passing slowly."""
import os
import re

import pytest
from run_dlint import assert_no_crash, dlint, errors, out

resource = pytest.importorskip("resource")

GIB = 1024 ** 3


def limited(limit=GIB):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def doubling(keyword: str, n: int) -> str:
    return f"{keyword} A0=x\n" + "".join(f"{keyword} A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, n + 1))


# 40 doublings: the last value would be 2**40 characters (a terabyte). The first value past 65,535
# characters is A16 (2**16): A15 is measured exactly and not reported.
CASES = {
    "global-arg": doubling("ARG", 40) + "FROM debian:12 AS base\nCOPY app.py /srv/$A40/\nRUN echo hi\n",
    "stage-arg": "FROM debian:12\n" + doubling("ARG", 40) + "COPY app.py /srv/$A40/\nRUN chmod +x /srv/$A40/app.py\n",
    "env": "FROM debian:12\n" + doubling("ENV", 40) + "WORKDIR /srv/$A40\nCOPY app.py ./\nRUN chmod +x app.py\n",
    "from": doubling("ARG", 40) + "FROM debian:${A40}\nRUN echo hi\n",
}


@pytest.mark.parametrize("command", ["check", "fix", "layers"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_doubling_variables_stay_bounded_and_are_reported(tmp_path, name, command):
    (tmp_path / "Dockerfile").write_text(CASES[name])
    r = dlint(command, "Dockerfile", cwd=tmp_path, preexec_fn=limited())
    assert_no_crash(r)
    assert r.returncode in (0, 1), out(r)
    assert not errors(r), out(r)
    if command == "layers":
        return  # it prints no warnings
    line = CASES[name].splitlines().index(f"{'ENV' if name == 'env' else 'ARG'} A16=${{A15}}${{A15}}") + 1
    warnings = [w for w in out(r)[1].splitlines() if ": warning: " in w]
    assert warnings == [f"Dockerfile:{line}: warning: {'ENV' if name == 'env' else 'ARG'} A16: its value may "
                        f"expand to more than 65,535 characters; dlint treats it as unknown (and 24 more after it)"]


def test_many_references_to_a_long_value_stay_bounded(tmp_path):
    # One line of 16,000 references to a 32,768-character value: half a gigabyte if it were built.
    text = "FROM debian:12\n" + doubling("ENV", 15) + "ENV B=" + "$A15" * 16000 + "\nCOPY app.py /srv/$B/\n"
    (tmp_path / "Dockerfile").write_text(text)
    r = dlint("check", "Dockerfile", cwd=tmp_path, preexec_fn=limited())
    assert_no_crash(r)
    assert re.search(r"^Dockerfile:18: warning: ENV B: its value may expand", out(r)[1], re.M), out(r)


def test_values_under_the_limit_are_still_expanded(tmp_path):
    # A15 is 32,768 characters: known, so the copied file and its chmod are the same path (L006 fires).
    text = "FROM debian:12\n" + doubling("ENV", 15) + "COPY app.py /srv/$A15/\nRUN chmod +x /srv/${A15}/app.py\n"
    (tmp_path / "Dockerfile").write_text(text)
    r = dlint("check", "--select", "L006", "Dockerfile", cwd=tmp_path, preexec_fn=limited())
    assert_no_crash(r)
    assert ": warning: " not in out(r)[1]
    assert re.search(r"^Dockerfile:19:\d+: L006 ", out(r)[0], re.M), out(r)


def test_forty_thousand_runs_merge_into_one(tmp_path):
    # Merging them makes one && chain of 40,000 commands: walked in loops, not a call per operator (it was
    # "nested too deeply" after 2.5 GB), and a context recorded once per run of the same operator.
    n = 40_000
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n" + "".join(f"RUN echo {i}\n" for i in range(n)))
    r = dlint("fix", "--select", "L008", "Dockerfile", cwd=tmp_path, preexec_fn=limited())
    assert_no_crash(r)
    assert r.returncode == 0, out(r)
    text = (tmp_path / "Dockerfile").read_text()
    assert text == "FROM debian:12\nRUN " + " && \\\n    ".join(f"echo {i}" for i in range(n)) + "\n"
    r = dlint("check", "Dockerfile", cwd=tmp_path, preexec_fn=limited())
    assert_no_crash(r)
    assert r.returncode == 0, out(r)
