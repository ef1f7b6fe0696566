#!/usr/bin/env python3
"""Rebuild benchmark: how much of a build `buildah bud --layers` reuses after a one-line source edit,
as written and after `dlint fix --unsafe-fixes`, and what a cache mount (`--cache-strategy mount`)
saves when a dependency is added.

    python3 bench/images/rebuild.py              # all cases; results in bench/images/results/rebuild.json
    python3 bench/images/rebuild.py --case go-http

Each case in bench/images/rebuild_cases/ is a small real application whose Dockerfile copies the
sources before the dependency install (`COPY . .`, then `npm ci` / `pip install -r` / `go mod
download`), the way many projects write it. For each case:

1. as written: build, then change one source line (`edit` in case.toml) and build again, three
   times (`--repeat`; the wall time reported is the median);
2. after `dlint fix --unsafe-fixes`: the same, then replace the manifests by the ones in `next/`
   (one dependency added) and build again;
3. after `dlint fix --unsafe-fixes --cache-strategy mount` (when that gives another file): build
   with the edited source (the cache mount starts empty), add the same dependency, build again.

Each rebuild records its wall time, which steps buildah reused ("Using cache") and how many of the
image's layers have the same digest as before, and the bytes fetched from the package registries.
Those bytes are counted by a relay on this machine's loopback that every npm and pip request of the
builds goes through (configured by a bind-mounted /etc/npmrc and /etc/pip.conf, as bench/images/run.py
does for its trust files): the bodies of the registries' responses as they arrive (compressed where
the registry compresses them).
apt reaches the Debian mirror directly; its step comes before the copies and is reused by every
rebuild (the records show it), so no rebuild downloads from apt.

The images of the as-written and fixed files (after the same edit), and of the fixed and
mount-fixed files (after the same dependency change) are compared as bench/images/run.py compares
the size proof's images (packages, key files, every file outside caches, config, smoke output),
with its code. Needs root and buildah; the Debian base trees of run.py's cache are reused.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import gzip
import json
import os
import re
import shutil
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run as sizes  # noqa: E402  (the size proof: base images, dlint, measuring and comparing images)

CASES = HERE / "rebuild_cases"
RESULTS_JSON = sizes.RESULTS / "rebuild.json"
CHART = sizes.RESULTS / "rebuild.png"
IMAGE_PREFIX = "localhost/dlint-rebuild"
FIRST_EDIT = 10  # the edited line's first version number (the cases hold lower ones)
UPSTREAMS = {  # relay path prefix -> registry
    "/npm/": "https://registry.npmjs.org/",
    "/simple/": "https://pypi.org/simple/",
    "/files/": "https://files.pythonhosted.org/",
}
FORWARD_HEADERS = ("Accept", "User-Agent", "Content-Type", "Content-Encoding", "If-None-Match", "If-Modified-Since",
                   "npm-command", "npm-session", "npm-auth-type", "pacote-version", "pacote-req-type")
log = sizes.log


class CountingRelay:
    """npm's registry and PyPI over plain HTTP on the loopback, counting what each build fetches.

    Counted are the response bodies as they come from the registry (gzip-encoded where the registry
    sends them so, as it does to pip and npm; decoded before they are passed on). Conditional
    requests (`If-None-Match`) are passed on, so a revalidated index page costs what it costs with
    the registry itself. PyPI's file responses get the caching headers PyPI sends (a year), as in
    run.py's relay, so that pip caches what it downloads exactly as with PyPI itself.
    """

    def __init__(self):
        import http.server

        cafile = sizes.HOST_CA_BUNDLE if os.path.exists(sizes.HOST_CA_BUNDLE) else None
        ctx = ssl.create_default_context(cafile=cafile)
        relay = self
        self.lock = threading.Lock()
        self.reset()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                self._relay(None)

            def do_HEAD(self):
                self._relay(None)

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                self._relay(self.rfile.read(n))

            def do_PUT(self):
                self.do_POST()

            def _relay(self, body):
                prefix = next((p for p in UPSTREAMS if self.path.startswith(p)), None)
                if prefix is None:
                    self.send_error(404)
                    return
                url = UPSTREAMS[prefix] + self.path[len(prefix):]
                headers = {h: self.headers[h] for h in FORWARD_HEADERS if self.headers.get(h)}
                headers["Accept-Encoding"] = "gzip"
                req = urllib.request.Request(url, data=body, headers=headers, method=self.command)
                try:
                    resp = urllib.request.urlopen(req, context=ctx, timeout=300)
                except urllib.error.HTTPError as exc:
                    resp = exc
                except OSError:
                    self.send_error(502)
                    return
                with resp:
                    data = resp.read() if self.command != "HEAD" else b""
                    wire = len(data)
                    if resp.headers.get("Content-Encoding") == "gzip" and data:
                        data = gzip.decompress(data)
                    status = resp.status if getattr(resp, "status", None) else resp.code
                    if prefix == "/simple/":
                        data = data.replace(b"https://files.pythonhosted.org/", f"{relay.base}/files/".encode())
                    self.send_response(status)
                    self.send_header("Content-Type", resp.headers.get("Content-Type", "application/octet-stream"))
                    if prefix == "/files/":
                        self.send_header("Cache-Control", "max-age=365000000, immutable, public")
                    elif prefix == "/simple/":
                        self.send_header("Cache-Control", "max-age=600, public")
                    elif resp.headers.get("Cache-Control"):
                        self.send_header("Cache-Control", resp.headers["Cache-Control"])
                    for h in ("ETag", "Last-Modified"):
                        if resp.headers.get(h):
                            self.send_header(h, resp.headers[h])
                    if status != 304:
                        self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if data and status != 304:
                        self.wfile.write(data)
                relay.count(self.command, self.path, wire)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.requests = []

    def count(self, method: str, path: str, n: int) -> None:
        if path.startswith("/files/") or (path.startswith("/npm/") and path.endswith(".tgz")):
            kind = "packages"
        else:
            kind = "metadata"  # PyPI index pages, npm documents, npm's audit
        with self.lock:
            self.requests.append((kind, method, path, n))

    def snapshot(self) -> dict:
        with self.lock:
            reqs = list(self.requests)
        return {
            "bytes": sum(r[3] for r in reqs),
            "package_bytes": sum(r[3] for r in reqs if r[0] == "packages"),
            "metadata_bytes": sum(r[3] for r in reqs if r[0] == "metadata"),
            "requests": len(reqs),
            "package_files": sorted(r[2].rsplit("/", 1)[-1] for r in reqs if r[0] == "packages"),
        }

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def volumes_for(cache: Path, relay: CountingRelay) -> list:
    """run.py's trust mounts (CA bundle, /etc/pip.conf with the relay as index), npm sent to the relay."""
    vols = sizes.trust_volumes(cache, relay)
    npmrc = cache / "trust" / "npmrc"
    npmrc.write_text(npmrc.read_text() + f"registry={relay.base}/npm/\n")
    return vols


# --- cases ------------------------------------------------------------------------------------

class RebuildCase:
    def __init__(self, path: Path):
        meta = sizes.tomllib.loads((path / "case.toml").read_text())
        self.path, self.name = path, path.name
        self.title = meta["title"]
        self.edit = meta["edit"]
        self.next_manifests = meta.get("next_manifests", [])
        # what run.Measurer.measure needs
        self.key_files = meta.get("key_files", [])
        self.smoke = meta.get("smoke")


def load_cases(names) -> list:
    return sizes.load_cases(names, CASES, RebuildCase)


def context_for(case: RebuildCase, variant: str, work: Path, fix_args: list) -> dict:
    """The case copied into WORK/case/variant (without case.toml and next/), fixed by dlint."""
    ctx = work / case.name / variant
    if ctx.exists():
        shutil.rmtree(ctx)
    shutil.copytree(case.path, ctx, ignore=shutil.ignore_patterns("case.toml", "next"))
    out = {"context": ctx}
    if fix_args:
        p = sizes.dlint("fix", *fix_args, "Dockerfile", cwd=ctx)
        before = (case.path / "Dockerfile").read_text()
        after = (ctx / "Dockerfile").read_text()
        out["fix_exit"] = p.returncode
        out["diff"] = "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                                   "a/Dockerfile", f"b/Dockerfile (dlint fix {' '.join(fix_args)})"))
    else:
        p = sizes.dlint("check", "--format", "json", "--exit-zero", "Dockerfile", cwd=ctx)
        out["findings"] = sizes._finding_codes(p.stdout)
    return out


def edit_source(case: RebuildCase, ctx: Path, n: int) -> None:
    """The case's source file with its one edited line, in version N."""
    text = (case.path / case.edit["file"]).read_text()
    if text.count(case.edit["old"]) != 1:
        raise RuntimeError(f"{case.name}: the edit's line is not in {case.edit['file']} exactly once")
    (ctx / case.edit["file"]).write_text(text.replace(case.edit["old"], case.edit["new"].replace("{n}", str(n))))


def add_dependency(case: RebuildCase, ctx: Path) -> None:
    for name in case.next_manifests:
        shutil.copyfile(case.path / "next" / name, ctx / name)


# --- building ---------------------------------------------------------------------------------

STEP = re.compile(r"^(?:\[\d+/\d+\] )?STEP (\d+)/(\d+): (.*)$")


def steps_of(log_text: str) -> list:
    """buildah bud's steps in order, each with whether it was reused ("--> Using cache ...")."""
    steps = []
    for line in log_text.splitlines():
        m = STEP.match(line)
        if m:
            steps.append({"step": m.group(3)[:120], "cached": False})
        elif line.startswith("--> Using cache") and steps:
            steps[-1]["cached"] = True
    return [s for s in steps if not s["step"].upper().startswith("FROM ")]


class Builder:
    def __init__(self, tools: sizes.Tools, relay: CountingRelay, volumes: list):
        self.tools, self.relay, self.volumes = tools, relay, volumes
        # buildah keeps RUN --mount=type=cache directories under $TMPDIR/buildah-cache-UID: one of our own
        self.tmpdir = tools.cache / "tmp"
        self.tmpdir.mkdir(exist_ok=True)
        self.env = dict(os.environ, TMPDIR=str(self.tmpdir))

    def empty_cache_mounts(self) -> None:
        for d in self.tmpdir.glob("buildah-cache*"):
            shutil.rmtree(d, ignore_errors=True)

    def cache_mount_bytes(self) -> int:
        return sum(f.stat().st_size for d in self.tmpdir.glob("buildah-cache*") for f in d.rglob("*")
                   if f.is_file() and not f.is_symlink())

    def bud(self, case: RebuildCase, ctx: Path, tag: str, previous: dict | None = None) -> dict:
        image = f"{IMAGE_PREFIX}/{case.name}:{tag}"
        logfile = self.tools.logs / f"{case.name}.{tag}.log"
        argv = self.tools.buildah_argv("bud", "--layers", "--isolation", "chroot", "--pull=never",
                                       *self.volumes, "-t", image, "-f", str(ctx / "Dockerfile"), str(ctx))
        self.relay.reset()
        t0 = time.monotonic()
        with open(logfile, "w") as out:
            rc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, env=self.env).returncode
        seconds = round(time.monotonic() - t0, 1)
        text = logfile.read_text(errors="replace")
        res = {"image": image, "built": rc == 0, "seconds": seconds, "downloads": self.relay.snapshot(),
               "steps": steps_of(text), "log": str(logfile)}
        if rc != 0:
            res["error"] = "".join(text.splitlines(True)[-25:])
            log(f"{case.name}: {tag} FAILED to build (log: {logfile})")
            return res
        res["steps_total"] = len(res["steps"])
        res["steps_reused"] = sum(s["cached"] for s in res["steps"])
        res["steps_rerun"] = [s["step"] for s in res["steps"] if not s["cached"]]
        res["diff_ids"] = self.tools.inspect(image)["OCIv1"]["rootfs"]["diff_ids"]
        res["layers"] = len(res["diff_ids"])
        if previous and previous.get("diff_ids"):
            res["layers_same_digest"] = sum(1 for a, b in zip(previous["diff_ids"], res["diff_ids"]) if a == b)
        log(f"{case.name}: {tag}: {seconds} s, {res['steps_reused']}/{res['steps_total']} steps reused, "
            f"{res['downloads']['bytes'] / 1e6:.2f} MB from the registries")
        return res


def source_edits(builder: "Builder", case: RebuildCase, ctx: Path, tag: str, previous: dict, repeat: int) -> dict:
    """REPEAT rebuilds, each after a new version of the edited line: the last one's record, with the
    median wall time of all and each one's time and downloads."""
    runs = []
    for i in range(repeat):
        edit_source(case, ctx, FIRST_EDIT + i)
        runs.append(builder.bud(case, ctx, f"{tag}-edit{i + 1}", previous))
        previous = runs[-1]
        if not previous.get("built"):
            return previous
    rec = dict(runs[-1])
    rec["seconds_each"] = [r["seconds"] for r in runs]
    rec["seconds"] = statistics.median(rec["seconds_each"])
    rec["bytes_each"] = [r["downloads"]["bytes"] for r in runs]
    rec["steps_reused_each"] = [r["steps_reused"] for r in runs]
    return rec


def _measure(measurer: sizes.Measurer, case: RebuildCase, build: dict) -> dict | None:
    if not build.get("built"):
        return None
    return measurer.measure(case, build["image"], f"{case.name}-{build['image'].rsplit(':', 1)[1]}")


def _same(a: dict | None, b: dict | None) -> dict:
    if a is None or b is None:
        return {"identical": False, "why": "a build failed"}
    cmp = sizes.compare(a, b)
    checks = ("packages_identical", "key_files_identical", "files_identical", "config_identical", "smoke_identical")
    cmp["identical"] = all(cmp[c] for c in checks)
    cmp["added_bytes"] = [a["added_bytes"], b["added_bytes"]]
    return cmp


def run_case(case: RebuildCase, builder: Builder, measurer: sizes.Measurer, work: Path, repeat: int) -> dict:
    res = {"title": case.title, "edit": case.edit, "next_manifests": case.next_manifests}
    # as written: build, edit one line, rebuild
    a = context_for(case, "as-written", work, [])
    res["findings"] = a["findings"]
    log(f"{case.name}: as written")
    first = builder.bud(case, a["context"], "written-1")
    res["as_written"] = {"first": first, "source_edit": source_edits(builder, case, a["context"], "written", first, repeat)}

    # fixed: the same, then one dependency added
    f = context_for(case, "fixed", work, ["--unsafe-fixes"])
    res["fix_diff"] = f["diff"]
    log(f"{case.name}: dlint fix --unsafe-fixes")
    first = builder.bud(case, f["context"], "fixed-1")
    edited = source_edits(builder, case, f["context"], "fixed", first, repeat)
    res["fixed"] = {"first": first, "source_edit": edited}
    res["same_image_as_written_vs_fixed"] = _same(_measure(measurer, case, res["as_written"]["source_edit"]),
                                                  _measure(measurer, case, edited))

    # cache mount: the fixed file with --cache-strategy mount; one dependency added
    m = context_for(case, "mount", work, ["--unsafe-fixes", "--cache-strategy", "mount"])
    same_file = (m["context"] / "Dockerfile").read_bytes() == (f["context"] / "Dockerfile").read_bytes()
    res["mount_diff"] = m["diff"]
    if not case.next_manifests:
        res["dependency_change"] = {"skipped": "no dependency can be added (no registry reachable for it)"}
    else:
        add_dependency(case, f["context"])
        log(f"{case.name}: fixed, one dependency added")
        without = builder.bud(case, f["context"], "fixed-dependency", edited)
        res["dependency_change"] = {"without_mount": without}
        if same_file:
            res["dependency_change"]["mount"] = {"skipped": "--cache-strategy mount gives the same file"}
        else:
            edit_source(case, m["context"], FIRST_EDIT + repeat - 1)  # the sources of the fixed build
            builder.empty_cache_mounts()
            log(f"{case.name}: --cache-strategy mount (cache mount empty)")
            mfirst = builder.bud(case, m["context"], "mount-first")
            mfirst["cache_mount_bytes"] = builder.cache_mount_bytes()
            add_dependency(case, m["context"])
            log(f"{case.name}: --cache-strategy mount, one dependency added")
            mdep = builder.bud(case, m["context"], "mount-dependency", mfirst)
            res["dependency_change"]["mount"] = {"first": mfirst, "dependency_added": mdep}
            res["dependency_change"]["same_image_fixed_vs_mount"] = _same(
                _measure(measurer, case, without), _measure(measurer, case, mdep))
    if same_file and "mount" not in res.get("dependency_change", {}):
        res["mount_note"] = "--cache-strategy mount gives the same file as the clean strategy"
    return res


# --- the run ----------------------------------------------------------------------------------

def link_base_trees(shared: Path, cache: Path) -> None:
    """Reuse the debootstrap trees of run.py's cache (made there when missing) for our own storage."""
    for flavour in sizes.BASE_TAGS:
        tree = sizes.make_rootfs(shared, flavour)
        for src in (tree, tree.with_name(tree.name + ".done")):
            dst = cache / src.name
            if not dst.exists() and not dst.is_symlink():
                dst.symlink_to(src)


def cleanup(tools: sizes.Tools, builder: Builder | None = None) -> None:
    """Remove our images, containers and intermediate layers (the base images stay) and the cache mounts."""
    out = tools.buildah("images", "--format", "{{.Name}}:{{.Tag}}", check=False)
    for name in out.split():
        if name.startswith(IMAGE_PREFIX + "/"):
            tools.buildah("rmi", "--force", name, check=False)
    tools.buildah("rm", "--all", check=False)
    tools.buildah("rmi", "--prune", "--force", check=False)
    shutil.rmtree(tools.cache / "oci", ignore_errors=True)
    shutil.rmtree(tools.cache / "work", ignore_errors=True)
    if builder is not None:
        builder.empty_cache_mounts()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", help="only this case (folder under rebuild_cases/); repeatable")
    ap.add_argument("--cache-dir", default=os.environ.get("DLINT_REBUILD_CACHE", "/var/tmp/dlint-rebuild"),
                    help="image storage, logs (default: %(default)s)")
    ap.add_argument("--base-cache", default=os.environ.get("DLINT_BENCH_CACHE", "/var/tmp/dlint-bench"),
                    help="run.py's cache, whose debootstrap trees are reused (default: %(default)s)")
    ap.add_argument("--results", default=str(RESULTS_JSON), help="output JSON (default: %(default)s)")
    ap.add_argument("--repeat", type=int, default=3, help="rebuilds after a source edit, per file (default: %(default)s)")
    ap.add_argument("--no-chart", action="store_true")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("run as root: buildah with --isolation chroot needs it")
    sizes.ensure_tools()
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    tools = sizes.Tools(cache)
    cases = load_cases(args.case)
    sizes.prepare_dlint(cache)
    link_base_trees(Path(args.base_cache), cache)
    cleanup(tools)
    started = _dt.datetime.now(_dt.timezone.utc)
    t0 = time.monotonic()
    bases = sizes.ensure_base_images(tools, rebuild=False)
    relay = CountingRelay()
    builder = Builder(tools, relay, volumes_for(cache, relay))
    measurer = sizes.Measurer(tools, bases)
    results = {}
    try:
        for case in cases:
            results[case.name] = run_case(case, builder, measurer, cache / "work", args.repeat)
            cleanup(tools, builder)
    finally:
        relay.stop()
        cleanup(tools, builder)
    report = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": round((time.monotonic() - t0) / 60, 1),
        "machine": sizes.machine(),
        "dlint": sizes.dlint_version(),
        "method": {
            "wall_time": "seconds of the whole `buildah bud --layers` command; for source edits the median "
                         "of --repeat rebuilds, each after a new version of the edited line",
            "reused": "steps buildah reports as 'Using cache'; layers whose digest equals the previous build's",
            "downloads": "response bytes from registry.npmjs.org and PyPI as received by a loopback relay all "
                         "npm and pip requests go through; apt's step is before the copies and reused by every rebuild",
        },
        "cases": results,
    }
    write_results(report, Path(args.results), chart=not args.no_chart, cache=cache)
    problems = verdicts(report)
    for p in problems:
        log("PROBLEM: " + p)
    log(f"done in {report['minutes']} min: {args.results}")
    return 1 if problems else 0


def verdicts(report: dict) -> list:
    problems = []
    for name, c in report["cases"].items():
        for key in ("as_written", "fixed"):
            for b in c.get(key, {}).values():
                if not b.get("built"):
                    problems.append(f"{name}: {key} did not build")
        if not c.get("same_image_as_written_vs_fixed", {}).get("identical"):
            problems.append(f"{name}: the fixed image differs from the one as written")
        dep = c.get("dependency_change", {})
        if "same_image_fixed_vs_mount" in dep and not dep["same_image_fixed_vs_mount"]["identical"]:
            problems.append(f"{name}: the mount-fixed image differs from the fixed one")
    return problems


def _slim(report: dict) -> dict:
    slim = json.loads(json.dumps(report, default=str))

    def walk(d):
        if isinstance(d, dict):
            for k in ("log", "image", "diff_ids"):
                d.pop(k, None)
            for v in d.values():
                walk(v)
    walk(slim)
    return slim


def write_results(report: dict, out: Path, chart: bool, cache: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(_slim(report), indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    (out.with_suffix(".md")).write_text(render_table(report))
    if chart:
        try:
            plot_with_venv(out, out.with_suffix(".png"), cache)
        except (OSError, subprocess.CalledProcessError) as exc:
            log(f"no chart: {exc}")


def _mb(n) -> str:
    return "–" if n is None else f"{n / 1e6:.2f}"


ROWS = (  # (label, path to the build record)
    ("source line edited, as written", ("as_written", "source_edit")),
    ("source line edited, after `dlint fix --unsafe-fixes`", ("fixed", "source_edit")),
    ("one dependency added, after `dlint fix --unsafe-fixes`", ("dependency_change", "without_mount")),
    ("one dependency added, after `... --cache-strategy mount`", ("dependency_change", "mount", "dependency_added")),
)


def rows_of(report: dict):
    for name, c in report["cases"].items():
        for label, path in ROWS:
            b = c
            for k in path:
                b = b.get(k, {}) if isinstance(b, dict) else {}
            if b:
                yield name, label, b


def render_table(report: dict) -> str:
    lines = ["| Case | Rebuild | Wall time (s) | Steps reused | Layers kept | Downloaded from npm / PyPI "
             "| Steps run again |", "|---|---|---:|---:|---:|---:|---|"]
    for name, label, b in rows_of(report):
        if not b.get("built"):
            lines.append(f"| {name} | {label} | **build failed** | | | | |")
            continue
        rerun = ", ".join(f"`{' '.join(st.split())[:40]}`" for st in b["steps_rerun"]
                          if not st.split()[0] in ("USER", "EXPOSE", "CMD", "ENTRYPOINT", "ENV", "LABEL"))
        d = b["downloads"]
        n = len(d["package_files"])
        down = f"{_mb(d['bytes'])} MB"
        if n:
            down += f" ({n} package{'s' if n > 1 else ''}"
            down += f": {_mb(d['package_bytes'])} MB, index pages {_mb(d['metadata_bytes'])} MB)" if d["metadata_bytes"] else ")"
        secs = f"{b['seconds']:.1f}"
        if len(b.get("seconds_each", [])) > 1:
            secs += " (" + ", ".join(f"{x:.1f}" for x in b["seconds_each"]) + ")"
        lines.append(f"| {name} | {label} | {secs} | {b['steps_reused']}/{b['steps_total']} | "
                     f"{b.get('layers_same_digest', '–')}/{b.get('layers', '–')} | {down} | {rerun or 'none'} |")
    return "\n".join(lines) + "\n"


def plot_with_venv(results_json: Path, png: Path, cache: Path) -> None:
    """matplotlib in the bench venv (installed there when missing, as run.py does)."""
    py = cache / "venv" / "bin" / "python"
    if subprocess.run([str(py), "-c", "import matplotlib"], capture_output=True).returncode != 0:
        log("installing matplotlib into the bench venv for the chart")
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "matplotlib>=3.7"], check=True)
    subprocess.run([str(py), str(Path(__file__).resolve()), "--plot", str(results_json), str(png)], check=True)


def plot(results_json: Path, png: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = json.loads(Path(results_json).read_text())
    short = {ROWS[0][0]: "edit, as written", ROWS[1][0]: "edit, fixed", ROWS[2][0]: "+1 dependency, fixed",
             ROWS[3][0]: "+1 dependency, cache mount"}
    rows = [(f"{name}: {short[label]}", b) for name, label, b in rows_of(report)]
    labels = [r[0] for r in rows]
    secs = [r[1].get("seconds", 0) for r in rows]
    pkgs = [r[1].get("downloads", {}).get("package_bytes", 0) / 1e6 for r in rows]
    meta = [r[1].get("downloads", {}).get("metadata_bytes", 0) / 1e6 for r in rows]
    colours = ["#9e9e9e" if "as written" in l else "#1565c0" if "cache mount" in l else "#2e7d32" for l in labels]
    fig, axes = plt.subplots(1, 2, figsize=(12, 0.42 * len(rows) + 1.8), sharey=True)
    ys = range(len(rows))
    bars = axes[0].barh(ys, secs, color=colours)
    for bar, v in zip(bars, secs):
        axes[0].text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {v:.1f}", va="center", fontsize=7)
    axes[1].barh(ys, pkgs, color=colours, label="package files")
    axes[1].barh(ys, meta, left=pkgs, color=colours, alpha=0.35, hatch="//", label="index pages, metadata")
    for y, a, b in zip(ys, pkgs, meta):
        axes[1].text(a + b, y, f" {a + b:.2f}", va="center", fontsize=7)
    axes[1].legend(fontsize=7, loc="lower right")
    for ax, title in ((axes[0], "Rebuild wall time (s; source edits: median of the rebuilds)"),
                      (axes[1], "Downloaded from npm / PyPI (MB)")):
        ax.set_title(title, fontsize=9)
        ax.set_yticks(list(ys))
        ax.set_yticklabels(labels, fontsize=7)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
    axes[0].invert_yaxis()
    fig.suptitle(f"Rebuilds with buildah bud --layers, before and after dlint fix ({report['date']})", fontsize=10)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--render":  # table and chart again from a results file
        results = Path(sys.argv[2])
        results.with_suffix(".md").write_text(render_table(json.loads(results.read_text())))
        plot(results, results.with_suffix(".png"))
        sys.exit(0)
    if len(sys.argv) == 4 and sys.argv[1] == "--plot":
        plot(Path(sys.argv[2]), Path(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
