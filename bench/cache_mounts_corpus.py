"""L004 over the corpus with ``cache-strategy = "mount"``: findings, fixes by applicability, why some get
none; every fixed file must parse in BuildKit's parser, be left alone by a second fix, and equal the
original once the added --mount flags and apt options are taken out.

    PYTHONPATH=. python bench/cache_mounts_corpus.py ../shared/corpus/dockerfiles
"""
import collections, glob, os, sys
import dockerfile
from dlint.checking import check_source
from dlint.fixer import fix_text
from dlint.settings import Settings
from dlint.syntax import decode

root = sys.argv[1]
stats = collections.Counter()
reasons = collections.Counter()
bad = []
for path in sorted(glob.glob(os.path.join(root, "*"))):
    data = open(path, "rb").read()
    for strategy in ("clean", "mount"):
        s = Settings(enabled={"L004"}, cache_strategy=strategy)
        r = check_source(path, data, s)
        if r.problems and any(p.blocks_fix for p in r.problems):
            break
        for d in r.diagnostics:
            stats[(strategy, "finding")] += 1
            stats[(strategy, d.fix.applicability if d.fix else "no fix")] += 1
            if strategy == "mount" and d.fix is None:
                reasons[__import__("re").sub(r"line [0-9]+", "line N", (d.no_fix_reason or "?").split(":")[0])[:90]] += 1
        if strategy == "mount" and any(d.fix for d in r.diagnostics):
            text = decode(data)
            new, _, problem = fix_text(path, text, s, True)
            if problem is not None:
                bad.append((path, problem.render())); continue
            try:
                dockerfile.parse_string(new)
            except Exception as exc:
                bad.append((path, f"buildkit: {exc}")); continue
            again, _, _ = fix_text(path, new, s, True)
            if again != new:
                bad.append((path, "second fix changed it"))
            stats["mount files fixed"] += 1
for k, v in sorted(stats.items(), key=str):
    print(k, v)
print("no-fix reasons (mount):")
for k, v in reasons.most_common():
    print(f"  {v:4d}  {k}")
print("problems:", len(bad))
for b in bad[:20]:
    print(" ", b)

# Differential: every mount-fixed file equals the original once the --mount flags and apt options are taken out.
import re
diff_bad = 0
checked = 0
for path in sorted(glob.glob(os.path.join(root, "*"))):
    data = open(path, "rb").read()
    s = Settings(enabled={"L004"}, cache_strategy="mount")
    r = check_source(path, data, s)
    if not any(d.fix for d in r.diagnostics):
        continue
    text = decode(data)
    new, _, problem = fix_text(path, text, s, True)
    if problem is not None or new == text:
        continue
    checked += 1
    back = re.sub(r"--mount=type=cache,target=[^ ]+ ", "", new)
    back = re.sub(r"-o Dir::Cache::Archives=/var/cache/apt/debs/ (-o APT::Keep-Downloaded-Packages=true )?", "", back)
    orig = re.sub(r"--mount=type=cache,target=[^ ]+ ", "", text)
    if back != orig:
        diff_bad += 1
        print("DIFF", path)
print("differential: checked", checked, "differ", diff_bad)
