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
