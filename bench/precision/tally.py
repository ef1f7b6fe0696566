"""The table of a blind review: per rule, how many findings were judged true, false and debatable.

    python bench/precision/tally.py REVIEW_DIR [REVIEW_DIR_AFTER]

Reads `<CODE>.verdicts.tsv` (id, verdict, reason) written beside the packets that sample.py drew.
Precision is true / judged; with two directories the table shows them side by side.
"""
import collections
import glob
import os
import sys


def tally(directory):
    table = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.verdicts.tsv"))):
        code = os.path.basename(path).split(".")[0]
        counts = collections.Counter()
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[1].strip().lower() in ("true", "false", "debatable"):
                    counts[parts[1].strip().lower()] += 1
        table[code] = counts
    return table


def cell(c):
    n = sum(c.values())
    if not n:
        return "-"
    return f"{c['true']}/{n} ({100 * c['true'] / n:.0f} %), {c['false']} false, {c['debatable']} debatable"


def main(argv):
    tables = [tally(d) for d in argv]
    codes = sorted(set().union(*tables))
    print("| rule | " + " | ".join(os.path.basename(os.path.normpath(d)) for d in argv) + " |")
    print("|---|" + "---|" * len(argv))
    for code in codes:
        print(f"| {code} | " + " | ".join(cell(t.get(code, collections.Counter())) for t in tables) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or ["."])
