"""R013 apk-add-without-no-cache: the cache removed by hand where one option would do."""
import pytest

from dlint.testing import findings, fixed

TEXT = "FROM alpine:3.21\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n"


def test_reported_with_the_option_in_place_of_update():
    [d] = findings(TEXT, "R013")
    assert d.line == 2 and d.hadolint == "DL3019" and d.fix.applicability == "safe"
    assert fixed(TEXT, "R013") == "FROM alpine:3.21\nRUN apk add --no-cache curl && rm -rf /var/cache/apk/*\n"


def test_without_update_the_option_follows_add():
    text = "FROM alpine:3.21\nRUN apk add curl && rm -rf /var/cache/apk/*\n"
    assert "apk add --no-cache curl" in fixed(text, "R013")


@pytest.mark.parametrize("run", [
    "apk add --no-cache curl",  # already
    "apk add curl",  # the cache stays: cache-left-in-layer reports it
    "--mount=type=cache,target=/var/cache/apk apk add curl",  # kept out of the layer on purpose
    "apk add --no-network --virtual .rundeps so:libc.musl && rm -rf /var/cache/apk/*",  # fetches nothing
    "apk del .build-deps && rm -rf /var/cache/apk/*",  # no add
    "apk -U upgrade && apk add curl && rm -rf /var/cache/apk/*",  # the upgrade's index needs the rm anyway
])
def test_not_reported(run):
    assert findings(f"FROM alpine:3.21\nRUN {run}\n", "R013") == []


def test_a_later_reader_of_the_index_blocks_the_fix_and_a_program_makes_it_unsafe():
    text = "FROM alpine:3.21\nRUN apk add -U curl && apk policy curl && rm -rf /var/cache/apk/*\n"
    [d] = findings(text, "R013")
    assert d.fix is None and "line 2" in d.no_fix_reason
    text = "FROM alpine:3.21\nRUN apk add -U gcc && make && rm -rf /var/cache/apk/*\n"
    [d] = findings(text, "R013")
    assert d.fix.applicability == "unsafe"
    assert fixed(text, "R013") == text and "apk add --no-cache gcc" in fixed(text, "R013", unsafe=True)


def test_an_update_before_the_add_is_not_needed_either():
    text = "FROM alpine:3.21\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*\n"
    [d] = findings(text, "R013")
    assert "`apk update`" in d.message and d.fix.applicability == "safe"
    assert "apk update && apk add --no-cache curl" in fixed(text, "R013")


@pytest.mark.parametrize("run,change", [
    ("RUN apk add -U curl && mkdir -p /srv && rm -rf /var/cache/apk/*",
     lambda argv: argv.replace("apk add -U", "apk add --no-cache")),
    ("RUN set -e; apk update; apk add --virtual .b gcc; apk del .b; rm -rf /var/cache/apk/*",
     lambda argv: argv.replace("apk add", "apk add --no-cache")),
    ("RUN cd /tmp && apk add --update curl || true && rm -rf /var/cache/apk/*",
     lambda argv: argv.replace("apk add --update", "apk add --no-cache")),
])
def test_fix_keeps_every_command_and_failure(box, run, change):
    from option_fix_proof import assert_only_change

    text = "FROM alpine:3.21\n" + run + "\n"
    after = fixed(text, "R013")
    assert after != text
    assert assert_only_change(box, text, after, change) >= 2  # no failure, then each apk call failing


def test_fix_under_a_shell_with_errexit_and_in_every_stage(box):
    from option_fix_proof import assert_only_change

    text = ("FROM alpine:3.21 AS build\nRUN apk add -U gcc && rm -rf /var/cache/apk/*\n"
            "FROM alpine:3.21\nSHELL [\"/bin/sh\", \"-e\", \"-c\"]\nRUN apk add -U curl; apk del curl; rm -rf /var/cache/apk/*\n")
    after = fixed(text, "R013")
    assert after.count("apk add --no-cache") == 2 and "-U" not in after
    assert assert_only_change(box, text, after, lambda argv: argv.replace("apk add -U", "apk add --no-cache")) >= 3
