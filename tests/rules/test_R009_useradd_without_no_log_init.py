"""R009 useradd-without-no-log-init."""
import pytest

from dlint.testing import findings, fixed
from option_fix_proof import adds_after, assert_only_change

BASE = "FROM debian:12\n"


@pytest.mark.parametrize("run,uid", [
    ("RUN useradd -u 123456 luser", "123456"),
    ("RUN useradd luser -u 250520 -m", "250520"),
    ("RUN useradd --uid 100000 luser", "100000"),
    ("RUN useradd --uid=1000000 luser", "1000000"),
    ("RUN useradd -mu 123456 luser", "123456"),
    ("RUN useradd -u123456 luser", "123456"),
    ("RUN sudo useradd -u 123456 luser", "123456"),
    ("ONBUILD RUN useradd -u 123456 luser", "123456"),
    ("RUN <<EOF\nuseradd -u 123456 luser\nEOF", "123456"),
    ('RUN ["useradd", "-u", "123456", "luser"]', "123456"),
])
def test_reports_a_high_uid_without_l(run, uid):
    [d] = findings(BASE + run + "\n", "R009")
    assert f"UID {uid}" in d.message


@pytest.mark.parametrize("run", [
    "RUN useradd luser",
    "RUN useradd -u 12345 luser",
    "RUN useradd -u 99999 luser",
    "RUN useradd -l -u 123456 luser",
    "RUN useradd --no-log-init -u 123456 luser",
    "RUN useradd -lu 123456 luser",
    "ENV APP_UID=1001\nRUN useradd -u $APP_UID luser",  # an ENV value is what the RUN gets
    "RUN useradd -c 'u 123456' luser",
    "RUN adduser -u 123456 -D luser",
])
def test_not_reported(run):
    assert findings(BASE + run + "\n", "R009") == []


@pytest.mark.parametrize("before,after", [
    ("RUN useradd -u 123456 -m app\n", "RUN useradd -l -u 123456 -m app\n"),
    ("RUN groupadd -g 123456 app && \\\n    useradd -u 123456 -g app app\n",
     "RUN groupadd -g 123456 app && \\\n    useradd -l -u 123456 -g app app\n"),
    ('RUN ["useradd", "-u", "123456", "app"]\n', 'RUN ["useradd", "-l", "-u", "123456", "app"]\n'),
])
def test_fix(before, after):
    assert fixed(BASE + before, "R009") == BASE + after
    assert findings(BASE + after, "R009") == []


@pytest.mark.parametrize("run", [
    "RUN useradd -u 123456 app || ok1\n",
    "RUN ok1 && useradd -u 123456 app; bad1 || ok2\n",
    "RUN set -e; if ok1; then useradd -u 123456 app; fi; ok2\n",
])
def test_fix_keeps_every_command_and_failure(box, run):
    text = BASE + run
    assert assert_only_change(box, text, fixed(text, "R009"), adds_after("useradd", "-l")) >= 2


@pytest.mark.parametrize("text", [
    "ARG USER_UID=1000\nRUN useradd --uid $USER_UID -m dev",  # --build-arg USER_UID=$(id -u) may be high
    "RUN useradd -u ${LONG_USER_ID} luser",
    "RUN useradd -u ${HOST_UID:-1000} luser",
])
def test_a_uid_a_build_argument_may_set_is_reported(text):
    [d] = findings(BASE + text + "\n", "R009")
    assert "build argument" in d.message and d.fix is not None


def test_a_high_uid_from_env_is_reported_with_its_value():
    [d] = findings(BASE + "ENV APP_UID 200000\nRUN useradd -u $APP_UID app\n", "R009")
    assert "UID 200000" in d.message
