import pytest

from dlint.fixer import fix_text
from dlint.settings import Settings
from dlint.testing import findings, fixed
from snippets import strict_findings, fixed_by, LIST_RULES


def test_apt_lists_left_in_the_layer():
    [d] = findings("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "L004")
    assert d.line == 2 and d.fix is not None and "/var/lib/apt/lists" in d.message


def test_fix_adds_the_cleanup_to_the_same_run():
    new = fixed("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "L004")
    assert "rm -rf /var/lib/apt/lists/*" in new and new.count("RUN ") == 1


def test_pip_gets_its_flag():
    assert "--no-cache-dir" in fixed("FROM python:3.12\nRUN pip install flask\n", "L004")


def test_a_build_stage_is_not_reported():
    text = "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y curl\nFROM scratch\nCOPY --from=build /x /x\n"
    assert findings(text, "L004") == []


@pytest.mark.parametrize("run", [
    "apt-get update && apt-get install -y curl && apt-get dist-clean",
    "apt-get update && apt-get install -y curl && apt-get distclean",
    "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
    "--mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl",
])
def test_l004_lists_removed_or_never_in_the_layer(run):
    assert strict_findings(f"FROM debian:13\nRUN {run}\n", "L004") == []


def test_l004_apk_no_network_downloads_nothing():
    assert strict_findings("FROM alpine:3.22\nRUN apk add --no-network --allow-untrusted /tmp/x.apk\n", "L004") == []


def test_l004_apt_get_clean_leaves_the_lists_and_the_message_names_the_command():
    text = ("FROM debian:12\n"
            "RUN set -eux; \\\n"
            "    apt-get update; apt-get install -y curl; \\\n"
            "    apt-get clean\n")
    [d] = strict_findings(text, "L004")
    assert d.line == 2 and "`apt-get update` (line 3, column 5)" in d.rendered_message
    assert d.fix is not None
    assert "rm -rf /var/lib/apt/lists/*" in fixed_by(text, {"L004"})


def test_l004_every_run_that_leaves_the_lists_is_reported():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "RUN echo between\n"
            "RUN apt-get install -y git && rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(text, "L004", LIST_RULES)
    assert d.line == 2 and d.fix is None and "line 4 may install from these lists" in d.rendered_message


@pytest.mark.parametrize("child", [
    "RUN apt-get install -y git",
    "RUN sh -c \"apt-get install -y git\"",
])
def test_l004_no_cleanup_in_a_stage_a_child_stage_installs_from(child):
    text = ("FROM debian:12 AS base\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "FROM base\n"
            f"{child}\n")
    [d] = strict_findings(text, "L004")
    assert d.line == 2 and d.fix is None and "line 4" in d.rendered_message
    assert fixed_by(text, {"L004"}) == text


@pytest.mark.parametrize("later", ["RUN ./build.sh", "RUN make && make install", "RUN bash -c \"$SCRIPT\""])
def test_l004_cleanup_is_unsafe_when_a_later_run_runs_code_it_does_not_show(later):
    for text in ("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n" + later + "\n",
                 "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\n" + later + "\n"):
        [d] = strict_findings(text, "L004")
        assert d.fix is not None and d.fix.applicability == "unsafe" and "assumes line" in d.fix.title
        assert fixed_by(text, {"L004"}) == text  # dlint fix leaves it
        new, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L004"}), True)  # --unsafe-fixes
        assert problem is None and "rm -rf /var/lib/apt/lists/*" in new


def test_l004_cleanup_appended_when_no_one_uses_the_lists_later():
    text = ("FROM debian:12 AS base\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "FROM base\n"
            "RUN echo done\n")
    assert fixed_by(text, {"L004"}) == ("FROM debian:12 AS base\n"
                                     "RUN apt-get update && apt-get install -y curl && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\n"
                                     "FROM base\n"
                                     "RUN echo done\n")


def test_l004_leaves_update_only_runs_to_l001():
    text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert strict_findings(text, "L004", LIST_RULES) == []
    assert len(strict_findings(text, "L004")) == 1


def test_l004_reports_a_run_that_consecutive_installs_merges_without_a_fix():
    # Each RUN keeps the lists in its layer (hadolint's DL3009 on lines 2 and 3); L002 merges the two, so a
    # cleanup appended to line 2 would run before line 3's install: that finding has no fix.
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "RUN apt-get update && apt-get install -y git\n")
    ds = strict_findings(text, "L004", LIST_RULES)
    assert [(d.line, d.hadolint) for d in ds] == [(2, "DL3009"), (3, "DL3009")]
    assert ds[0].fix is None and "merges this RUN with the next one (line 3)" in ds[0].no_fix_reason
    assert ds[1].fix is not None
    after = fixed_by(text, LIST_RULES)
    assert after.count("RUN ") == 1 and after.count("rm -rf /var/lib/apt/lists/*") == 1
    assert after.index("install -y git") < after.index("rm -rf /var/lib/apt/lists/*")


PIP_TWICE = "FROM python:3.13-slim\nRUN pip install flask\nRUN pip install gunicorn\n"


def test_l004_pip_run_merged_by_consecutive_installs_is_reported_without_a_fix():
    ds = strict_findings(PIP_TWICE, "L004", LIST_RULES)
    assert [(d.line, d.hadolint, d.fix is None) for d in ds] == [(2, "DL3042", True), (3, "DL3042", False)]
    after = fixed_by(PIP_TWICE, LIST_RULES)
    assert after.count("RUN ") == 1 and after.count("--no-cache-dir") == 2


def test_l004_keeps_its_fix_when_consecutive_installs_is_off_or_silent():
    # L002 is off by default: each RUN gets its flag
    assert [d.fix is not None for d in strict_findings(PIP_TWICE, "L004")] == [True, True]
    # a CI image: consecutive-installs leaves it alone, so nothing merges the RUNs
    ci = PIP_TWICE.replace("FROM python:3.13-slim", "FROM python:3.13-slim AS ci") + "RUN pytest\n"
    assert strict_findings(ci, "L002", LIST_RULES) == []
    assert [d.fix is not None for d in strict_findings(ci, "L004", LIST_RULES)] == [True, True]
