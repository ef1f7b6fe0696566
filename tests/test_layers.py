"""``dlint layers``: layer-creating instructions per stage, and the counts ``dlint fix`` would leave."""
import json

import pytest
from click.testing import CliRunner

from dlint.cli import main
from dlint.syntax import parse

MULTI = """\
FROM golang:1.25 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN apt-get update
RUN apt-get install -y --no-install-recommends git
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM debian:12-slim AS runtime
RUN apt-get update
RUN apt-get install -y --no-install-recommends ca-certificates
ADD https://example.com/config.tar.gz /etc/app/
COPY --from=build /out/server /usr/local/bin/server
ENV PORT=8080
ENTRYPOINT ["/usr/local/bin/server"]

FROM runtime AS debug
RUN apt-get update && apt-get install -y --no-install-recommends curl
"""


def run(*args):
    r = CliRunner().invoke(main, ["layers", *args])
    return r


def layers_json(*args):
    r = run("--format", "json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def counts_after(tmp_path, text, *fix_args):
    """Layers per stage after really running ``dlint fix`` on a copy."""
    p = tmp_path / "fixed" / "Dockerfile"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text)
    r = CliRunner().invoke(main, ["fix", "--quiet", *fix_args, str(p)])
    assert r.exit_code in (0, 1), r.output
    doc = parse(p.read_text())
    return [sum(1 for i in st.instructions if i.name in ("RUN", "COPY", "ADD")) for st in doc.stages]


@pytest.fixture
def multi(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(MULTI)
    return tmp_path


def test_json_lists_each_stage_and_its_layers(multi):
    (f,) = layers_json("Dockerfile")
    assert f["path"] == "Dockerfile"
    stages = f["stages"]
    assert [(s["index"], s["name"], s["base"]) for s in stages] == [
        (0, "build", "golang:1.25"), (1, "runtime", "debian:12-slim"), (2, "debug", "runtime")]
    assert [[(l["line"], l["instruction"]) for l in s["layers"]] for s in stages] == [
        [(3, "COPY"), (4, "RUN"), (5, "RUN"), (6, "COPY"), (7, "RUN")],
        [(10, "RUN"), (11, "RUN"), (12, "ADD"), (13, "COPY")],
        [(18, "RUN")],
    ]
    assert [s["count"] for s in stages] == [5, 4, 1]
    # the last stage ships, and so does the stage it is built FROM; the builder does not
    assert [s["production"] for s in stages] == [False, False, True]
    assert [s["shipping"] for s in stages] == [False, True, True]
    labels = [l["label"] for s in stages for l in s["layers"]]
    assert "--from=build /out/server /usr/local/bin/server" in labels
    assert "apt-get install -y --no-install-recommends ca-certificates" in labels


def test_counts_after_fix_are_what_dlint_fix_leaves(multi):
    (f,) = layers_json("Dockerfile")
    safe = counts_after(multi, MULTI)
    unsafe = counts_after(multi, MULTI, "--unsafe-fixes")
    assert [s["after_fix"] for s in f["stages"]] == safe
    assert [s["after_unsafe_fixes"] for s in f["stages"]] == unsafe
    # the update-only RUNs merge into their installs
    assert safe[0] <= 4 and safe[1] <= 3
    assert (multi / "Dockerfile").read_text() == MULTI  # layers never writes


def test_counts_follow_the_rule_selection(multi):
    (default,) = layers_json("Dockerfile")
    (nothing,) = layers_json("--select", "B004", "Dockerfile")
    (all_runs,) = layers_json("--extend-select", "L008", "Dockerfile")
    assert [s["after_fix"] for s in nothing["stages"]] == [5, 4, 1]
    assert [s["after_fix"] for s in all_runs["stages"]] == counts_after(multi, MULTI, "--extend-select", "L008")
    assert sum(s["after_fix"] for s in all_runs["stages"]) <= sum(s["after_fix"] for s in default["stages"])


def test_target_marks_the_production_stage(multi):
    (f,) = layers_json("--target", "runtime", "Dockerfile")
    assert [s["production"] for s in f["stages"]] == [False, True, False]
    assert [s["shipping"] for s in f["stages"]] == [False, True, False]


def test_text_output(multi):
    r = run("Dockerfile")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Dockerfile"
    stage_lines = [l for l in lines if l.startswith("  stage ")]
    assert stage_lines == [
        "  stage 0 build (FROM golang:1.25): build stage, not shipped",
        "  stage 1 runtime (FROM debian:12-slim): ships: the production stage is built on it",
        "  stage 2 debug (FROM runtime): production",
    ]
    assert "    line 12  ADD   https://example.com/config.tar.gz /etc/app/" in lines
    assert "    line  3  COPY  go.mod go.sum ./" in lines
    (f,) = layers_json("Dockerfile")
    for st in f["stages"]:
        summary = f"{st['count']} layer{'s' if st['count'] != 1 else ''}; "
        if st["count"] == st["after_fix"] == st["after_unsafe_fixes"]:
            summary += "unchanged by `dlint fix`"
        else:
            summary += f"after `dlint fix`: {st['after_fix']}, with --unsafe-fixes: {st['after_unsafe_fixes']}"
        assert "    " + summary in lines
    shipped = [s for s in f["stages"] if s["shipping"]]
    image = [l for l in lines if l.startswith("  image: ")]
    assert image and image[0].startswith(f"  image: {sum(s['count'] for s in shipped)} layers on top of its base image")
    assert "\x1b[" not in r.stdout  # no colour when not on a terminal


def test_labels_are_one_short_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    long_cmd = "echo " + "x" * 200
    (tmp_path / "Dockerfile").write_text(
        "# syntax=docker/dockerfile:1\n"
        "FROM alpine:3.20\n"
        "RUN --mount=type=cache,target=/var/cache/apk apk add \\\n    curl \\\n    jq\n"
        f"RUN {long_cmd}\n"
        'RUN ["/bin/sh", "-c", "echo hi"]\n'
        "RUN <<EOF\n\nset -e\necho one\nEOF\n"
        "COPY --chown=app:app --chmod=755 run.sh /run.sh\n"
    )
    (f,) = layers_json("Dockerfile")
    labels = [l["label"] for l in f["stages"][0]["layers"]]
    assert labels[0] == "apk add curl jq"
    assert len(labels[1]) == 72 and labels[1].endswith("…") and labels[1].startswith("echo xxx")
    assert labels[2] == "/bin/sh -c echo hi"
    assert labels[3] == "<<EOF set -e"
    assert labels[4] == "--chown=app:app --chmod=755 run.sh /run.sh"


def test_bad_input_is_reported_and_other_files_still_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(MULTI)
    (tmp_path / "bad.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    r = run("bad.Dockerfile", "missing.Dockerfile", "Dockerfile")
    assert r.exit_code == 2
    assert "bad.Dockerfile:2: error: unknown instruction 'FROBNICATE'" in r.stderr
    assert "missing.Dockerfile: error: no such file" in r.stderr
    assert r.stdout.splitlines()[0] == "Dockerfile"
    r = run("--format", "json", "bad.Dockerfile", "Dockerfile")
    assert r.exit_code == 2
    assert [f["path"] for f in json.loads(r.stdout)] == ["Dockerfile"]


def test_problem_of_a_file_still_checked_is_reported_and_its_layers_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_bytes(b"FROM debian:12\nLABEL a=caf\xe9\nRUN apt-get update\n"
                                          b"RUN apt-get install -y --no-install-recommends curl\n")
    r = run("--format", "json", "Dockerfile")
    assert r.exit_code == 2
    assert r.stderr == ("Dockerfile:2: error: not valid UTF-8 (byte 0xe9 at line 2, column 12): checked with the "
                        "bytes kept as they are\n")
    (f,) = json.loads(r.stdout)
    assert [(st["count"], st["after_fix"]) for st in f["stages"]] == [(2, 1)]


def test_directory_and_stdin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(MULTI)
    (tmp_path / "svc" / "notes.txt").write_text(MULTI)
    assert [f["path"] for f in layers_json("svc")] == ["svc/Dockerfile"]
    r = CliRunner().invoke(main, ["layers", "--format", "json", "--stdin-filename", "in.Dockerfile", "-"], input=MULTI)
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["path"] == "in.Dockerfile"


def test_example_dockerfile_from_the_readme():
    import os

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    example = os.path.join(root, "examples", "Dockerfile")
    if not os.path.isfile(example):
        pytest.skip("examples/Dockerfile not present")
    (f,) = layers_json(example)
    (st,) = f["stages"]
    assert st["production"] and st["count"] == 6
    assert st["after_fix"] < st["count"]


def test_progress_only_on_a_terminal(tmp_path):
    import os
    import subprocess
    import sys

    from terminal import run_with_terminal_stderr

    (tmp_path / "many").mkdir()
    for i in range(55):
        (tmp_path / "many" / f"s{i}.Dockerfile").write_text(MULTI)
    code, out, err = run_with_terminal_stderr(["layers", "many"], tmp_path)
    assert code == 0 and "\rread 55/55 files" in err and err.endswith("\r\x1b[K")
    assert out.count("  stage 0 build") == 55
    p = subprocess.run([sys.executable, "-m", "dlint", "layers", "many"], cwd=tmp_path, capture_output=True,
                       text=True, env=dict(os.environ))
    assert p.returncode == 0 and p.stderr == "" and p.stdout == out.replace("\r\n", "\n")
