"""Count RUNs that leave apt package lists in a layer that ships, and whether dlint reports each.

A deliberately plain reading, independent of the rules: a RUN of a shipping stage (the production
stage or one it builds on) that runs `apt-get update`/`apt update` and does not remove
/var/lib/apt/lists (nor `apt-get dist-clean`) in the same RUN, nor mounts a cache on it, leaves the
lists in its layer. Each such RUN is "reported" when an L001, L003 or L004 finding names its line (L001
and L004 on the RUN itself, L003 naming it as the creating RUN).

    python bench/precision/apt_lists_left.py --develop [--list]
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, ROOT)
import corpus_split  # noqa: E402
from dlint.stages import StageGraph  # noqa: E402
from dlint.syntax import decode, parse  # noqa: E402

UPDATE = re.compile(r"\bapt(-get)?\s+(-\S+\s+)*update\b")
CLEANED = re.compile(r"/var/lib/apt/lists|\bapt(-get)?\s+(-\S+\s+)*dist-?clean\b")


def left_runs(path):
    with open(path, "rb") as fh:
        doc = parse(decode(fh.read()))
    graph = StageGraph(doc)
    out = []
    for st in doc.stages:
        if st.index not in graph.shipping:
            continue
        for ins in st.instructions:
            if ins.name != "RUN":
                continue
            body = " ".join(ins.json) if ins.json is not None else ins.command
            body += "".join(h.body for h in ins.heredocs)
            mounts = " ".join(f.value or "" for f in ins.flags if f.name == "mount")
            if UPDATE.search(body) and not CLEANED.search(body) and "/var/lib/apt" not in mounts:
                out.append(ins.line)
    return out


def main(argv):
    which = "held-back" if "--held-back" in argv else "develop"
    paths = [p for p, _ in corpus_split.files(which)]
    found = []
    for i in range(0, len(paths), 200):
        proc = subprocess.run([sys.executable, "-m", "dlint", "check", "--format", "json", "--select", "L001,L003,L004",
                               *paths[i:i + 200]], cwd=ROOT, capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=ROOT))
        found.extend(json.loads(proc.stdout or "[]"))
    named = set()
    for f in found:
        if f["code"] in ("L001", "L004") and "apt" in f["message"]:
            named.add((f["file"], f["line"]))
        for m in re.finditer(r"\blines? ([\d, and]+)", f["message"]) if f["code"] == "L003" else ():
            for n in re.findall(r"\d+", m.group(1)):
                named.add((f["file"], int(n)))
    total = reported = 0
    missed = []
    for p in paths:
        try:
            lines = left_runs(p)
        except Exception:
            continue
        for line in lines:
            total += 1
            # a finding's line is its RUN's first line
            if (p, line) in named:
                reported += 1
            else:
                missed.append(f"{p}:{line}")
    print(f"{which}: {total} RUNs leave apt lists in a shipping layer; {reported} reported, {len(missed)} not")
    if "--list" in argv:
        print("\n".join(missed))


if __name__ == "__main__":
    main(sys.argv[1:])
