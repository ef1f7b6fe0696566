"""The build-context rules (C001, C002, C003) on the corpus, each Dockerfile in its repository's real tree.

    python bench/contexts.py [--mirrors /work/.mirror] [--trees DIR] [--seed 1604] [--sample 30]

The corpus files are flat copies, so on their own they have no build context. For every file whose
MANIFEST.tsv row names the repository it really comes from (`origin` equal to `repo`; the dataset
samples, whose repository is unknown, are left out), this script takes the repository's snapshot (a bare
git directory at <mirrors>/<owner>+<name>/repo), extracts the tree of the stored commit (or of the
snapshot's HEAD when the commit is missing; the report counts those) with `git archive` into
<trees>/<owner>+<name>@<commit12>/, and runs

    dlint check --config <empty> --select C001,C002,C003 --format json --context CONTEXT FILE...

on the extracted Dockerfile (whose sha256 is compared with the manifest's).

The context of a Dockerfile is its own directory unless a build file of the repository, at the same
commit, names the Dockerfile by a literal path and gives it another context:
  - a compose file (`compose*.y*ml`, `docker-compose*.y*ml`): `build: DIR` or `build: {context, dockerfile}`,
    relative to the compose file's directory (`dockerfile` relative to the context);
  - a `docker-bake.hcl` `target` block with a literal `dockerfile` (and `context`, default "."), relative
    to the bake file's directory;
  - a `devcontainer.json` `build` (or legacy top-level) `dockerfile`/`context`, both relative to the
    devcontainer.json's directory;
  - a Makefile line `docker [buildx] build ... -f PATH CONTEXT` with both literal (no `$`), relative to
    the Makefile's directory.
Values holding a variable (`$`) are passed over. When build files disagree, the one found first in the
order above (then by path) wins; the report counts the disagreements. A git archive has no `.git`; a
fresh clone has one at the repository root, so an empty `.git` directory is made there when (and only
when) a context is the repository root. Only the contexts and the Dockerfiles are extracted, since
dlint looks at nothing outside the context.

Writes bench/contexts.md (per rule: files flagged / files checked on each half of the corpus split) and,
with --sample N, review packets <packets>/<CODE>.md: N findings in all, shared among the rules in
proportion to the files each flags (at least one each), drawn at random (seeded) from the held-back half
first and then the develop half, projects taken in turn, one finding per file and no file twice; when
the rules flag fewer files than that, every flagged file is taken and then the other findings of those
files (as bench/precision/sample.py does). `--reuse` redoes the report and packets from the last run.
"""
import argparse
import collections
import csv
import hashlib
import json
import os
import posixpath
import random
import re
import shlex
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "precision"))
import corpus_split  # noqa: E402

CODES = ("C001", "C002", "C003")
PACKETS = os.path.join(ROOT, "bench", "precision", "reviews", "contexts16")


def git(gitdir, *args, binary=False):
    proc = subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, text=not binary)
    if proc.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.strip() if not binary else proc.stderr}")
    return proc.stdout


def has_commit(gitdir, commit):
    return subprocess.run(["git", "--git-dir", gitdir, "cat-file", "-e", f"{commit}^{{commit}}"],
                          capture_output=True).returncode == 0


# --- build files that name a context --------------------------------------------------------------

COMPOSE = re.compile(r"(^|/)(docker-)?compose[^/]*\.ya?ml$")
BAKE = re.compile(r"(^|/)docker-bake\.hcl$")
DEVCONTAINER = re.compile(r"(^|/)\.?devcontainer\.json$")
MAKEFILE = re.compile(r"(^|/)(GNUmakefile|Makefile|makefile|[^/]*\.mk)$")
KINDS = (("compose", COMPOSE), ("bake", BAKE), ("devcontainer", DEVCONTAINER), ("Makefile", MAKEFILE))


def norm(*parts):
    path = posixpath.normpath(posixpath.join(*parts))
    return "" if path == "." else path


def literal(value):
    return isinstance(value, str) and "$" not in value and value.strip() != ""


def from_compose(text, base):
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError:
        return
    services = doc.get("services") if isinstance(doc, dict) else None
    if not isinstance(services, dict):
        return
    for service in services.values():
        build = service.get("build") if isinstance(service, dict) else None
        if isinstance(build, str):
            context, dockerfile = build, "Dockerfile"
        elif isinstance(build, dict):
            context, dockerfile = build.get("context", "."), build.get("dockerfile", "Dockerfile")
        else:
            continue
        if literal(context) and literal(dockerfile) and "://" not in context:
            ctx = norm(base, context)
            yield norm(ctx, dockerfile), ctx


def strip_jsonc(text):
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def from_devcontainer(text, base):
    try:
        doc = json.loads(strip_jsonc(text))
    except ValueError:
        return
    if not isinstance(doc, dict):
        return
    build = doc.get("build") if isinstance(doc.get("build"), dict) else {}
    dockerfile = build.get("dockerfile", build.get("dockerFile", doc.get("dockerFile", doc.get("dockerfile"))))
    context = build.get("context", doc.get("context", "."))
    if literal(dockerfile) and literal(context):
        yield norm(base, dockerfile), norm(base, context)


TARGET = re.compile(r'^\s*target\s+"[^"]*"\s*\{(.*?)^\s*\}', re.S | re.M)


def from_bake(text, base):
    for block in TARGET.finditer(text):
        body = block.group(1)
        dockerfile = re.search(r'^\s*dockerfile\s*=\s*"([^"]*)"', body, re.M)
        context = re.search(r'^\s*context\s*=\s*"([^"]*)"', body, re.M)
        if not dockerfile:
            continue
        ctx = context.group(1) if context else "."
        if literal(dockerfile.group(1)) and literal(ctx):
            ctx = norm(base, ctx)
            yield norm(ctx, dockerfile.group(1)), ctx


def from_makefile(text, base):
    text = text.replace("\\\n", " ")
    for line in text.splitlines():
        m = re.search(r"\bdocker\s+(buildx\s+)?build\s+(.*)", line)
        if not m:
            continue
        try:
            words = shlex.split(m.group(2).split(";")[0].split("&&")[0].split("|")[0])
        except ValueError:
            continue
        dockerfile, positional, i = None, [], 0
        while i < len(words):
            w = words[i]
            if w in ("-f", "--file") and i + 1 < len(words):
                dockerfile, i = words[i + 1], i + 2
                continue
            if w.startswith("--file="):
                dockerfile = w.split("=", 1)[1]
            elif w.startswith("-"):
                if "=" not in w and i + 1 < len(words) and w in ("-t", "--tag", "--build-arg", "--target",
                                                                    "--platform", "--label", "-o", "--output",
                                                                    "--cache-from", "--cache-to", "--secret",
                                                                    "--ssh", "--progress", "--network"):
                    i += 1
            else:
                positional.append(w)
            i += 1
        if dockerfile and len(positional) == 1 and literal(dockerfile) and literal(positional[0]) \
                and dockerfile != "-" and positional[0] != "-":
            # docker build reads -f relative to the working directory (the Makefile's), not the context.
            yield norm(base, dockerfile), norm(base, positional[0])


PARSERS = {"compose": from_compose, "bake": from_bake, "devcontainer": from_devcontainer,
           "Makefile": from_makefile}


def declared_contexts(gitdir, commit, names):
    """{dockerfile path: [(kind, build file, context), ...]} from the repository's build files."""
    found = collections.defaultdict(list)
    for kind, pattern in KINDS:
        for name in sorted(n for n in names if pattern.search(n) and "/vendor/" not in "/" + n):
            try:
                text = git(gitdir, "show", f"{commit}:{name}")
            except (RuntimeError, UnicodeDecodeError):
                continue
            base = posixpath.dirname(name)
            for dockerfile, context in PARSERS[kind](text, base):
                if context.startswith(".."):
                    continue
                found[dockerfile].append((kind, name, context))
    return found


# --- extraction and the dlint runs ----------------------------------------------------------------

def rows_with_trees(manifest):
    with open(manifest, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return rows, [r for r in rows if r["origin"] == r["repo"]]


def extract(gitdir, commit, paths, dest, stats):
    """Write the tree's entries under `paths` to `dest`, as `git archive` would. A snapshot may lack its
    largest blobs: those files are made empty (the context rules look at their names only), and counted."""
    listing = git(gitdir, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths, binary=True)
    entries = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        meta, name = item.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        entries.append((mode, kind, sha, name.decode("utf-8", "surrogateescape")))
    blobs = [e for e in entries if e[1] == "blob"]
    batch = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                           input="".join(e[2] + "\n" for e in blobs).encode(), capture_output=True)
    out, pos = batch.stdout, 0
    for mode, _, sha, name in blobs:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split()
        pos = end + 1
        if len(header) < 3 or header[1] == "missing":
            data, absent = b"", True
        else:
            size = int(header[2])
            data, absent = out[pos:pos + size], False
            pos += size + 1
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if mode == "120000" and not absent:
            os.symlink(data.decode("utf-8", "surrogateescape"), target)
            continue
        with open(target, "wb") as fh:
            fh.write(data)
        if mode == "100755":
            os.chmod(target, 0o755)
        if absent:
            stats["(tree entries, not Dockerfiles) files absent from the snapshot, made empty"] += 1
    for mode, kind, sha, name in entries:
        if kind == "commit":  # a submodule: an empty directory in a fresh clone
            os.makedirs(os.path.join(dest, name), exist_ok=True)


def prepare(rows, mirrors, trees, stats):
    """Extract each row's context; returns [(row, dockerfile path, context dir, how)]."""
    by_tree = collections.defaultdict(list)
    for r in rows:
        by_tree[(r["repo"], r["commit"])].append(r)
    jobs = []
    for (repo, commit), group in sorted(by_tree.items()):
        gitdir = os.path.join(mirrors, repo.replace("/", "+"), "repo")
        if not os.path.isdir(gitdir):
            stats["no snapshot"] += len(group)
            continue
        use = commit
        if not has_commit(gitdir, commit):
            use = git(gitdir, "rev-parse", "HEAD").strip()
            stats["snapshot HEAD used (commit missing)"] += len(group)
        else:
            stats["stored commit"] += len(group)
        names = git(gitdir, "ls-tree", "-r", "--name-only", use).splitlines()
        nameset = set(names)
        declared = declared_contexts(gitdir, use, names)
        dest = os.path.join(trees, f"{repo.replace('/', '+')}@{commit[:12]}")
        planned = []
        for r in group:
            if r["path"] not in nameset:
                stats["Dockerfile not in the tree"] += 1
                continue
            own = norm(posixpath.dirname(r["path"]))
            claims = declared.get(r["path"], [])
            context, how = own, "Dockerfile's directory"
            if claims:
                kind, source, context = claims[0]
                how = f"{kind} ({source})"
                if len({c for _, _, c in claims}) > 1:
                    stats["build files disagree (first taken)"] += 1
            if context and context not in nameset and not any(n.startswith(context + "/") for n in names):
                context, how = own, "Dockerfile's directory (declared context absent)"
            stats[f"context from: {how.split(' (')[0]}"] += 1
            if claims and context == own:
                stats["declared context is the Dockerfile's directory"] += 1
            if context == "":
                stats["context is the repository root (.git made)"] += 1
            planned.append((r, context, how))
        if not planned:
            continue
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.makedirs(dest)
        paths = sorted({c or "." for _, c, _ in planned} | {r["path"] for r, _, _ in planned})
        if "." in paths:
            paths = ["."]
        extract(gitdir, use, paths, dest, stats)
        if any(c == "" for _, c, _ in planned):
            os.makedirs(os.path.join(dest, ".git"), exist_ok=True)
        for r, context, how in planned:
            dockerfile = os.path.join(dest, r["path"])
            with open(dockerfile, "rb") as fh:
                if hashlib.sha256(fh.read()).hexdigest() != r["sha256"]:
                    stats["extracted Dockerfile differs from the corpus copy"] += 1
            jobs.append((r, dockerfile, os.path.join(dest, context) if context else dest, how))
    return jobs


def run_dlint(jobs, config, stats):
    by_context = collections.defaultdict(list)
    for _, dockerfile, context, _ in jobs:
        by_context[context].append(dockerfile)
    findings = []
    env = dict(os.environ, PYTHONPATH=ROOT)
    for n, (context, files) in enumerate(sorted(by_context.items()), 1):
        proc = subprocess.run([sys.executable, "-m", "dlint", "check", "--config", config, "--select",
                               ",".join(CODES), "--format", "json", "--context", context, *files],
                              cwd=ROOT, capture_output=True, text=True, env=env)
        if proc.returncode not in (0, 1):
            print(f"dlint exit {proc.returncode} on {context}: {proc.stderr.strip()[:300]}", file=sys.stderr)
            stats["dlint exit 2: a file in the context's run does not parse"] += len(files)
        for f in json.loads(proc.stdout or "[]"):
            f["context"] = context
            findings.append(f)
        if n % 100 == 0:
            print(f"  {n}/{len(by_context)} contexts", file=sys.stderr)
    return findings


# --- report and packets ---------------------------------------------------------------------------

def rel(path):
    return os.path.relpath(path, ROOT)


def report(out, all_rows, jobs, findings, stats, trees):
    half_of = {id(r): corpus_split.half(corpus_split.project(r)) for r in all_rows}
    job_of = {os.path.abspath(d): r for r, d, _, _ in jobs}
    checked = collections.Counter(half_of[id(r)] for r, _, _, _ in jobs)
    flagged = collections.defaultdict(set)
    count = collections.Counter()
    for f in findings:
        r = job_of[os.path.abspath(f["file"])]
        flagged[(f["code"], half_of[id(r)])].add(r["file"])
        count[(f["code"], half_of[id(r)])] += 1
    corpus = collections.Counter(half_of[id(r)] for r in all_rows)
    lines = [
        "# The build-context rules on the corpus, in the repositories' real trees",
        "",
        "Regenerated by `python bench/contexts.py` (its docstring states how each context is chosen). Each",
        "corpus file whose repository is known is checked in the tree of its repository at the stored",
        "commit, with its real build context; the dataset samples (files whose repository is unknown) have",
        "no tree and are left out. Cells: files flagged / files checked (findings).",
        "",
        "| rule | develop | held-back | all |",
        "|---|---|---|---|",
    ]
    for code in CODES:
        cells = []
        for h in ("develop", "held-back"):
            cells.append(f"{len(flagged[(code, h)])} / {checked[h]} ({count[(code, h)]})")
        tot_files = len(flagged[(code, 'develop')]) + len(flagged[(code, 'held-back')])
        tot = count[(code, 'develop')] + count[(code, 'held-back')]
        cells.append(f"{tot_files} / {sum(checked.values())} ({tot})")
        lines.append(f"| {code} | " + " | ".join(cells) + " |")
    anyflag = {h: set().union(*(flagged[(c, h)] for c in CODES)) for h in ("develop", "held-back")}
    lines += ["", f"Files flagged by any of the three rules: develop {len(anyflag['develop'])}, "
              f"held-back {len(anyflag['held-back'])}."]
    lines += ["", f"Corpus files: develop {corpus['develop']}, held-back {corpus['held-back']}; "
              f"checked in a real tree: develop {checked['develop']}, held-back {checked['held-back']}.", ""]
    lines += ["| how | files |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(stats.items())]
    per_repo = collections.defaultdict(collections.Counter)
    for f in findings:
        r = job_of[os.path.abspath(f["file"])]
        per_repo[r["repo"]][f["code"]] += 1
    repo_checked = collections.Counter(r["repo"] for r, _, _, _ in jobs)
    lines += ["", "Findings per repository (files checked):", "", "| repository | files | C001 | C002 | C003 |",
              "|---|---|---|---|---|"]
    for repo in sorted(repo_checked):
        c = per_repo[repo]
        lines.append(f"| {repo} | {repo_checked[repo]} | {c['C001']} | {c['C002']} | {c['C003']} |")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return flagged, half_of, job_of


def draw(items, quota, rng, seen):
    by_project = collections.defaultdict(list)
    for f in items:
        by_project[f["project"]].append(f)
    for group in by_project.values():
        rng.shuffle(group)
    projects = sorted(by_project)
    rng.shuffle(projects)
    chosen = []
    while len(chosen) < quota and any(by_project.values()):
        for p in projects:
            while by_project[p]:
                f = by_project[p].pop()
                if f["file"] not in seen:
                    seen.add(f["file"])
                    chosen.append(f)
                    break
            if len(chosen) >= quota:
                break
    return chosen


def quotas(sizes, total):
    codes = [c for c in CODES if sizes[c]]
    if not codes:
        return {}
    whole = sum(sizes[c] for c in codes)
    share = {c: max(1, int(total * sizes[c] / whole)) for c in codes}
    rest = sorted(codes, key=lambda c: -(total * sizes[c] / whole - int(total * sizes[c] / whole)))
    i = 0
    while sum(share.values()) < total and i < 10 * len(codes):
        share[rest[i % len(rest)]] += 1
        i += 1
    while sum(share.values()) > total:
        biggest = max(codes, key=lambda c: share[c])
        share[biggest] -= 1
    return share


def packets(findings, job_of, half_of, seed, total, outdir, trees):
    by_code = collections.defaultdict(list)
    for f in findings:
        r = job_of[os.path.abspath(f["file"])]
        by_code[f["code"]].append(dict(f, project=corpus_split.project(r), half=half_of[id(r)],
                                       file=os.path.abspath(f["file"])))
    sizes = {c: len({f["file"] for f in by_code[c]}) for c in CODES}
    share = quotas(sizes, total)
    seen, chosen = set(), collections.defaultdict(list)
    rngs = {code: random.Random(f"{seed}:{code}") for code in CODES}
    # The rule flagging the fewest files draws first, so that a file flagged by several rules is not
    # taken by a larger one; a rule short of its share leaves the rest to the others.
    order = sorted(share, key=lambda c: sizes[c])
    for quota_of in (lambda c: share[c], lambda c: total - sum(map(len, chosen.values())) + len(chosen[c])):
        for code in order:
            for h in ("held-back", "develop"):
                left = [f for f in by_code[code] if f["half"] == h and f not in chosen[code]]
                chosen[code] += draw(left, quota_of(code) - len(chosen[code]), rngs[code], seen)
    # Fewer flagged files than asked for: the other findings of those files too (as sample.py does).
    rest = [f for code in order for f in by_code[code] if f not in chosen[code]]
    random.Random(f"{seed}:rest").shuffle(rest)
    for f in rest[:max(0, total - sum(map(len, chosen.values())))]:
        chosen[f["code"]].append(f)
    written = {}
    for code in order:
        picked = chosen[code]
        pages = [p for p in os.listdir(os.path.join(ROOT, "rules")) if p.startswith(code + "-")]
        held = sum(f["half"] == "held-back" for f in picked)
        with open(os.path.join(outdir, f"{code}.md"), "w", encoding="utf-8") as fh:
            fh.write(f"# {code}: {len(picked)} findings drawn (seed {seed}) of {len(by_code[code])} in "
                     f"{sizes[code]} files, each Dockerfile in its repository's tree "
                     f"({held} from the held-back half, {len(picked) - held} from the develop half)\n\n")
            fh.write(f"Rule page: {'rules/' + pages[0] if pages else '(none)'}\n\n")
            fh.write("Each file below is the Dockerfile inside its repository's extracted tree (made by\n"
                     f"`python bench/contexts.py` under {rel(trees)}/); `context` is the build\n"
                     "context dlint was given: list it to see what `COPY .` sends.\n\n")
            for n, f in enumerate(picked, 1):
                fh.write(f"## {code}-{n}\n- file: {rel(f['file'])}\n- context: {rel(f['context'])}\n"
                         f"- line: {f['line']}\n- message: {f['message']}\n\n")
        written[code] = (len(picked), held)
    return written


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", default="/work/.mirror")
    ap.add_argument("--corpus", default=corpus_split.CORPUS)
    ap.add_argument("--trees", default=os.path.join(PACKETS, "trees"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "contexts.md"))
    ap.add_argument("--seed", type=int, default=1604)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--packets", default=PACKETS)
    ap.add_argument("--reuse", action="store_true", help="reuse the trees and findings of the last run")
    ap.add_argument("--rerun", action="store_true", help="reuse the trees of the last run, run dlint again")
    args = ap.parse_args()
    all_rows, rows = rows_with_trees(os.path.join(args.corpus, "MANIFEST.tsv"))
    saved = os.path.join(args.trees, "run.json")
    if args.reuse:
        with open(saved, encoding="utf-8") as fh:
            state = json.load(fh)
        row_of = {r["file"]: r for r in rows}
        jobs = [(row_of[name], d, c, how) for name, d, c, how in state["jobs"]]
        findings, stats = state["findings"], collections.Counter(state["stats"])
    elif args.rerun:
        with open(saved, encoding="utf-8") as fh:
            state = json.load(fh)
        row_of = {r["file"]: r for r in rows}
        jobs = [(row_of[name], d, c, how) for name, d, c, how in state["jobs"]]
        stats = collections.Counter({k: v for k, v in state["stats"].items() if not k.startswith("dlint exit")})
        findings = run_dlint(jobs, os.path.join(args.trees, "empty.dlint.toml"), stats)
        with open(saved, "w", encoding="utf-8") as fh:
            json.dump({"jobs": [(r["file"], d, c, how) for r, d, c, how in jobs], "findings": findings,
                       "stats": stats}, fh)
    else:
        os.makedirs(args.trees, exist_ok=True)
        config = os.path.join(args.trees, "empty.dlint.toml")
        open(config, "w").close()
        stats = collections.Counter()
        stats["dataset sample (no repository tree)"] = len(all_rows) - len(rows)
        jobs = prepare(rows, args.mirrors, args.trees, stats)
        print(f"{len(jobs)} Dockerfiles extracted; running dlint", file=sys.stderr)
        findings = run_dlint(jobs, config, stats)
        with open(saved, "w", encoding="utf-8") as fh:
            json.dump({"jobs": [(r["file"], d, c, how) for r, d, c, how in jobs], "findings": findings,
                       "stats": stats}, fh)
    flagged, half_of, job_of = report(args.out, all_rows, jobs, findings, stats, args.trees)
    for code in CODES:
        print(code, {h: len(flagged[(code, h)]) for h in ("develop", "held-back")})
    if args.sample:
        os.makedirs(args.packets, exist_ok=True)
        print(packets(findings, job_of, half_of, args.seed, args.sample, args.packets, args.trees))


if __name__ == "__main__":
    main()
