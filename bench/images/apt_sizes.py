#!/usr/bin/env python3
"""Figures for dlint/data/byte_estimates.json from Debian's package index (run on a Debian machine).

For each package named on the command line, apt resolves an install on a Debian minbase system (the
packages ``debootstrap --variant=minbase`` installs, given in a file) with and without recommended
packages, using the index in /var/lib/apt/lists; the Installed-Size fields of the packages it would add
are summed (bytes = KiB x 1024). Prints JSON: the installed bytes of every package met ("sizes"), and
per package named the packages its install adds ("closure") and those only recommends add ("recommends").

    debootstrap --print-debs --variant=minbase bookworm /tmp/x http://deb.debian.org/debian > minbase.txt
    python3 bench/images/apt_sizes.py minbase.txt git curl ... > sizes.json
"""
import json
import os
import subprocess
import sys
import tempfile

# apt's binary cache, kept between calls (Debian's docker-clean setting turns it off, which makes every
# call parse the whole index again)
CACHE = tempfile.mkdtemp(prefix="apt-sizes-")
APT_CACHE = ["-o", f"Dir::Cache::pkgcache={os.path.join(CACHE, 'pkgcache.bin')}",
             "-o", f"Dir::Cache::srcpkgcache={os.path.join(CACHE, 'srcpkgcache.bin')}"]


def show(names):
    out = subprocess.run(["apt-cache", *APT_CACHE, "show", "--no-all-versions", *names], capture_output=True, text=True).stdout
    return [s for s in out.split("\n\n") if s.strip()]


def field(stanza, name):
    for line in stanza.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def simulate(status, names, recommends):
    cmd = ["apt-get", "-s", "-q", *APT_CACHE, "-o", f"Dir::State::status={status}", "install", "-y",
           "--install-recommends" if recommends else "--no-install-recommends", *names]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return sorted({line.split()[1] for line in out.stdout.splitlines() if line.startswith("Inst ")})


def installed_bytes(names, cache):
    missing = [n for n in names if n not in cache]
    for stanza in show(missing) if missing else []:
        cache[field(stanza, "Package")] = int(field(stanza, "Installed-Size") or 0) * 1024
    return sum(cache.get(n.split(":")[0], 0) for n in names)


def main():
    base = open(sys.argv[1]).read().split()
    with tempfile.NamedTemporaryFile("w", suffix=".status", delete=False) as fh:
        for stanza in show(base):
            fh.write(stanza.rstrip("\n") + "\nStatus: install ok installed\n\n")
        status = fh.name
    cache = {}
    result = {"minbase_bytes": installed_bytes(base, cache), "minbase_packages": len(base),
              "closure": {}, "recommends": {}, "unknown": []}
    for name in sys.argv[2:]:
        without = simulate(status, [name], False)
        with_rec = simulate(status, [name], True)
        if without is None or with_rec is None:
            result["unknown"].append(name)
            continue
        installed_bytes(with_rec, cache)
        strip = lambda names: sorted({n.split(":")[0] for n in names})
        result["closure"][name] = strip(without)
        result["recommends"][name] = strip(set(with_rec) - set(without))
    used = {n for v in list(result["closure"].values()) + list(result["recommends"].values()) for n in v}
    result["sizes"] = {n: cache[n] for n in sorted(used) if n in cache}
    json.dump(result, sys.stdout, indent=None, sort_keys=True, separators=(",", ":"))
    print()


if __name__ == "__main__":
    main()
