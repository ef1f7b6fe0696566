"""The rebuild benchmark's cases (bench/images/rebuild_cases) stay what the benchmark needs them to be,
and its reading of buildah's output is right. No image is built here."""
import importlib.util
import json
import os
import shutil
import sys
import threading

import pytest

from run_dlint import ROOT, assert_no_crash, dlint, out

BENCH = os.path.join(ROOT, "bench", "images")
CASES = os.path.join(BENCH, "rebuild_cases")


def load_bench():
    sys.path.insert(0, BENCH)
    try:
        spec = importlib.util.spec_from_file_location("rebuild_bench", os.path.join(BENCH, "rebuild.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(BENCH)


bench = load_bench()
CASE_NAMES = sorted(os.listdir(CASES))


def copy_case(name, tmp_path):
    """The context the benchmark builds: the case without case.toml and next/."""
    dest = tmp_path / name
    shutil.copytree(os.path.join(CASES, name), dest, ignore=shutil.ignore_patterns("case.toml", "next"))
    return dest


def test_there_is_a_case_for_node_python_and_go():
    dockerfiles = {n: open(os.path.join(CASES, n, "Dockerfile")).read() for n in CASE_NAMES}
    assert any("npm ci" in d for d in dockerfiles.values())
    assert any("pip install -r" in d for d in dockerfiles.values())
    assert any("go build" in d for d in dockerfiles.values())


@pytest.mark.parametrize("name", CASE_NAMES)
def test_the_edit_changes_one_line_of_a_copied_source_file(name, tmp_path):
    case = bench.RebuildCase(bench.CASES / name)
    ctx = copy_case(name, tmp_path)
    before = (ctx / case.edit["file"]).read_text().splitlines()
    bench.edit_source(case, ctx, 10)
    after = (ctx / case.edit["file"]).read_text().splitlines()
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(changed) == 1 and "10" in changed[0][1]
    bench.edit_source(case, ctx, 11)  # each rebuild gets a new version of the same line
    assert (ctx / case.edit["file"]).read_text().splitlines() != after


@pytest.mark.parametrize("name", CASE_NAMES)
def test_sources_before_install_is_reported_and_fixed(name, tmp_path):
    ctx = copy_case(name, tmp_path)
    proc = dlint("check", "--format", "json", "--exit-zero", "Dockerfile", cwd=ctx)
    assert_no_crash(proc)
    assert "C001" in {f["code"] for f in json.loads(out(proc)[0])}
    before = (ctx / "Dockerfile").read_text()
    proc = dlint("fix", "--unsafe-fixes", "Dockerfile", cwd=ctx)
    assert_no_crash(proc)
    after = (ctx / "Dockerfile").read_text()
    # the install now comes after a COPY of the manifests and before the full COPY
    lines = after.splitlines()
    full = lines.index("COPY . .")
    assert any(line.startswith("COPY ") and line != "COPY . ." for line in lines[:full])
    assert after != before


@pytest.mark.parametrize("name", [n for n in CASE_NAMES if bench.RebuildCase(bench.CASES / n).next_manifests])
def test_the_next_manifests_add_one_dependency(name):
    case = bench.RebuildCase(bench.CASES / name)
    for manifest in case.next_manifests:
        old = open(os.path.join(CASES, name, manifest)).read()
        new = open(os.path.join(CASES, name, "next", manifest)).read()
        assert old != new
    if "package.json" in case.next_manifests:
        deps = lambda path: json.load(open(path))["dependencies"]  # noqa: E731
        old, new = deps(os.path.join(CASES, name, "package.json")), deps(os.path.join(CASES, name, "next", "package.json"))
        assert len(set(new) - set(old)) == 1 and all(new[k] == v for k, v in old.items())
        lock = json.load(open(os.path.join(CASES, name, "next", "package-lock.json")))
        assert lock["packages"][""]["dependencies"] == new
        assert all(v.get("resolved") for k, v in lock["packages"].items() if k)  # npm ci fetches no metadata
    if "requirements.txt" in case.next_manifests:
        pins = lambda path: {l for l in open(path).read().splitlines() if l and not l.startswith("#")}  # noqa: E731
        old = pins(os.path.join(CASES, name, "requirements.txt"))
        new = pins(os.path.join(CASES, name, "next", "requirements.txt"))
        assert old < new and len(new - old) == 1 and all("==" in p for p in new)


def test_steps_reused_are_read_from_buildahs_output():
    log = "\n".join([
        "[1/2] STEP 1/5: FROM debian:bookworm AS build",
        "[1/2] STEP 2/5: RUN apt-get update",
        "--> Using cache 3c9a0b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b",
        "--> 3c9a0b1d2e3",
        "[1/2] STEP 3/5: COPY . .",
        "--> 5d1e2f3a4b5",
        "[1/2] STEP 4/5: RUN go build .",
        "ok",
        "--> 6e2f3a4b5c6",
        "[2/2] STEP 1/2: FROM debian:bookworm-slim",
        "[2/2] STEP 2/2: COPY --from=build /x /x",
        "--> Using cache 7f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a",
        "STEP 3/3: CMD [\"x\"]",
    ])
    steps = bench.steps_of(log)
    assert [s["step"] for s in steps] == ["RUN apt-get update", "COPY . .", "RUN go build .",
                                          "COPY --from=build /x /x", 'CMD ["x"]']
    assert [s["cached"] for s in steps] == [True, False, False, True, False]


def test_the_relay_counts_package_files_apart_from_metadata():
    relay = bench.CountingRelay.__new__(bench.CountingRelay)
    relay.lock = threading.Lock()
    relay.reset()
    relay.count("GET", "/npm/express/-/express-4.21.2.tgz", 100)
    relay.count("GET", "/files/packages/aa/bb/flask-3.0.3-py3-none-any.whl", 50)
    relay.count("GET", "/simple/flask/", 7)
    relay.count("GET", "/npm/express", 3)
    snap = relay.snapshot()
    assert (snap["bytes"], snap["package_bytes"], snap["metadata_bytes"], snap["requests"]) == (160, 150, 10, 4)
    assert snap["package_files"] == ["express-4.21.2.tgz", "flask-3.0.3-py3-none-any.whl"]
