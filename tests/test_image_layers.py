"""``dlint layers DOCKERFILE --image PATH``: images built in Python with known bytes, read in all three
forms (OCI layout, OCI archive, docker-archive), figures checked to the byte."""
import json

import pytest

from image_fixtures import Built, D, F, L, O, S, W, history_entry as H
from run_dlint import assert_no_crash, dlint, out

DOCKERFILE = """\
FROM debian:12
ENV APP=/app
LABEL org.opencontainers.image.title=demo
RUN fetch-sources
COPY app.sh /app/app.sh
RUN chmod 755 /app/app.sh
RUN rm -rf /src /cache && replace-config
RUN unlink-first-name
RUN unlink-second-name
CMD ["/app/app.sh"]
"""

HISTORY = [
    H("/bin/sh -c #(nop) ADD file:0123abcd in / "),
    H('/bin/sh -c #(nop)  CMD ["bash"]', empty=True),
    H("ENV APP=/app", empty=True),
    H("LABEL org.opencontainers.image.title=demo", empty=True),
    H("RUN /bin/sh -c fetch-sources # buildkit"),
    H("COPY app.sh /app/app.sh # buildkit"),
    H("RUN /bin/sh -c chmod 755 /app/app.sh # buildkit"),
    H("RUN /bin/sh -c rm -rf /src /cache && replace-config # buildkit"),
    H("RUN /bin/sh -c unlink-first-name # buildkit"),
    H("RUN /bin/sh -c unlink-second-name # buildkit"),
    H('CMD ["/app/app.sh"]', empty=True),
]

APP = b"#!/bin/sh\nexec server\n" * 5  # 110 bytes

LAYERS = [
    # 0, the base image: 5000 + 300 bytes
    [D("bin"), F("bin/sh", b"s" * 5000), D("etc"), F("etc/config", b"c" * 300), D("cache")],
    # 1, line 4: sources (1000 + 2000), a file with a hard link (700, the link adds nothing), cache (400 + 600)
    [D("src"), F("src/a.c", b"a" * 1000), F("src/b.c", b"b" * 2000), F("data", b"d" * 700), L("data-link", "data"),
     F("cache/x", b"x" * 400), F("cache/y", b"y" * 600), S("latest", "data")],
    # 2, line 5: the app (110 bytes)
    [D("app"), F("app/app.sh", APP)],
    # 3, line 6: the same bytes again, only the mode changed
    [D("app"), F("app/app.sh", APP, mode=0o755)],
    # 4, line 7: /src deleted (whiteout), /cache emptied and refilled (opaque whiteout + 50 new bytes),
    #    /etc/config overwritten with other content (30 bytes)
    [W("src"), D("cache"), O("cache"), F("cache/new", b"n" * 50), F("etc/config", b"C" * 30)],
    # 5, line 8: one name of the hard-linked file deleted: its bytes still show through the other name
    [W("data")],
    # 6, line 9: the other name deleted: now its 700 bytes are wasted
    [W("data-link")],
]
# stored: 5300 + 4700 + 110 + 110 + 80 = 10300 content bytes
# wasted: layer 0: etc/config 300 (overwritten); layer 1: src 3000 + cache 1000 + data 700 (deleted);
#         layer 2: 110 (metadata only)  -> 5110
TOTAL, WASTED = 10300, 5110


def built(**kw):
    return Built(LAYERS, history=HISTORY, **kw)


def write(tmp_path, form, b, replace=None):
    if form == "oci-layout":
        return b.write_layout(tmp_path / "image", replace)
    if form == "oci-archive":
        return b.write_oci_archive(tmp_path / "image.tar", replace)
    return b.write_docker_archive(tmp_path / "image.tar", replace)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def measure(project, image, *args):
    p = dlint("layers", "Dockerfile", "--image", str(image), "--format", "json", *args, cwd=project)
    assert_no_crash(p)
    return p


@pytest.mark.parametrize("form", ["oci-layout", "oci-archive", "docker-archive"])
@pytest.mark.parametrize("compress", [True, False])
def test_figures_to_the_byte(project, form, compress):
    if form == "docker-archive" and compress:
        pytest.skip("docker-archive layers are plain tars")
    p = measure(project, write(project, form, built(compress=compress)))
    assert p.returncode == 0, out(p)
    img = json.loads(p.stdout)["image"]
    assert img["format"] == form
    assert img["total_bytes"] == TOTAL
    assert img["wasted_bytes"] == WASTED
    assert img["efficiency"] == pytest.approx(1 - WASTED / TOTAL)
    rows = [(l["index"], l["bytes"], l["wasted_bytes"]) for l in img["layers"]]
    assert rows == [(0, 5300, 300), (1, 4700, 4700), (2, 110, 110), (3, 110, 0), (4, 80, 0), (5, 0, 0), (6, 0, 0)]
    reasons = [l["wasted"] for l in img["layers"]]
    assert reasons[0] == {"deleted": 0, "overwritten": 300, "metadata_only": 0}
    assert reasons[1] == {"deleted": 4700, "overwritten": 0, "metadata_only": 0}
    assert reasons[2] == {"deleted": 0, "overwritten": 0, "metadata_only": 110}
    hides = [l["hides_bytes"] for l in img["layers"]]
    assert hides == [0, 0, 0, 110, 300 + 3000 + 1000, 0, 700]
    assert [l["files"] for l in img["layers"]] == [2, 5, 1, 1, 2, 0, 0]
    assert all(l["tar_bytes"] % 512 == 0 and l["tar_bytes"] > l["bytes"] for l in img["layers"])
    stored = [l["compressed_bytes"] for l in img["layers"]]
    if compress:
        assert all(l["compression"] == "gzip" for l in img["layers"])
        assert stored[1] < img["layers"][1]["tar_bytes"]
    else:
        assert stored == [l["tar_bytes"] for l in img["layers"]]


def test_layers_matched_to_lines(project):
    p = measure(project, write(project, "oci-layout", built()))
    img = json.loads(p.stdout)["image"]
    got = [(l["line"], l["instruction"], l["from_base"], l["match"]) for l in img["layers"]]
    assert got == [(None, None, True, None), (4, "RUN", False, "exact"), (5, "COPY", False, "exact"),
                   (6, "RUN", False, "exact"), (7, "RUN", False, "exact"), (8, "RUN", False, "exact"),
                   (9, "RUN", False, "exact")]
    # ENV and LABEL made no layer; their history entries are matched to their lines
    steps = {s["created_by"]: s for s in img["history"]}
    assert steps["ENV APP=/app"]["line"] == 2 and steps["ENV APP=/app"]["empty_layer"]
    assert steps["LABEL org.opencontainers.image.title=demo"]["line"] == 3
    assert img["history_matches"] is True


def test_findings_beside_the_measured_layer(project):
    p = measure(project, write(project, "oci-layout", built()))
    layers = json.loads(p.stdout)["image"]["layers"]
    chmod = next(l for l in layers if l["line"] == 6)
    assert [f["code"] for f in chmod["findings"]] == ["L006"]  # COPY then chmod: the bytes stored twice
    assert chmod["hides"]["metadata_only"] == 110


def test_text_output(project):
    image = write(project, "oci-layout", built())
    p = dlint("layers", "Dockerfile", "--image", image, cwd=project)
    assert p.returncode == 0, out(p)
    text = out(p)[0]
    lines = text.splitlines()
    assert lines[0].startswith(f"{image}: oci-layout, linux/amd64, 7 layers; built from Dockerfile")
    row = next(l for l in lines if l.split()[:2] == ["1", "4"])
    assert "4.7 kB" in row and "RUN fetch-sources" in row and "░" in row
    assert any("wasted: deleted 4.7 kB later" in l for l in lines)
    assert lines[-1].strip().startswith("total 10.3 kB of file content")
    assert "wasted 5.1 kB; efficiency 50.4 %" in lines[-1]


def test_history_that_does_not_match_is_reported_and_layers_still_measured(project):
    (project / "Dockerfile").write_text(DOCKERFILE.replace("RUN fetch-sources", "RUN fetch-other-sources"))
    p = measure(project, write(project, "oci-layout", built()))
    assert p.returncode == 2
    err = out(p)[1].strip().splitlines()
    assert len(err) == 1 and "history does not match Dockerfile" in err[0] and "line 4" in err[0], err
    img = json.loads(p.stdout)["image"]
    assert (img["total_bytes"], img["wasted_bytes"]) == (TOTAL, WASTED)
    assert img["history_matches"] is False
    assert img["layers"][1]["match"] == "uncertain"


def test_image_without_history(project):
    b = Built(LAYERS, history=None)
    p = measure(project, write(project, "oci-layout", b))
    assert p.returncode == 2
    assert "no history" in out(p)[1]
    img = json.loads(p.stdout)["image"]
    assert img["wasted_bytes"] == WASTED and all(l["line"] is None for l in img["layers"])


def test_multi_stage_production_chain(tmp_path):
    (tmp_path / "Dockerfile").write_text(
        "FROM golang:1.22 AS build\nRUN go build -o /out/app\n"
        "FROM debian:12 AS base\nRUN mkdir /data\n"
        "FROM base\nCOPY --from=build /out/app /app\nRUN rm -rf /data\n")
    hist = [H("/bin/sh -c #(nop) ADD file:x in / "), H("/bin/sh -c mkdir /data"),
            H("/bin/sh -c #(nop) COPY file:abc in /app "), H("/bin/sh -c rm -rf /data")]
    b = Built([[F("bin/sh", b"s" * 10)], [D("data"), F("data/f", b"f" * 64)], [F("app", b"A" * 32)], [W("data")]],
              history=hist)
    p = measure(tmp_path, b.write_layout(tmp_path / "img"))
    assert p.returncode == 0, out(p)
    img = json.loads(p.stdout)["image"]
    assert [(l["line"], l["stage"]) for l in img["layers"]] == [(None, None), (4, 1), (6, 2), (7, 2)]
    assert img["wasted_bytes"] == 64 and img["total_bytes"] == 106


def test_same_path_twice_and_file_replaced_by_directory(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /\nCOPY b /\n")
    hist = [H("COPY a / # buildkit"), H("COPY b / # buildkit")]
    b = Built([[F("x", b"1" * 10), F("x", b"2" * 20), F("y", b"3" * 40)],
               [D("y"), F("y/z", b"4" * 5), F("x", b"2" * 20, uid=1000)]], history=hist)
    p = measure(tmp_path, b.write_layout(tmp_path / "img"))
    img = json.loads(p.stdout)["image"]
    # x: the first 10 bytes overwritten in the same layer, the 20 re-stored with only the owner changed;
    # y: a file replaced by a directory
    assert img["layers"][0]["wasted"] == {"deleted": 0, "overwritten": 50, "metadata_only": 20}
    assert img["total_bytes"] == 95 and img["wasted_bytes"] == 70


def test_one_image_of_a_layout_by_its_ref_name(project):
    b = built()
    index = json.loads(b.index)
    index["manifests"][0]["annotations"] = {"org.opencontainers.image.ref.name": "app-original"}
    path = b.write_layout(project / "layout", {"index.json": json.dumps(index).encode()})
    p = measure(project, f"{path}:app-original")
    assert p.returncode == 0, out(p)
    assert json.loads(p.stdout)["image"]["wasted_bytes"] == WASTED
    p = measure(project, f"{path}:other")
    assert p.returncode == 2 and "no image named 'other'" in out(p)[1]
