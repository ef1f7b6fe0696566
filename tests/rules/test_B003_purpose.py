"""B003 is quiet where the toolchain is the point or was in the base already."""
import pytest

from dlint.testing import findings


def b003(text, path="Dockerfile"):
    return findings(text, "B003", path=path)


INSTALL = "RUN apt-get update && apt-get install -y --no-install-recommends gcc make libssl-dev\n"


def test_an_application_with_a_toolchain_is_reported():
    text = f"FROM debian:13\n{INSTALL}COPY . /app\nRUN make -C /app\nCMD [\"/app/server\"]\n"
    assert len(b003(text)) == 1


@pytest.mark.parametrize("tail", [
    'ENV DAPPER_SOURCE /go/src/x\nENTRYPOINT ["./scripts/entry"]\nCMD ["ci"]\n',   # dapper CI image
    'ENTRYPOINT ["./scripts/entry"]\n',
    'CMD ["ci"]\n',
    'CMD ["swift", "build"]\n',
    'CMD ["cargo", "build", "--release"]\n',
    'CMD make test\n',
    'ENV RAILS_ENV=development\nCMD ["rails", "server"]\n',
    'ENV NODE_ENV development\nCMD ["node", "index.js"]\n',
    'ENV APP_ENV=dev\nCMD ["/app/server"]\n',
    'ENTRYPOINT ["pip", "install"]\n',                                              # builds packages as it runs
    'CMD ["python3"]\n',                                                            # an SDK image to extend
])
def test_environment_and_sdk_images_are_quiet(tail):
    assert b003(f"FROM debian:13\n{INSTALL}COPY . /app\n{tail}") == []


@pytest.mark.parametrize("base", ["python:3.13", "node:22-bookworm", "ruby:3.3", "buildpack-deps:bookworm",
                                  "gcc:14", "golang:1.25", "centos/s2i-base-centos7"])
def test_base_that_already_holds_a_toolchain_is_quiet(base):
    text = f"FROM {base}\n{INSTALL}COPY . /app\nCMD [\"/app/server\"]\n"
    assert b003(text) == []


@pytest.mark.parametrize("base", ["python:3.13-slim", "node:22-alpine"])
def test_slim_and_alpine_tags_do_not_hold_a_toolchain(base):
    install = INSTALL if "alpine" not in base else "RUN apk add --no-cache gcc make\n"
    text = f"FROM {base}\n{install}COPY . /app\nRUN make -C /app\nCMD [\"/app/server\"]\n"
    assert len(b003(text)) == 1
