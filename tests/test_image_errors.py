"""Bad images for ``dlint layers --image``: exit 2 and one line saying what is wrong, never a traceback,
and nothing of the image written anywhere."""
import gzip
import io
import json
import os
import tarfile

import pytest

from image_fixtures import Built, F, history_entry as H, sha
from run_dlint import assert_no_crash, dlint, out

DOCKERFILE = "FROM scratch\nCOPY a /a\nCOPY b /b\n"
HISTORY = [H("COPY a /a # buildkit"), H("COPY b /b # buildkit")]


def image(**kw):
    return Built([[F("a", b"a" * 100)], [F("b", b"b" * 200)]], history=HISTORY, **kw)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def one_error(project, path):
    p = dlint("layers", "Dockerfile", "--image", str(path), cwd=project)
    assert_no_crash(p)
    stdout, stderr = out(p)
    assert p.returncode == 2, (stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"{path}: error: "), lines[0]
    return lines[0], stdout


def test_a_good_image_reads(project):
    p = dlint("layers", "Dockerfile", "--image", image().write_layout(project / "img"), cwd=project)
    assert p.returncode == 0, out(p)


@pytest.mark.parametrize("make", ["file", "empty-dir", "json", "missing"])
def test_not_an_image(project, make):
    path = project / "thing"
    if make == "file":
        path.write_bytes(b"hello, not a tar at all\n" * 40)
    elif make == "empty-dir":
        path.mkdir()
    elif make == "json":
        path.mkdir()
        (path / "index.json").write_text('{"manifests": []}')
    line, _ = one_error(project, path)
    assert "not an image" in line or "no such file" in line


def test_missing_layer(project):
    b = image()
    line, _ = one_error(project, b.write_layout(project / "img", {"blobs/sha256/" + sha(b.blobs[1])[7:]: None}))
    assert "layer 1" in line and "missing" in line


def test_missing_layer_in_docker_archive(project):
    b = image()
    m = json.dumps([{"Config": sha(b.config)[7:] + ".json", "Layers": ["x/layer.tar", "nowhere/layer.tar"]}])
    tars = {"x/layer.tar": b.tars[0], "manifest.json": m.encode()}
    line, _ = one_error(project, b.write_docker_archive(project / "img.tar", tars))
    assert "layer 1" in line and "missing" in line


@pytest.mark.parametrize("compress", [True, False])
def test_truncated_layer(project, compress):
    b = image(compress=compress)
    name = "blobs/sha256/" + sha(b.blobs[1])[7:]
    line, _ = one_error(project, b.write_layout(project / "img", {name: b.blobs[1][: len(b.blobs[1]) // 2]}))
    assert "layer 1" in line and "truncated" in line


def test_truncated_archive(project):
    path = image().write_oci_archive(project / "img.tar")
    data = open(path, "rb").read()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) * 6 // 10])
    line, _ = one_error(project, path)
    assert "archive truncated" in line


def test_digest_mismatch(project):
    b = image()
    other = gzip.compress(b.tars[1].replace(b"b" * 200, b"c" * 200), mtime=0)
    other = other[: len(b.blobs[1])].ljust(len(b.blobs[1]), b"\0") if len(other) != len(b.blobs[1]) else other
    name = "blobs/sha256/" + sha(b.blobs[1])[7:]
    line, _ = one_error(project, b.write_layout(project / "img", {name: other}))
    assert "layer 1" in line and ("digest mismatch" in line or "gzip" in line)


def test_digest_mismatch_same_size_valid_gzip(project):
    b = image()
    tampered = b.tars[1].replace(b"b" * 200, b"c" * 200)
    blob = gzip.compress(tampered, mtime=0)
    assert len(blob) == len(b.blobs[1])
    name = "blobs/sha256/" + sha(b.blobs[1])[7:]
    line, _ = one_error(project, b.write_layout(project / "img", {name: blob}))
    assert line.endswith("expected " + sha(b.blobs[1])[7:19] + "…") and "digest mismatch" in line


def test_uncompressed_content_checked_against_diff_ids(project):
    b = image(compress=False)
    tampered = b.tars[0].replace(b"a" * 100, b"z" * 100)
    cname = sha(b.config)[7:] + ".json"
    m = json.dumps([{"Config": cname, "Layers": ["l0/layer.tar", "l1/layer.tar"]}]).encode()
    path = b.write_docker_archive(project / "img.tar", {"l0/layer.tar": tampered, "l1/layer.tar": b.tars[1],
                                                         "manifest.json": m})
    line, _ = one_error(project, path)
    assert "layer 0" in line and "uncompressed" in line and "digest mismatch" in line


def test_config_digest_mismatch(project):
    b = image()
    name = "blobs/sha256/" + sha(b.config)[7:]
    line, _ = one_error(project, b.write_layout(project / "img", {name: b.config.replace(b"amd64", b"arm64")}))
    assert "digest mismatch" in line and "config" in line


def test_zstd_layers_are_not_supported(project):
    b = image()
    manifest = json.loads(b.manifest)
    zstd_blob = b"\x28\xb5\x2f\xfd" + b"\0" * 60
    manifest["layers"][1] = {"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "digest": sha(zstd_blob),
                             "size": len(zstd_blob)}
    mdata = json.dumps(manifest).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(mdata), "size": len(mdata)}]})
    path = b.write_layout(project / "img", {"index.json": index.encode(), "blobs/sha256/" + sha(mdata)[7:]: mdata,
                                             "blobs/sha256/" + sha(zstd_blob)[7:]: zstd_blob})
    line, _ = one_error(project, path)
    assert "layer 1 is zstd-compressed: not supported" in line


def test_zstd_found_by_its_bytes(project):
    b = image(compress=False)
    zstd_blob = b"\x28\xb5\x2f\xfd" + b"\0" * 60
    cname = sha(b.config)[7:] + ".json"
    m = json.dumps([{"Config": cname, "Layers": ["l0/layer.tar", "l1/layer.tar"]}]).encode()
    path = b.write_docker_archive(project / "img.tar", {"l0/layer.tar": b.tars[0], "l1/layer.tar": zstd_blob,
                                                         "manifest.json": m})
    line, _ = one_error(project, path)
    assert "zstd-compressed: not supported" in line


def test_compressed_archive(project):
    path = image().write_oci_archive(project / "img.tar")
    with open(path, "rb") as fh, gzip.open(project / "img.tar.gz", "wb") as gz:
        gz.write(fh.read())
    line, _ = one_error(project, project / "img.tar.gz")
    assert "decompress it first" in line


def _evil_tar(name, kind="file", linkname=""):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        ti = tarfile.TarInfo("ok")
        ti.size = 3
        tf.addfile(ti, io.BytesIO(b"abc"))
        ti = tarfile.TarInfo(name)
        if kind == "link":
            ti.type, ti.linkname = tarfile.LNKTYPE, linkname
            tf.addfile(ti)
        else:
            ti.size = 5
            tf.addfile(ti, io.BytesIO(b"owned"))
    return buf.getvalue()


@pytest.mark.parametrize("name,kind,linkname,why", [
    ("../../escape", "file", "", "'..' component"),
    ("usr/../../escape", "file", "", "'..' component"),
    ("/tmp/escape-abs", "file", "", "absolute path"),
    ("usr/link", "link", "../../escape", "hard link"),
])
@pytest.mark.parametrize("form", ["oci-layout", "docker-archive"])
def test_member_escaping_the_root(project, name, kind, linkname, why, form):
    evil = _evil_tar(name, kind, linkname)
    b = Built([[F("a", b"a" * 100)], evil], history=HISTORY, compress=(form == "oci-layout"))
    path = b.write_layout(project / "img") if form == "oci-layout" else b.write_docker_archive(project / "img.tar")
    before = set(os.listdir(project)) | set(os.listdir(project.parent))
    line, _ = one_error(project, path)
    assert "layer 1" in line and why in line and "refused" in line, line
    assert set(os.listdir(project)) | set(os.listdir(project.parent)) == before
    assert not os.path.exists("/tmp/escape-abs")


def test_layer_count_disagreement(project):
    b = image()
    manifest = json.loads(b.manifest)
    manifest["layers"] = manifest["layers"][:1]
    mdata = json.dumps(manifest).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(mdata), "size": len(mdata)}]})
    path = b.write_layout(project / "img", {"index.json": index.encode(), "blobs/sha256/" + sha(mdata)[7:]: mdata})
    line, _ = one_error(project, path)
    assert "rootfs.diff_ids" in line
