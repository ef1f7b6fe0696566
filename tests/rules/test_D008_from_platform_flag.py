"""D008: FROM --platform with a platform that does not follow the build."""
import pytest

from dlint.testing import findings


@pytest.mark.parametrize("flag", ["--platform=linux/amd64", "--platform=linux/${arch}", "--platform=$MYPLATFORM",
                                  "--platform=\"linux/arm64\""])
def test_fixed_platforms_are_reported(flag):
    [d] = findings(f"FROM {flag} alpine:3.22 AS a\nRUN true\n", "D008")
    assert d.line == 1 and d.column == 6


@pytest.mark.parametrize("flag", ["--platform=$BUILDPLATFORM", "--platform=${TARGETPLATFORM}",
                                  "--platform=$BUILDOS/$BUILDARCH", "--platform=linux/$TARGETARCH", ""])
def test_the_build_s_own_platforms_and_no_flag_are_not_reported(flag):
    assert not findings(f"FROM {flag} alpine:3.22\n", "D008")


def test_every_stage_is_checked_and_escape_is_read():
    text = "# escape=`\nFROM --platform=linux/amd64 `\n  golang:1.23 AS build\nFROM --platform=linux/arm64 scratch\n"
    assert [d.line for d in findings(text, "D008")] == [2, 4]
