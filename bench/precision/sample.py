"""Draw random findings per rule on one half of the corpus, for a blind precision review.

    python bench/precision/sample.py --seed 1 --per-rule 20 --out /tmp/review [--half held-back] [CODE ...]
    python bench/precision/sample.py --seed 1 --mixed 40 --out /tmp/review CODE ...   # one packet, rules mixed

Runs `dlint check --select ALL-RULES --format json` on the half's files, then per rule draws up to
--per-rule findings at random (seeded): at most one per file (unless the rule has findings in fewer files than asked for), projects taken round-robin so that no
project dominates. Writes one packet per rule, `<out>/<CODE>.md`: the rule page to read and, per
finding, the file path, line and message. The reviewer judges each finding from the rule page and the
file alone and writes `<out>/<CODE>.verdicts.tsv` (id, verdict, reason); `tally.py` makes the table.
"""
import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import corpus_split  # noqa: E402


def findings_for(paths, codes):
    found = []
    for i in range(0, len(paths), 200):
        proc = subprocess.run([sys.executable, "-m", "dlint", "check", "--format", "json", "--select",
                               ",".join(codes), *paths[i:i + 200]], cwd=ROOT, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=ROOT))
        if proc.returncode not in (0, 1, 2):
            sys.exit(proc.stderr)
        found.extend(json.loads(proc.stdout or "[]"))
    return found


def rule_codes():
    proc = subprocess.run([sys.executable, "-m", "dlint", "rules"], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT))
    return [line.split()[0] for line in proc.stdout.splitlines()[1:] if line.strip()]


def draw(findings, per_rule, rng):
    by_project = collections.defaultdict(list)
    for f in findings:
        by_project[f["project"]].append(f)
    for items in by_project.values():
        rng.shuffle(items)
    projects = sorted(by_project)
    rng.shuffle(projects)
    chosen, seen_files, skipped = [], set(), []
    while len(chosen) < per_rule and any(by_project.values()):
        for p in projects:
            while by_project[p]:
                f = by_project[p].pop()
                if f["file"] not in seen_files:
                    seen_files.add(f["file"])
                    chosen.append(f)
                    break
                skipped.append(f)
            if len(chosen) >= per_rule:
                break
    # A rule with findings in fewer files than asked for: the other findings of those files too.
    if len(chosen) < per_rule:
        rest = skipped + [f for items in by_project.values() for f in items]
        rng.shuffle(rest)
        chosen.extend(rest[:per_rule - len(chosen)])
    return chosen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-rule", type=int, default=20)
    ap.add_argument("--half", default="held-back", choices=["held-back", "develop"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--mixed", type=int, default=0,
                    help="draw this many findings from all the given rules together into one packet, MIXED.md")
    ap.add_argument("--name", default="MIXED", help="the mixed packet's name (<out>/<NAME>.md)")
    ap.add_argument("codes", nargs="*")
    args = ap.parse_args()
    codes = args.codes or rule_codes()
    rows = corpus_split.files(args.half)
    project_of = {path: proj for path, proj in rows}
    findings = findings_for(sorted(project_of), codes)
    os.makedirs(args.out, exist_ok=True)
    counts = collections.Counter(f["code"] for f in findings)
    if args.mixed:
        write_mixed(args, findings, project_of, counts)
        return
    for code in codes:
        of_rule = [dict(f, project=project_of.get(os.path.join(ROOT, f["file"]) if not os.path.isabs(f["file"]) else f["file"], "?"))
                   for f in findings if f["code"] == code]
        rng = random.Random(f"{args.seed}:{code}")
        chosen = draw(of_rule, args.per_rule, rng)
        pages = [p for p in os.listdir(os.path.join(ROOT, "rules")) if p.startswith(code + "-")]
        with open(os.path.join(args.out, f"{code}.md"), "w", encoding="utf-8") as fh:
            fh.write(f"# {code}: {len(chosen)} findings drawn (seed {args.seed}) of {counts[code]} on the "
                     f"{args.half} half ({len({f['file'] for f in of_rule})} files)\n\n")
            fh.write(f"Rule page: {os.path.join(ROOT, 'rules', pages[0]) if pages else '(none)'}\n\n")
            for n, f in enumerate(chosen, 1):
                path = f["file"] if os.path.isabs(f["file"]) else os.path.normpath(os.path.join(ROOT, f["file"]))
                fh.write(f"## {code}-{n}\n- file: {path}\n- line: {f['line']}\n- message: {f['message']}\n\n")
        print(f"{code}: {counts[code]} findings, {len(chosen)} drawn -> {args.out}/{code}.md")


def write_mixed(args, findings, project_of, counts):
    """One packet of findings of several rules drawn together (one per file, projects in turn): what a
    user meets across the rules, each finding naming its rule and page."""
    mine = [dict(f, project=project_of.get(os.path.join(ROOT, f["file"]) if not os.path.isabs(f["file"]) else f["file"], "?"))
            for f in findings if f["code"] in set(args.codes) or (f["code"][:2] == "SC" and "SC" in args.codes)]
    chosen = draw(mine, args.mixed, random.Random(f"{args.seed}:{args.name}"))
    pages = {}
    for name in os.listdir(os.path.join(ROOT, "rules")):
        pages.setdefault(name.split("-", 1)[0], os.path.join(ROOT, "rules", name))
    with open(os.path.join(args.out, f"{args.name}.md"), "w", encoding="utf-8") as fh:
        fh.write(f"# {args.name}: {len(chosen)} findings drawn (seed {args.seed}) of {len(mine)} findings of "
                 f"{len(args.codes)} rules on the {args.half} half\n\n")
        fh.write("Each finding names its rule; read that rule's page before judging it.\n\n")
        for n, f in enumerate(chosen, 1):
            path = f["file"] if os.path.isabs(f["file"]) else os.path.normpath(os.path.join(ROOT, f["file"]))
            page = pages.get(f["code"]) or pages.get(re.match(r"[A-Z]+", f["code"]).group(0), "(none)")
            fh.write(f"## {args.name}-{n}\n- rule: {f['code']} (page: {page})\n- file: {path}\n"
                     f"- line: {f['line']}\n- message: {f['message']}\n\n")
    print(f"{args.name}: {len(mine)} findings of {len(args.codes)} rules, {len(chosen)} drawn -> {args.out}/{args.name}.md")


if __name__ == "__main__":
    main()
