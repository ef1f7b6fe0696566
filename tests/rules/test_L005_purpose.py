"""L005 reports where an image ships (an application or a base to extend), and only installs that can
bring recommended packages into the layer."""
import pytest

from dlint.testing import findings


def l005(text, path="Dockerfile"):
    return findings(text, "L005", path=path)


def app(run, head="FROM debian:12\n", tail='COPY . /app\nCMD ["/app/server"]\n'):
    return f"{head}{run}\n{tail}"


def test_application_image_is_reported():
    assert len(l005(app("RUN apt-get update && apt-get install -y curl"))) == 1


def test_base_to_extend_is_reported():
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y python3\nCMD [\"python3\"]\n"
    assert len(l005(text)) == 1


@pytest.mark.parametrize("tail, path", [
    ('CMD ["make", "test"]\n', "Dockerfile"),
    ('ENV DAPPER_SOURCE /src\nENTRYPOINT ["./scripts/entry"]\n', "Dockerfile"),
    ('ENV NODE_ENV=development\nCMD ["node", "i.js"]\n', "Dockerfile"),
    ('CMD ["/app/server"]\n', ".devcontainer/Dockerfile"),
    ('CMD ["/app/server"]\n', "ci/Dockerfile"),
    ('CMD ["/app/server"]\n', "Dockerfile.test"),
    ('EXPOSE 22\nCMD ["/usr/sbin/sshd", "-D"]\n', "Dockerfile"),
])
def test_ci_build_dev_test_and_login_images_are_quiet(tail, path):
    text = f"FROM debian:12\nRUN apt-get update && apt-get install -y curl\n{tail}"
    assert l005(text, path) == []


@pytest.mark.parametrize("run", [
    "RUN apt-get update && apt-get install -y $buildDeps && make && apt-get purge -y --auto-remove $buildDeps",
    "RUN apt-get update && apt-get install -y $DEPS && make && apt-get remove --purge -y $DEPS && apt-get autoremove -y --purge",
    "RUN apt-get update && apt-get install -y gcc make && make && apt-mark auto gcc make && apt-get purge -y --auto-remove",
    "RUN apt-get update && apt-get install -y gcc tzdata && make && apt-get purge -y --auto-remove gcc",
    "RUN apt-get update && apt-get install -y tzdata ca-certificates locales gosu",
])
def test_nothing_with_recommends_stays(run):
    assert l005(app(run)) == []


@pytest.mark.parametrize("run", [
    "RUN apt-get update && apt-get install -y gcc libpq5 && make && apt-get purge -y --auto-remove gcc",
    "RUN apt-get update && apt-get install -y $DEPS curl && make && apt-get purge -y --auto-remove $DEPS",
    "RUN apt-get update && apt-get install -y gcc && make && apt-get purge -y gcc",   # no autoremove
    "RUN apt-get update && apt-get install -y tzdata $EXTRA",
])
def test_something_with_recommends_stays(run):
    assert len(l005(app(run))) == 1
