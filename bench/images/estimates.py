#!/usr/bin/env python3
"""dlint's byte estimates next to the savings the image benchmark measured, case by case.

Reads the measured sizes in results/results.json (no image is built) and runs dlint from this tree on each
case: every finding with its estimate, and for each fix step (`dlint fix`, then `--unsafe-fixes`) the
estimated saving (the estimates of the findings the step removes) beside the measured one (the image's
added bytes before and after that step). A finding no fix removes has no measured saving; the size of the
layer of its instruction is shown for reference. Prints a Markdown table (or writes it with --output).

    python bench/images/estimates.py             # with a Python that has dlint's dependencies
    python bench/images/estimates.py --readme     # replaces the table in README.md
"""
import argparse
import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from dlint.commands import Invocation  # noqa: E402
from dlint.estimates import format_bytes  # noqa: E402
from dlint.fixer import fix_source  # noqa: E402
from dlint.checking import check_source  # noqa: E402
from dlint.syntax import parse  # noqa: E402


def mb(n):
    return "-" if n is None else f"{n / 1e6:.2f} MB" if abs(n) >= 10000 else f"{n:,} B"


def verdict(estimate, measured):
    if estimate is None:
        return "estimate unknown"
    if measured is None:
        return "nothing measured"
    if measured <= 0 or estimate <= 0:
        return "both 0" if measured == estimate == 0 else f"estimate {mb(estimate)}, measured {mb(measured)} (outside 2x)"
    ratio = estimate / measured
    return f"{ratio:.2f}" + ("" if 0.5 <= ratio <= 2 else " (outside 2x)")


def layer_of(doc, measure, line):
    """The measured size of the layer the instruction on ``line`` made, if it is one of the image's."""
    layers = [i for st in doc.stages for i in st.instructions if i.name in ("RUN", "COPY", "ADD")]
    production = doc.stages[-1]
    shipped = [i for i in production.instructions if i.name in ("RUN", "COPY", "ADD")]
    sizes = measure["layer_sizes"]
    if len(shipped) != len(sizes):
        return None
    for ins, (size, _) in zip(shipped, sizes):
        if ins.line <= line <= ins.end_line:
            return size
    del layers
    return None


def key(d):
    return (d.code, d.estimated_bytes, d.estimate_basis)


# Figures of the data file that were measured in the case itself: there the agreement is by construction.
FIGURE_FROM = {("04-pip-cache", "L004"), ("05-node-npm-cache", "L004"), ("06-toolchain-final-stage", "L002")}

EXPLAINED = {
    "B001": "no fix (a new base image is a decision); not built on distroless here, so not measured: the estimate is the base image against the distroless one, without what the file installs on top",
    "B003": "no fix (moving the build to a builder stage is a decision); the layer holds the tools with their recommends",
}


def rows_for(name, case, run):
    path = os.path.join(HERE, "cases", name, "Dockerfile")
    with open(path, "rb") as fh:
        data = fh.read()
    settings = run.settings(path)
    checked = check_source(path, data, settings)
    if checked.problems:  # e.g. dlint's dependencies missing from this Python: run it with dlint's
        sys.exit(f"{name}: {checked.problems[0].message}")
    before = [d for d in checked.diagnostics if d.estimate_basis is not None]  # the rules that estimate bytes
    doc = parse(data.decode("utf-8"))
    variants = case["variants"]
    original = variants["original"]["measure"]["added_bytes"]
    safe = variants["safe"]["measure"]["added_bytes"]
    unsafe = variants["unsafe"]["measure"]["added_bytes"]
    left = {False: fix_source(path, data, settings, unsafe=False).diagnostics,
            True: fix_source(path, data, settings, unsafe=True).diagnostics}
    remaining = {u: Counter(key(d) for d in left[u]) for u in left}
    rows = []
    steps = []
    for d in before:
        if remaining[False][key(d)] > 0:
            remaining[False][key(d)] -= 1
            if remaining[True][key(d)] > 0:
                remaining[True][key(d)] -= 1
                steps.append(None)
            else:
                steps.append("unsafe")
        else:
            remaining[True][key(d)] -= remaining[True][key(d)] > 0
            steps.append("safe")
    measured = {"safe": original - safe, "unsafe": safe - unsafe}
    for step in ("safe", "unsafe"):
        group = [d for d, s in zip(before, steps) if s == step]
        if not group:
            continue
        known = [d.estimated_bytes for d in group if d.estimated_bytes is not None]
        total = sum(known) if known else None
        for i, d in enumerate(group):
            together = f" ({' + '.join(f'{g.code} l.{g.line}' for g in group)})" if len(group) > 1 else ""
            rows.append({
                "case": name, "finding": f"{d.code} line {d.line}", "estimate": d.estimated_bytes,
                "basis": d.estimate_basis or "", "fixed_by": "`dlint fix`" if step == "safe" else "`--unsafe-fixes`",
                "measured": mb(measured[step]) + together if i == 0 else "〃",
                "check": (verdict(total, measured[step]) if i == 0 else "〃")
                + (" (figure measured in this case)" if (name, d.code) in FIGURE_FROM else ""),
                "estimate_total": total, "measured_bytes": measured[step] if i == 0 else None,
            })
    for d, s in zip(before, steps):
        if s is not None:
            continue
        layer = layer_of(doc, variants["original"]["measure"], d.line) if d.code.startswith(("L", "B003")) else None
        rows.append({
            "case": name, "finding": f"{d.code} line {d.line}", "estimate": d.estimated_bytes,
            "basis": d.estimate_basis or "", "fixed_by": "no fix",
            "measured": f"layer of line {d.line}: {mb(layer)}" if layer is not None else "-",
            "check": EXPLAINED.get(d.code) or (f"no fix; estimate / layer: {verdict(d.estimated_bytes, layer)}"
                                               if layer and d.estimated_bytes else
                                               "no fix; the estimate is unknown, see its basis" if d.estimated_bytes is None
                                               else "no fix: nothing measured"),
            "estimate_total": None,
            "measured_bytes": None,
        })
    return rows


def table(results_path):
    with open(results_path, encoding="utf-8") as fh:
        results = json.load(fh)
    run = Invocation(None, ("ALL",), (), (), (), None, None)  # every rule, as the image benchmark runs them
    rows = []
    for name in sorted(results["cases"]):
        rows.extend(rows_for(name, results["cases"][name], run))
    out = ["| Case | Finding | Estimate | What the estimate stands for | Fixed by | Measured saving | Estimate / measured |",
           "|---|---|---:|---|---|---:|---|"]
    for r in rows:
        est = "unknown" if r["estimate"] is None else format_bytes(r["estimate"]).lstrip("~") if r["estimate"] else "0"
        out.append(f"| {r['case']} | {r['finding']} | {est} | {r['basis']} | {r['fixed_by']} | {r['measured']} | "
                   f"{r['check'] or '-'} |")
    return "\n".join(out) + "\n", rows, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default=os.path.join(HERE, "results", "results.json"))
    parser.add_argument("--output", help="write the table here (default: stdout)")
    parser.add_argument("--readme", action="store_true", help="replace the table between the markers in README.md")
    args = parser.parse_args()
    text, _, results = table(args.results)
    head = (f"Measured {results['date']} (dlint {results['dlint']['commit']}); estimates from this tree. "
            "Estimates and savings are uncompressed layer bytes (MB = 10^6 bytes).\n\n")
    if args.readme:
        readme = os.path.join(ROOT, "README.md")
        with open(readme, encoding="utf-8") as fh:
            old = fh.read()
        start, end = "<!-- estimates:start -->\n", "<!-- estimates:end -->"
        i, j = old.index(start) + len(start), old.index(end)
        with open(readme, "w", encoding="utf-8") as fh:
            fh.write(old[:i] + text + old[j:])
    elif args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(head + text)
    else:
        sys.stdout.write(head + text)


if __name__ == "__main__":
    main()
