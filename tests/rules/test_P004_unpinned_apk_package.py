"""P004 unpinned-apk-package: version operators, .apk files, options that take a value."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P004")]


def test_p004_reports_apk_add_naming_the_packages():
    text = "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.5-r0 \\\n    && apk add make\n"
    [d] = findings(text, "P004")
    assert d.line == 2 and "`gcc`" in d.message and "`make`" in d.message
    assert ".build-deps" not in d.message and "musl" not in d.message


@pytest.mark.parametrize("args", [
    "curl=8.9.1-r0", "curl~8.9", "'curl>8'", "'curl<9'", "/tmp/pkg.apk", "-X https://mirror/edge/main curl=8",
    "--repository https://mirror/edge curl~8", "-t .deps curl=8.9.1-r0", "$PACKAGES",
])
def test_p004_pinned_is_not_reported(args):
    assert lines(f"FROM alpine:3.20\nARG PACKAGES\nRUN apk add {args}\n") == []


def test_p004_other_apk_commands_are_not_reported():
    assert lines("FROM alpine:3.20\nRUN apk update && apk upgrade && apk del curl\n") == []


def test_p004_reads_env_lists_heredocs_exec_form_onbuild():
    text = ("FROM alpine:3.20\n"
            "ENV RUNTIME_DEPS=\"ca-certificates tzdata=2024b-r0\"\n"
            "RUN apk add $RUNTIME_DEPS\n"
            "RUN <<EOF\napk add bash\nEOF\n"
            "RUN [\"apk\", \"add\", \"git\"]\n"
            "ONBUILD RUN apk add jq\n")
    ds = findings(text, "P004")
    assert [d.line for d in ds] == [3, 4, 7, 8]
    assert "`ca-certificates`" in ds[0].message and "tzdata" not in ds[0].message


def test_p004_hadolint_pragma_and_no_fix():
    assert BY_CODE["P004"].default_enabled is False
    text = "FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add curl\n"
    assert lines(text) == []
    assert fixed(text, "P004", unsafe=True) == text
