"""B002 is an error: a stage built FROM scratch that brings in a whole root filesystem has a shell."""
import pytest

from dlint.config import Config
from dlint.checking import check_source
from dlint.settings import settings_for


def b002(text):
    s = settings_for("Dockerfile", Config(), select=["B002"])
    result = check_source("Dockerfile", text.encode(), s)
    assert not result.problems, result.problems
    return result.diagnostics


@pytest.mark.parametrize("copy", [
    "ADD rootfs.tar.xz /", "ADD busybox.tar.xz /", "ADD alpine-minirootfs-3.22.0-x86_64.tar.gz /",
    "ADD ubuntu-noble-oci-amd64-root.tar.gz /", "ADD --chown=0:0 base.tgz /",
    "COPY --from=build / /", "COPY --from=rootfs /rootfs/ /", "COPY --from=build /out/ /", "COPY rootfs /",
    "COPY root/ /", "COPY --from=busybox:1.37 /bin/busybox /bin/",
])
def test_a_root_filesystem_brought_in_has_a_shell(copy):
    assert b002(f"FROM scratch\n{copy}\nRUN mkdir -p /data\nCMD /bin/sh -c 'exec app'\n") == []


@pytest.mark.parametrize("copy", [
    "COPY app /app", "ADD app.tar.gz /opt/", "ADD https://example.com/rootfs.tar.xz /",
    "COPY --from=build /out/app /app", "COPY config.json /",
])
def test_a_file_or_an_archive_elsewhere_brings_no_shell(copy):
    [d] = b002(f"FROM scratch\n{copy}\nCMD /app --serve\n")
    assert d.severity == "error" and d.line == 3


def test_the_shell_counts_only_from_where_the_rootfs_arrives():
    [d] = b002("FROM scratch\nRUN echo too early\nADD rootfs.tar.xz /\nRUN echo fine\n")
    assert d.line == 2
