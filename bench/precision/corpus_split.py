"""The corpus split by project: a half rules are developed on, a half held back for blind review.

A project is the owner of the repository a file really comes from (MANIFEST.tsv's `origin`, so the
dataset samples count as their own projects). sha256 of the lower-cased owner decides the half, so a
project never has files on both sides and the split does not move when files are added.

    python bench/precision/corpus_split.py            # counts per half and the projects in each
    python bench/precision/corpus_split.py --held-back  # the held-back files, one path a line
"""
import csv
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus"))


def project(row):
    return row["origin"].split("/")[0].lower()


def half(project_name):
    """'develop' or 'held-back'."""
    digest = int(hashlib.sha256(project_name.encode()).hexdigest(), 16)
    return "held-back" if digest % 2 else "develop"


def files(which, corpus=CORPUS):
    with open(os.path.join(corpus, "MANIFEST.tsv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(os.path.join(corpus, "dockerfiles", r["file"]), project(r)) for r in rows if half(project(r)) == which]


def main(argv):
    if "--held-back" in argv or "--develop" in argv:
        for path, _ in files("held-back" if "--held-back" in argv else "develop"):
            print(path)
        return
    for which in ("develop", "held-back"):
        rows = files(which)
        projects = sorted({p for _, p in rows})
        print(f"{which}: {len(rows)} files, {len(projects)} projects")
        print("  " + " ".join(projects[:60]) + (" ..." if len(projects) > 60 else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
