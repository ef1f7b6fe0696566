#!/usr/bin/env python3
"""Build every Dockerfile in bench/images/cases as written, after `dlint fix` and after
`dlint fix --unsafe-fixes`, and measure what each image really ships.

    python3 bench/images/run.py            # all cases; results in bench/images/results/
    python3 bench/images/run.py --case 04-pip-cache --case 05-node-npm-cache

Needs root and Debian's buildah, skopeo and debootstrap (installed with apt-get when missing).
No Docker daemon or registry is used: the Debian base images are made locally with debootstrap
and cached, apt/pip/npm inside the builds reach their usual mirrors and registries.

For each case and variant the script records: build success, the layers the Dockerfile adds on
top of its base, their uncompressed and gzip-compressed size, the installed packages
(`dpkg-query -W` on the image's own dpkg database), the case's key files (type, mode, owner,
size, sha256), a manifest of the whole file system outside cache directories, and the image
config. The safe variant must install the same packages and the same files as the original.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import difflib
import fnmatch
import glob
import hashlib
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CASES = HERE / "cases"
RESULTS = HERE / "results"
VARIANTS = ("original", "safe", "unsafe")
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
SECURITY_MIRROR = "http://deb.debian.org/debian-security"
BASE_TAGS = {
    "full": ["debian:12", "debian:bookworm", "debian:latest"],
    "slim": ["debian:12-slim", "debian:bookworm-slim"],
}
IMAGE_PREFIX = "localhost/dlint-bench"
# Every rule, the opt-in ones included: the benchmark proves what each fix does to a real image.
RULES = ("--select", "ALL")
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Paths whose contents are what the fixes remove (caches, package lists) or that differ from
# build to build whatever the Dockerfile says (logs, dpkg/debconf backups): the file comparison
# between variants skips them; installed packages and key files are compared separately.
VOLATILE = (
    "var/lib/apt/lists/*", "var/cache/*", "var/log/*", "tmp/*", "var/tmp/*",
    "root/.cache/*", "root/.npm/*", "home/*/.cache/*", "home/*/.npm/*",
    "var/lib/dpkg/*-old", "etc/*-", "run/*", "proc/*", "sys/*", "dev/*",
)

# Files bind-mounted into every RUN so that pip and npm inside the builds trust the same
# certificate authorities as this machine (its network may inspect TLS with a CA of its own).
# They exist only while a RUN executes: the images keep the empty mount points from the base.
TRUST_MOUNTS = {
    "ca.pem": "/run/dlint-bench/ca.pem",
    "pip.conf": "/etc/pip.conf",
    "npmrc": "/etc/npmrc",
}
HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"

# The configuration Debian's official images carry (the same settings, written here):
# no cached .deb or .bin files after apt runs, no translations, compressed indexes,
# suggests not kept by autoremove, and for the slim variant no docs, man pages or locales.
APT_DOCKER_CONFIG = {
    "etc/apt/apt.conf.d/docker-clean": (
        'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb '
        '/var/cache/apt/*.bin || true"; };\n'
        'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb '
        '/var/cache/apt/*.bin || true"; };\n'
        'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n'
    ),
    "etc/apt/apt.conf.d/docker-no-languages": 'Acquire::Languages "none";\n',
    "etc/apt/apt.conf.d/docker-gzip-indexes": (
        'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n'
    ),
    "etc/apt/apt.conf.d/docker-autoremove-suggests": (
        'Apt::AutoRemove::SuggestsImportant "false";\n'
    ),
    "etc/dpkg/dpkg.cfg.d/docker-apt-speedup": "force-unsafe-io\n",
    "etc/apt/sources.list.d/debian.sources": (
        f"Types: deb\nURIs: {MIRROR}\nSuites: {SUITE} {SUITE}-updates\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        f"Types: deb\nURIs: {SECURITY_MIRROR}\nSuites: {SUITE}-security\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    ),
}
SLIM_EXCLUDES = [
    "/usr/share/doc/*", "/usr/share/info/*", "/usr/share/linda/*", "/usr/share/lintian/overrides/*",
    "/usr/share/locale/*", "/usr/share/man/*", "/usr/share/groff/*",
]
SLIM_INCLUDES = ["/usr/share/doc/*/copyright", "/usr/share/locale/locale.alias"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Tools:
    """buildah and skopeo on a storage of their own, so nothing else on the machine is touched."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.root = cache / "storage"
        self.runroot = cache / "run"
        self.logs = cache / "logs"
        for d in (self.root, self.runroot, self.logs):
            d.mkdir(parents=True, exist_ok=True)

    def buildah_argv(self, *args: str) -> list:
        return ["buildah", "--root", str(self.root), "--runroot", str(self.runroot),
                "--storage-driver", "overlay", *args]

    def buildah(self, *args: str, check: bool = True, capture: bool = True) -> str:
        p = subprocess.run(self.buildah_argv(*args), text=True, capture_output=capture)
        if check and p.returncode != 0:
            raise RuntimeError(f"buildah {' '.join(args)} failed: {(p.stderr or '').strip()}")
        return p.stdout if capture else ""

    def storage_ref(self, image: str) -> str:
        return f"containers-storage:[overlay@{self.root}+{self.runroot}]{image}"

    def image_exists(self, image: str) -> bool:
        p = subprocess.run(self.buildah_argv("inspect", "--type", "image", image), capture_output=True)
        return p.returncode == 0

    def inspect(self, image: str) -> dict:
        return json.loads(self.buildah("inspect", "--type", "image", image))


def ensure_tools() -> None:
    missing = [t for t in ("buildah", "skopeo", "debootstrap") if shutil.which(t) is None]
    if not missing:
        return
    if shutil.which("apt-get") is None:
        sys.exit(f"missing {', '.join(missing)} and no apt-get to install them")
    log(f"installing {' '.join(missing)} with apt-get")
    subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, stdout=subprocess.DEVNULL)


# --- base images -------------------------------------------------------------------------------

def make_rootfs(cache: Path, flavour: str) -> Path:
    """A bookworm minbase tree configured like Debian's official images; cached on disk."""
    rootfs = cache / f"rootfs-{SUITE}-{flavour}"
    done = rootfs.with_name(rootfs.name + ".done")
    if done.exists():
        return rootfs
    if rootfs.exists():
        shutil.rmtree(rootfs)
    plain = cache / f"rootfs-{SUITE}-full"
    if flavour == "slim" and (plain.with_name(plain.name + ".done")).exists():
        log("copying the bookworm tree for the slim variant")
        subprocess.run(["cp", "-a", str(plain), str(rootfs)], check=True)
    else:
        log(f"debootstrap --variant=minbase {SUITE} ({flavour})")
        with open(cache / f"debootstrap-{flavour}.log", "w") as out:
            subprocess.run(["debootstrap", "--variant=minbase", SUITE, str(rootfs), MIRROR],
                           check=True, stdout=out, stderr=subprocess.STDOUT)
    for rel, text in APT_DOCKER_CONFIG.items():
        p = rootfs / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (rootfs / "etc/apt/sources.list").unlink(missing_ok=True)
    if flavour == "slim":
        lines = [f"path-exclude {p}" for p in SLIM_EXCLUDES] + [f"path-include {p}" for p in SLIM_INCLUDES]
        (rootfs / "etc/dpkg/dpkg.cfg.d/docker").write_text("\n".join(lines) + "\n")
        for pattern in SLIM_EXCLUDES:
            for p in glob.glob(str(rootfs) + pattern):
                rel = "/" + os.path.relpath(p, rootfs)
                if any(fnmatch.fnmatch(rel, inc) for inc in SLIM_INCLUDES):
                    continue
                if os.path.isdir(p) and not os.path.islink(p):
                    # keep copyright files of packages: walk instead of removing the folder
                    for dirpath, dirnames, filenames in os.walk(p, topdown=False):
                        for f in filenames:
                            fp = os.path.join(dirpath, f)
                            if not any(fnmatch.fnmatch("/" + os.path.relpath(fp, rootfs), inc) for inc in SLIM_INCLUDES):
                                os.unlink(fp)
                        try:
                            os.rmdir(dirpath)
                        except OSError:
                            pass
                else:
                    os.unlink(p)
    # as in official images: no package lists, no apt caches, no host identity
    for pattern in ("var/lib/apt/lists/*", "var/cache/apt/*.bin", "var/cache/apt/archives/*.deb",
                    "var/log/*.log", "var/log/apt/*", "etc/hostname", "etc/resolv.conf"):
        for p in glob.glob(str(rootfs / pattern)):
            if os.path.isfile(p) or os.path.islink(p):
                os.unlink(p)
    for p in ("etc/machine-id",):
        if (rootfs / p).exists():
            (rootfs / p).write_text("")
    # empty mount points for the build-time trust files (see trust_volumes): with the mount point
    # already in the base, a bind mount during RUN leaves nothing behind in the measured layers
    for rel in TRUST_MOUNTS.values():
        p = rootfs / rel.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.touch()
    done.touch()
    return rootfs


def ensure_base_images(tools: Tools, rebuild: bool) -> dict:
    """Import the bookworm trees as debian:12 / debian:bookworm(-slim) once; returns base info."""
    info = {}
    for flavour, tags in BASE_TAGS.items():
        if rebuild or not all(tools.image_exists(t) for t in tags):
            if rebuild:
                for f in tools.cache.glob(f"rootfs-{SUITE}-{flavour}*"):
                    shutil.rmtree(f) if f.is_dir() else f.unlink()
            rootfs = make_rootfs(tools.cache, flavour)
            log(f"importing {tags[0]}")
            c = tools.buildah("from", "scratch").strip()
            try:
                mnt = tools.buildah("mount", c).strip()
                # tar keeps owners, modes and special files exactly (a plain copy would chown to root)
                tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-cf", "-", "."],
                                       stdout=subprocess.PIPE)
                subprocess.run(["tar", "-C", mnt, "--numeric-owner", "-xpf", "-"], stdin=tar.stdout, check=True)
                if tar.wait() != 0:
                    raise RuntimeError("tar of the base tree failed")
                tools.buildah("umount", c)
                tools.buildah("config", "--cmd", "bash", "--env", PATH_ENV, c)
                tools.buildah("commit", "--quiet", c, tags[0])
            finally:
                tools.buildah("rm", c, check=False)
            for t in tags[1:]:
                tools.buildah("tag", tags[0], t)
        meta = tools.inspect(tags[0])
        info[flavour] = {
            "tags": tags,
            "diff_ids": meta["OCIv1"]["rootfs"]["diff_ids"],
            "created": meta["OCIv1"].get("created"),
        }
    return info


def trust_volumes(cache: Path, relay=None) -> list:
    """`--volume` arguments giving every RUN this machine's CA bundle and pip/npm settings using it
    (and pip the PyPI relay, when there is one)."""
    if not os.path.exists(HOST_CA_BUNDLE) and relay is None:
        return []
    d = cache / "trust"
    d.mkdir(exist_ok=True)
    if os.path.exists(HOST_CA_BUNDLE):
        shutil.copyfile(HOST_CA_BUNDLE, d / "ca.pem")
    else:
        (d / "ca.pem").write_text("")
    ca = TRUST_MOUNTS["ca.pem"]
    pip = f"[global]\ncert = {ca}\n"
    if relay is not None:
        host = relay.base.split("//", 1)[1]
        pip += f"index-url = {relay.base}/simple/\ntrusted-host = {host}\n"
    (d / "pip.conf").write_text(pip)
    (d / "npmrc").write_text(f"cafile={ca}\n")
    return [arg for name, target in TRUST_MOUNTS.items() for arg in ("--volume", f"{d / name}:{target}:ro")]


class PyPIRelay:
    """PyPI over plain HTTP on this machine's loopback, with the caching headers PyPI sends.

    pip (23.0 in bookworm) keeps a download only when the response allows caching; PyPI's file
    host allows a year. A network that strips those headers (a TLS-inspecting proxy, as on some
    CI machines) makes pip cache nothing, and the pip cases would measure a cache that real
    builds do have. Used only when such stripping is detected (see `pypi_needs_relay`).
    """

    FILES = "https://files.pythonhosted.org/"

    def __init__(self):
        import http.server
        import ssl
        import urllib.error
        import urllib.request

        ctx = ssl.create_default_context(cafile=HOST_CA_BUNDLE if os.path.exists(HOST_CA_BUNDLE) else None)
        relay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith("/simple/"):
                    url, cache = "https://pypi.org" + self.path, "max-age=600, public"
                elif self.path.startswith("/files/"):
                    url, cache = relay.FILES + self.path[len("/files/"):], "max-age=365000000, immutable, public"
                else:
                    self.send_error(404)
                    return
                req = urllib.request.Request(url, headers={"Accept": self.headers.get("Accept", "*/*"),
                                                           "User-Agent": self.headers.get("User-Agent", "pip")})
                try:
                    resp = urllib.request.urlopen(req, context=ctx, timeout=120)
                except urllib.error.HTTPError as exc:
                    self.send_error(exc.code)
                    return
                except OSError:
                    self.send_error(502)
                    return
                with resp:
                    self.send_response(200)
                    self.send_header("Content-Type", resp.headers.get("Content-Type", "application/octet-stream"))
                    self.send_header("Cache-Control", cache)
                    if self.path.startswith("/simple/"):
                        body = resp.read().replace(relay.FILES.encode(), f"{relay.base}/files/".encode())
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                        return
                    if resp.headers.get("Content-Length"):
                        self.send_header("Content-Length", resp.headers["Content-Length"])
                    self.end_headers()
                    shutil.copyfileobj(resp, self.wfile, 1 << 20)

        import threading

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def pypi_needs_relay() -> bool:
    """True when PyPI's file downloads reach this machine without their Cache-Control header."""
    import ssl
    import urllib.request

    ctx = ssl.create_default_context(cafile=HOST_CA_BUNDLE if os.path.exists(HOST_CA_BUNDLE) else None)
    try:
        req = urllib.request.Request("https://pypi.org/simple/pip/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
        with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
            url = json.load(r)["files"][0]["url"]
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), context=ctx, timeout=60) as r:
            return "max-age" not in (r.headers.get("Cache-Control") or "")
    except (OSError, ValueError, KeyError, IndexError):
        return False


# --- cases and dlint ---------------------------------------------------------------------------

class Case:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        meta = tomllib.loads((path / "case.toml").read_text())
        self.title = meta["title"]
        self.key_files = meta.get("key_files", [])
        self.smoke = meta.get("smoke")
        self.unchanged = bool(meta.get("unchanged", False))
        self.dockerfile = path / "Dockerfile"


def load_cases(names, directory=None, case=None) -> list:
    """The cases under ``directory`` (default: the size proof's), as ``case`` objects (default ``Case``); with
    ``names``, only those."""
    directory, case = directory or CASES, case or Case
    cases = [case(p) for p in sorted(directory.iterdir()) if (p / "Dockerfile").is_file()]
    if names:
        unknown = set(names) - {c.name for c in cases}
        if unknown:
            sys.exit(f"unknown case(s): {', '.join(sorted(unknown))}")
        cases = [c for c in cases if c.name in names]
    return cases


DLINT_SOURCE = {"path": REPO, "ref": None, "python": None}


def use_dlint_ref(ref: str, cache: Path) -> None:
    """Run dlint as committed at REF (an export of that tree), not the working tree."""
    commit = subprocess.run(["git", "rev-parse", "--verify", ref + "^{commit}"], cwd=REPO, text=True,
                            capture_output=True)
    if commit.returncode != 0:
        sys.exit(f"--dlint-ref: unknown revision {ref!r}")
    sha = commit.stdout.strip()
    dest = cache / f"dlint-{sha[:12]}"
    if not dest.exists():
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        archive = subprocess.Popen(["git", "archive", sha, "dlint", "rules", "pyproject.toml", "README.md"], cwd=REPO,
                                   stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(tmp)], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            sys.exit(f"git archive {sha} failed")
        tmp.rename(dest)
    DLINT_SOURCE.update(path=dest, ref=sha)


def prepare_dlint(cache: Path) -> None:
    """A virtual environment of the benchmark's own (CACHE/venv) with dlint installed from this checkout
    (or the --dlint-ref export) and its dependencies, as `bench/run.py` does: the system Python of a
    fresh machine has no tree-sitter."""
    venv = cache / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        log(f"creating {venv}")
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:  # Debian ships venv's ensurepip separately
            if shutil.which("apt-get") is None:
                sys.exit(f"python3 -m venv failed and no apt-get to install python3-venv: {made.stderr.strip()}")
            log("installing python3-venv with apt-get")
            subprocess.run(["apt-get", "install", "-y", "-q", "python3-venv"], check=True, stdout=subprocess.DEVNULL)
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet", "install"]
    with tempfile.TemporaryDirectory(prefix="dlint-src-") as tmp:  # an in-tree build would leave build/ behind
        src = os.path.join(tmp, "dlint")
        shutil.copytree(DLINT_SOURCE["path"], src, ignore=shutil.ignore_patterns(
            ".git", ".venv", "bench", "tests", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache"))
        log(f"installing dlint from {DLINT_SOURCE['ref'] or 'this working tree'} into {venv}")
        subprocess.run([*pip, src], check=True)  # with its dependencies
        subprocess.run([*pip, "--no-deps", "--force-reinstall", src], check=True)  # this tree's code
    DLINT_SOURCE["python"] = str(python)


def dlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """dlint as installed in the benchmark's environment (``prepare_dlint``), run on a copy outside the
    repository so that no project config applies."""
    return subprocess.run([DLINT_SOURCE["python"], "-m", "dlint", *args], cwd=cwd, text=True, capture_output=True)


def dlint_version() -> dict:
    def git(*a):
        p = subprocess.run(["git", *a], cwd=REPO, text=True, capture_output=True)
        return p.stdout.strip()
    version = dlint("--version", cwd=Path(tempfile.gettempdir())).stdout.strip()
    if DLINT_SOURCE["ref"]:
        return {"commit": DLINT_SOURCE["ref"][:7], "dlint_modified": False, "version": version}
    dirty = bool(git("status", "--porcelain", "--", "dlint", "rules"))
    return {"commit": git("rev-parse", "--short", "HEAD"), "dlint_modified": dirty, "version": version}


def prepare(case: Case, variant: str, work: Path) -> dict:
    """A build context for the variant: the case folder copied, its Dockerfile fixed by dlint."""
    ctx = work / case.name / variant
    if ctx.exists():
        shutil.rmtree(ctx)
    shutil.copytree(case.path, ctx, ignore=shutil.ignore_patterns("case.toml"))
    out = {"context": str(ctx)}
    if variant == "original":
        p = dlint("check", "--format", "json", "--exit-zero", *RULES, "Dockerfile", cwd=ctx)
        out["findings"] = _finding_codes(p.stdout)
        out["check_exit"] = p.returncode
        if p.returncode != 0:
            out["check_error"] = (p.stderr or p.stdout).strip()[-2000:]
        return out
    args = ["fix", *RULES, "--unsafe-fixes", "Dockerfile"] if variant == "unsafe" else ["fix", *RULES, "Dockerfile"]
    p = dlint(*args, cwd=ctx)
    out["fix_exit"] = p.returncode
    out["fix_output"] = (p.stdout + p.stderr).strip()[-4000:]
    before = case.dockerfile.read_bytes()
    after = (ctx / "Dockerfile").read_bytes()
    out["changed"] = before != after
    out["diff"] = "".join(difflib.unified_diff(
        before.decode("utf-8", "surrogateescape").splitlines(True),
        after.decode("utf-8", "surrogateescape").splitlines(True),
        f"a/{case.name}/Dockerfile", f"b/{case.name}/Dockerfile ({variant} fixes)"))
    # a fix that crashed or refused must not pass for "nothing to fix"
    out["fix_ok"] = p.returncode in (0, 1) and "Traceback" not in p.stderr
    left = dlint("check", "--format", "json", "--exit-zero", *RULES, "Dockerfile", cwd=ctx)
    out["findings_left"] = _finding_codes(left.stdout)
    return out


def _finding_codes(text: str) -> list:
    """Rule codes in `dlint check --format json` output (a list of findings), with their counts."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    counts = {}
    for d in data if isinstance(data, list) else []:
        if isinstance(d, dict) and d.get("code"):
            counts[d["code"]] = counts.get(d["code"], 0) + 1
    return [f"{c}×{n}" if n > 1 else c for c, n in sorted(counts.items())]


# --- building and measuring --------------------------------------------------------------------

def build(tools: Tools, case: Case, variant: str, ctx: Path, volumes: list) -> dict:
    image = f"{IMAGE_PREFIX}/{case.name}:{variant}"
    logfile = tools.logs / f"{case.name}.{variant}.log"
    argv = tools.buildah_argv("bud", "--layers", "--isolation", "chroot", "--pull=never",
                              *volumes, "-t", image, "-f", str(ctx / "Dockerfile"), str(ctx))
    t0 = time.monotonic()
    with open(logfile, "w") as out:
        rc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT).returncode
    seconds = round(time.monotonic() - t0, 1)
    res = {"image": image, "built": rc == 0, "build_seconds": seconds, "log": str(logfile)}
    if rc != 0:
        res["error"] = "".join(logfile.read_text(errors="replace").splitlines(True)[-25:])
    return res


def _gzip_size(path: Path) -> int:
    """Bytes of the layer tarball after gzip -6, as a push to a registry would store it."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    n = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            n += len(comp.compress(chunk))
    return n + len(comp.flush())


class Measurer:
    def __init__(self, tools: Tools, bases: dict):
        self.tools = tools
        self.bases = bases
        self.oci = tools.cache / "oci"
        self.gzip_cache_file = tools.cache / "gzip-sizes.json"
        try:
            self.gzip_cache = json.loads(self.gzip_cache_file.read_text())
        except (OSError, ValueError):
            self.gzip_cache = {}

    def layers(self, image: str, ref: str, diff_ids: list) -> list:
        """(digest, uncompressed bytes, gzip bytes) of each layer, from an uncompressed OCI copy."""
        subprocess.run(["skopeo", "copy", "--quiet", "--dest-oci-accept-uncompressed-layers",
                        self.tools.storage_ref(image), f"oci:{self.oci}:{ref}"], check=True)
        index = json.loads((self.oci / "index.json").read_text())
        desc = next(m for m in reversed(index["manifests"])
                    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == ref)
        manifest = json.loads(self._blob(desc["digest"]).read_text())
        out = []
        for layer in manifest["layers"]:
            digest = layer["digest"]
            if digest not in self.gzip_cache:
                self.gzip_cache[digest] = _gzip_size(self._blob(digest))
            out.append((digest, layer["size"], self.gzip_cache[digest]))
        self.gzip_cache_file.write_text(json.dumps(self.gzip_cache))
        if [d for d, _, _ in out] != diff_ids:
            raise RuntimeError(f"{image}: layer digests of the copy differ from the image's diff_ids")
        return out

    def _blob(self, digest: str) -> Path:
        algo, hexd = digest.split(":", 1)
        return self.oci / "blobs" / algo / hexd

    def measure(self, case: Case, image: str, ref: str) -> dict:
        meta = self.tools.inspect(image)
        diff_ids = meta["OCIv1"]["rootfs"]["diff_ids"]
        base = next((name for name, b in self.bases.items() if diff_ids[:len(b["diff_ids"])] == b["diff_ids"]), None)
        n_base = len(self.bases[base]["diff_ids"]) if base else 0
        layers = self.layers(image, ref, diff_ids)
        added = layers[n_base:]
        cfg = meta["OCIv1"].get("config", {})
        labels = {k: v for k, v in (cfg.get("Labels") or {}).items() if not k.startswith("io.buildah.")}
        res = {
            "base": base,
            "layers_total": len(layers),
            "layers_added": len(added),
            "added_bytes": sum(s for _, s, _ in added),
            "added_gzip_bytes": sum(g for _, _, g in added),
            "layer_sizes": [[s, g] for _, s, g in added],
            "history": [h.get("created_by", "") for h in meta["OCIv1"].get("history", [])
                        if not h.get("empty_layer")][n_base:],
            "config": {k: cfg.get(k) for k in ("Entrypoint", "Cmd", "Env", "WorkingDir", "User",
                                                 "ExposedPorts", "Volumes", "StopSignal")} | {"Labels": labels},
        }
        c = self.tools.buildah("from", "--pull=never", "--quiet", image).strip()
        try:
            mnt = Path(self.tools.buildah("mount", c).strip())
            res["packages"] = packages(mnt)
            res["key_files"] = key_files(mnt, case.key_files)
            res["files"] = manifest(mnt)
            if case.smoke:
                p = subprocess.run(self.tools.buildah_argv("run", "--isolation", "chroot", c, "--", *case.smoke),
                                   text=True, capture_output=True)
                res["smoke"] = {"exit": p.returncode, "output": (p.stdout + p.stderr).strip()[-2000:]}
        finally:
            self.tools.buildah("rm", c, check=False)
        return res


def packages(mnt: Path) -> list:
    """`dpkg-query -W` over the image's own dpkg database: "status package version" lines."""
    admin = mnt / "var/lib/dpkg"
    if not (admin / "status").exists():
        return []
    p = subprocess.run(["dpkg-query", f"--admindir={admin}", "-W",
                        "-f", "${db:Status-Abbrev}\t${binary:Package}\t${Version}\n"],
                       text=True, capture_output=True, check=True)
    return sorted(" ".join(x.strip() for x in line.split("\t")) for line in p.stdout.splitlines() if line.strip())


def _describe(path: str, with_hash: bool) -> dict:
    st = os.lstat(path)
    d = {"mode": oct(stat.S_IMODE(st.st_mode)), "owner": f"{st.st_uid}:{st.st_gid}"}
    if stat.S_ISLNK(st.st_mode):
        d.update(type="link", target=os.readlink(path))
    elif stat.S_ISDIR(st.st_mode):
        d.update(type="dir")
    elif stat.S_ISREG(st.st_mode):
        d.update(type="file", size=st.st_size)
        if with_hash:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            d["sha256"] = h.hexdigest()
    else:
        d.update(type="other")
    return d


def key_files(mnt: Path, patterns: list) -> dict:
    out = {}
    for pattern in patterns:
        matches = sorted(glob.glob(pattern.lstrip("/"), root_dir=mnt, recursive=True, include_hidden=True))
        if not matches:
            out[pattern] = "missing"
        for rel in matches:
            out["/" + rel] = _describe(str(mnt / rel), with_hash=True)
    return out


def _volatile(rel: str) -> bool:
    return any(fnmatch.fnmatch(rel, pat) or rel + "/*" == pat for pat in VOLATILE)


def manifest(mnt: Path) -> dict:
    """Every path outside the volatile ones, with type, mode, owner, size (no hashes: fast)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(mnt):
        reldir = os.path.relpath(dirpath, mnt)
        reldir = "" if reldir == "." else reldir
        keep = []
        for name in dirnames:
            rel = os.path.join(reldir, name)
            if _volatile(rel):
                continue
            out[rel] = _describe(os.path.join(dirpath, name), with_hash=False)
            if not os.path.islink(os.path.join(dirpath, name)):
                keep.append(name)
        dirnames[:] = keep
        for name in filenames:
            rel = os.path.join(reldir, name)
            if not _volatile(rel):
                out[rel] = _describe(os.path.join(dirpath, name), with_hash=False)
    return out


def compare(a: dict, b: dict) -> dict:
    """What differs between two measured images (b against the original a)."""
    pa, pb = set(a.get("packages", [])), set(b.get("packages", []))
    names_a = {p.split()[1]: p for p in pa}
    names_b = {p.split()[1]: p for p in pb}
    fa, fb = a.get("files", {}), b.get("files", {})
    only_a = sorted(set(fa) - set(fb))
    only_b = sorted(set(fb) - set(fa))
    changed = sorted(k for k in set(fa) & set(fb) if fa[k] != fb[k])
    return {
        "packages_identical": pa == pb,
        "packages_removed": sorted(set(names_a) - set(names_b)),
        "packages_added": sorted(set(names_b) - set(names_a)),
        "packages_changed": sorted(n for n in set(names_a) & set(names_b) if names_a[n] != names_b[n]),
        "key_files_identical": a.get("key_files") == b.get("key_files"),
        "key_files_differing": sorted(k for k in set(a.get("key_files", {})) | set(b.get("key_files", {}))
                                      if a.get("key_files", {}).get(k) != b.get("key_files", {}).get(k)),
        "files_identical": not (only_a or only_b or changed),
        "files_only_original": len(only_a),
        "files_only_fixed": len(only_b),
        "files_changed": len(changed),
        "files_sample": {"only_original": only_a[:15], "only_fixed": only_b[:15], "changed": changed[:15]},
        "config_identical": a.get("config") == b.get("config"),
        "smoke_identical": a.get("smoke") == b.get("smoke"),
    }


# --- the run -----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    def version(cmd):
        p = subprocess.run(cmd, text=True, capture_output=True)
        return p.stdout.strip().splitlines()[0] if p.returncode == 0 and p.stdout.strip() else "?"
    osname = ""
    try:
        osname = next(l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release")
                      if l.startswith("PRETTY_NAME="))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release(), "os": osname,
            "buildah": version(["buildah", "--version"]), "skopeo": version(["skopeo", "--version"]),
            "python": platform.python_version()}


def image_layers(ctx: Path, oci: Path, ref: str) -> dict:
    """`dlint layers Dockerfile --image OCI:REF`: per layer, the line it came from, its content bytes and
    the bytes later layers waste, as dlint measures them from the image itself."""
    p = dlint("layers", "Dockerfile", "--image", f"{oci}:{ref}", "--format", "json", cwd=ctx)
    try:
        img = json.loads(p.stdout)["image"]
    except (ValueError, KeyError):
        return {"exit": p.returncode, "error": (p.stderr or p.stdout).strip()[-500:]}
    keep = ("index", "line", "instruction", "match", "bytes", "wasted_bytes", "hides_bytes", "from_base")
    return {"exit": p.returncode, "error": p.stderr.strip()[-500:] or None,
            "total_bytes": img["total_bytes"], "wasted_bytes": img["wasted_bytes"],
            "efficiency": img["efficiency"], "history_matches": img["history_matches"],
            "layers": [{k: layer[k] for k in keep} | {"findings": [f["code"] for f in layer["findings"]]}
                       for layer in img["layers"]]}


def cleanup(tools: Tools) -> None:
    """Remove the bench images and every intermediate layer; the base images stay for the next run."""
    out = tools.buildah("images", "--format", "{{.Name}}:{{.Tag}}", check=False)
    for name in out.split():
        if name.startswith(IMAGE_PREFIX + "/"):
            tools.buildah("rmi", "--force", name, check=False)
    tools.buildah("rm", "--all", check=False)
    tools.buildah("rmi", "--prune", "--force", check=False)
    shutil.rmtree(tools.cache / "oci", ignore_errors=True)
    shutil.rmtree(tools.cache / "work", ignore_errors=True)


def run_case(case: Case, tools: Tools, measurer: Measurer, volumes: list, variants) -> dict:
    work = tools.cache / "work"
    res = {"title": case.title, "expect_unchanged": case.unchanged, "variants": {}}
    measured = {}
    for variant in variants:
        log(f"{case.name}: {variant}")
        v = prepare(case, variant, work)
        res["variants"][variant] = v
        if variant != "original" and not v["changed"] and "original" in measured:
            # the fix left the file as it was: the image is the original's
            v.update({k: val for k, val in res["variants"]["original"].items()
                      if k in ("built", "build_seconds", "image", "measure")})
            v["same_as_original"] = True
            measured[variant] = measured["original"]
            continue
        v.update(build(tools, case, variant, Path(v["context"]), volumes))
        if v["built"]:
            m = measurer.measure(case, v["image"], f"{case.name}-{variant}")
            m["dlint_layers"] = image_layers(Path(v["context"]), measurer.oci, f"{case.name}-{variant}")
            measured[variant] = m
            v["measure"] = {k: val for k, val in m.items() if k not in ("files", "packages")}
            v["packages_count"] = len(m["packages"])
            v["packages"] = m["packages"]
        else:
            log(f"{case.name}: {variant} FAILED to build (log: {v['log']})")
    if "original" in measured:
        for variant, m in measured.items():
            if variant != "original":
                res["variants"][variant]["compare"] = compare(measured["original"], m)
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", help="only this case (folder name under cases/); repeatable")
    ap.add_argument("--cache-dir", default=os.environ.get("DLINT_BENCH_CACHE", "/var/tmp/dlint-bench"),
                    help="base trees, image storage, logs (default: %(default)s)")
    ap.add_argument("--rebuild-base", action="store_true", help="debootstrap the base images again")
    ap.add_argument("--keep-images", action="store_true", help="keep the built images (for inspection)")
    ap.add_argument("--variants", default=",".join(VARIANTS),
                    help="comma separated subset of %(default)s")
    ap.add_argument("--dlint-ref", metavar="REV",
                    help="use dlint as committed at this git revision (default: the working tree)")
    ap.add_argument("--no-chart", action="store_true", help="skip the PNG (no matplotlib venv)")
    ap.add_argument("--results", help=f"output folder (default: {RESULTS.relative_to(REPO)} for a run of all "
                    "cases, CACHE_DIR/results-partial with --case)")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("run as root: buildah with --isolation chroot and debootstrap need it")
    variants = [v for v in args.variants.split(",") if v]
    if not variants or variants[0] != "original" or set(variants) - set(VARIANTS):
        sys.exit(f"--variants must start with original and use only {', '.join(VARIANTS)}")
    ensure_tools()
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    tools = Tools(cache)
    cases = load_cases(args.case)
    if args.dlint_ref:
        use_dlint_ref(args.dlint_ref, cache)
    prepare_dlint(cache)
    cleanup(tools)  # a fresh layer cache: every image is built now, from the mirror as it is now
    started = _dt.datetime.now(_dt.timezone.utc)
    t0 = time.monotonic()
    bases = ensure_base_images(tools, args.rebuild_base)
    relay = PyPIRelay() if pypi_needs_relay() else None
    if relay is not None:
        log(f"PyPI's caching headers do not reach this machine: pip goes through {relay.base}, which restores them")
    volumes = trust_volumes(cache, relay)
    measurer = Measurer(tools, bases)
    results = {}
    try:
        for case in cases:
            results[case.name] = run_case(case, tools, measurer, volumes, variants)
            if not args.keep_images:
                cleanup(tools)  # one case's images at a time on disk
    finally:
        if relay is not None:
            relay.stop()
        if not args.keep_images:
            cleanup(tools)
    out = Path(args.results) if args.results else (cache / "results-partial" if args.case else RESULTS)
    report = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": round((time.monotonic() - t0) / 60, 1),
        "machine": machine(),
        "dlint": dlint_version(),
        "base_images": {k: {"tags": v["tags"], "created": v["created"]} for k, v in bases.items()},
        "pypi_relay": relay is not None,
        "cases": results,
    }
    write_results(report, out, chart=not args.no_chart, cache=cache)
    problems = verdicts(report)
    for p in problems:
        log("PROBLEM: " + p)
    log(f"done in {report['minutes']} min; table: {out / 'table.md'}")
    return 1 if problems else 0


# --- results -----------------------------------------------------------------------------------

def _mb(n) -> str:
    return "–" if n is None else f"{n / 1e6:.1f}"


def _pct(before, after) -> str:
    if before is None or after is None or before == 0:
        return "–"
    return f"{100 * (before - after) / before:.0f} %"


def _m(case: dict, variant: str, key: str):
    v = case["variants"].get(variant, {})
    return v.get("measure", {}).get(key) if v.get("built") else None


def _yes(case: dict, variant: str) -> str:
    v = case["variants"].get(variant)
    if v is None:
        return "–"
    if not v.get("built"):
        return "**build failed**"
    if v.get("same_as_original"):
        return "yes (unchanged)"
    cmp = v.get("compare")
    if cmp is None:
        return "–"
    return "yes" if cmp["packages_identical"] else f"no ({_pkg_delta(cmp)})"


def _pkg_delta(cmp: dict) -> str:
    parts = []
    if cmp["packages_removed"]:
        parts.append(f"−{len(cmp['packages_removed'])}")
    if cmp["packages_added"]:
        parts.append(f"+{len(cmp['packages_added'])}")
    if cmp["packages_changed"]:
        parts.append(f"{len(cmp['packages_changed'])} other version")
    return ", ".join(parts)


def verdicts(report: dict) -> list:
    """Everything that breaks the promise: a fixed image that fails, or a safe fix that changes the image."""
    problems = []
    for name, case in report["cases"].items():
        for variant, v in case["variants"].items():
            if variant == "original":
                if not v.get("built"):
                    problems.append(f"{name}: the original does not build")
                if v.get("check_exit") not in (0, 1, None):
                    problems.append(f"{name}: dlint check exited {v.get('check_exit')}")
                continue
            if not v.get("fix_ok", True):
                problems.append(f"{name}: dlint fix ({variant}) exited {v.get('fix_exit')}: {v.get('fix_output', '')[-300:]}")
            if case["expect_unchanged"] and v.get("changed"):
                problems.append(f"{name}: already optimal, but dlint fix ({variant}) changed it")
            if not v.get("built"):
                problems.append(f"{name}: the {variant}-fixed Dockerfile does not build")
                continue
            cmp = v.get("compare")
            if not cmp:
                continue
            checks = ["key_files_identical", "config_identical", "smoke_identical"]
            if variant == "safe":
                checks += ["packages_identical", "files_identical"]
            for check in checks:
                if not cmp[check]:
                    problems.append(f"{name}: {variant} fix: {check.replace('_', ' ')} is false")
    return problems


def write_results(report: dict, out: Path, chart: bool, cache: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    diffs, pkgs = out / "diffs", out / "packages"
    for d in (diffs, pkgs):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir()
    for name, case in report["cases"].items():
        for variant, v in case["variants"].items():
            if v.get("changed"):
                (diffs / f"{name}.{variant}.diff").write_text(v["diff"])
            if v.get("packages"):
                # dpkg-query -W of the image: status, package, version
                (pkgs / f"{name}.{variant}.txt").write_text("\n".join(v["packages"]) + "\n")
    slim = json.loads(json.dumps(report))
    for case in slim["cases"].values():
        for v in case["variants"].values():
            for k in ("diff", "context", "log", "image", "packages"):
                v.pop(k, None)
    (out / "results.json").write_text(json.dumps(slim, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    (out / "table.md").write_text(render_table(report))
    if chart:
        png = out / "sizes.png"
        try:
            plot_with_venv(out / "results.json", png, cache)
        except (OSError, subprocess.CalledProcessError) as exc:
            log(f"no chart: {exc}")


def render_table(report: dict) -> str:
    m = report["machine"]
    d = report["dlint"]
    lines = [
        "# Image sizes before and after `dlint fix`",
        "",
        f"Measured {report['date']} in {report['minutes']} min on {m['cpu']} ({m['cores']} cores, {m['memory']}), "
        f"{m['os']}, kernel {m['kernel']}; {m['buildah']}, {m['skopeo']}; dlint {d['version'].split()[-1]} "
        f"(commit {d['commit']}{', with uncommitted changes' if d['dlint_modified'] else ''}).",
        "",
        "Sizes are the layers each Dockerfile adds on top of its Debian 12 base (made with debootstrap), "
        "as uncompressed tar and after gzip -6 (MB = 10⁶ bytes). *Safe* is `dlint fix`, *unsafe* is "
        "`dlint fix --unsafe-fixes`. *Packages identical* compares `dpkg-query -W` (name, version, status) "
        "of the final images.",
        "",
        "| Dockerfile | Layers before → after | MB before | MB after | Saved | gzip MB before → after | Saved (gzip) "
        "| Packages identical | Unsafe: layers | Unsafe: MB | Unsafe: saved | Unsafe: packages identical |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    tot = {k: 0 for k in ("o", "s", "u", "og", "sg", "ug", "lo", "ls", "lu")}
    complete = True
    for name, case in report["cases"].items():
        o, s, u = (_m(case, v, "added_bytes") for v in VARIANTS)
        og, sg, ug = (_m(case, v, "added_gzip_bytes") for v in VARIANTS)
        lo, ls, lu = (_m(case, v, "layers_added") for v in VARIANTS)
        if None in (o, s, u):
            complete = False
        else:
            for k, val in zip(("o", "s", "u", "og", "sg", "ug", "lo", "ls", "lu"), (o, s, u, og, sg, ug, lo, ls, lu)):
                tot[k] += val
        lines.append(
            f"| [{name}](../cases/{name}/Dockerfile) | {lo if lo is not None else '–'} → {ls if ls is not None else '–'} "
            f"| {_mb(o)} | {_mb(s)} | {_pct(o, s)} | {_mb(og)} → {_mb(sg)} | {_pct(og, sg)} | {_yes(case, 'safe')} "
            f"| {lu if lu is not None else '–'} | {_mb(u)} | {_pct(o, u)} | {_yes(case, 'unsafe')} |")
    if complete and report["cases"]:
        lines.append(
            f"| **all {len(report['cases'])}** | **{tot['lo']} → {tot['ls']}** | **{_mb(tot['o'])}** | **{_mb(tot['s'])}** | **{_pct(tot['o'], tot['s'])}** "
            f"| **{_mb(tot['og'])} → {_mb(tot['sg'])}** | **{_pct(tot['og'], tot['sg'])}** | | **{tot['lu']}** | **{_mb(tot['u'])}** "
            f"| **{_pct(tot['o'], tot['u'])}** | |")
    lines += ["", "## Per Dockerfile", ""]
    for name, case in report["cases"].items():
        orig = case["variants"].get("original", {})
        found = ", ".join(orig.get("findings", [])) or "none"
        lines.append(f"- **{name}** ({case['title']}). Findings: {found}.")
        for variant in ("safe", "unsafe"):
            v = case["variants"].get(variant)
            if v is None:
                continue
            if not v.get("changed"):
                what = "left the file unchanged"
            else:
                what = f"changed it ([diff](diffs/{name}.{variant}.diff))"
            extra = []
            if v.get("changed") and not v.get("built"):
                extra.append("**the result does not build**: " + v.get("error", "").strip().splitlines()[-1][:200]
                             if v.get("error") else "**the result does not build**")
            cmp = v.get("compare")
            if cmp and not v.get("same_as_original"):
                if not cmp["packages_identical"]:
                    ex = []
                    if cmp["packages_removed"]:
                        ex.append(f"not installed: {_names(cmp['packages_removed'])}")
                    if cmp["packages_added"]:
                        ex.append(f"added: {_names(cmp['packages_added'])}")
                    if cmp["packages_changed"]:
                        ex.append(f"other version: {_names(cmp['packages_changed'])}")
                    extra.append("packages differ (" + "; ".join(ex) + ")")
                if not cmp["files_identical"]:
                    extra.append(f"files outside caches differ ({cmp['files_only_original']} only before, "
                                 f"{cmp['files_only_fixed']} only after, {cmp['files_changed']} changed)")
                else:
                    extra.append("every file outside caches identical")
                for check in ("key_files_identical", "config_identical", "smoke_identical"):
                    if not cmp[check]:
                        extra.append(f"**{check.replace('_identical', '').replace('_', ' ')} differ**")
            if v.get("findings_left") is not None:
                extra.append("findings left: " + (", ".join(v["findings_left"]) or "none"))
            lines.append(f"  - {variant}: {what}" + ("; " + "; ".join(extra) if extra else "") + ".")
    lines += ["", "## Per layer, as `dlint layers Dockerfile --image` measures the original image", "",
              "Content bytes of each layer (base image layers summed) and the bytes later layers delete, "
              "overwrite or store again; the findings of `dlint check` on the layer's line.", ""]
    for name, case in report["cases"].items():
        dl = ((case["variants"].get("original") or {}).get("measure") or {}).get("dlint_layers")
        if not dl:
            continue
        if "layers" not in dl:
            lines.append(f"- **{name}**: `dlint layers --image` failed: {dl.get('error')}")
            continue
        base = [l for l in dl["layers"] if l["from_base"]]
        rows = [f"base ({len(base)} layer{'s' if len(base) != 1 else ''}) {_mb(sum(l['bytes'] for l in base))} MB"]
        for l in dl["layers"]:
            if l["from_base"]:
                continue
            where = f"line {l['line']} {l['instruction']}" if l["line"] else "?"
            waste = f", wasted {_mb(l['wasted_bytes'])}" if l["wasted_bytes"] else ""
            found = f" [{', '.join(l['findings'])}]" if l["findings"] else ""
            rows.append(f"{where} {_mb(l['bytes'])}{waste}{found}")
        lines.append(f"- **{name}**: total {_mb(dl['total_bytes'])} MB, wasted {_mb(dl['wasted_bytes'])} MB, "
                     f"efficiency {100 * dl['efficiency']:.1f} %"
                     + ("" if dl["history_matches"] else " (history does not match)") + ": " + "; ".join(rows) + ".")
    problems = verdicts(report)
    lines += ["", "## Verdict", ""]
    if problems:
        lines += [f"- {p}" for p in problems]
    else:
        lines.append("Every fixed Dockerfile builds; every safe fix keeps the installed packages, the key files, "
                     "every file outside caches, the image config and the smoke test output identical.")
    return "\n".join(lines) + "\n"


def _names(names: list, limit: int = 12) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --- chart -------------------------------------------------------------------------------------

def plot_with_venv(results_json: Path, png: Path, cache: Path) -> None:
    """matplotlib lives in a venv of the bench's own, so dlint never depends on it."""
    venv = cache / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(py), "-c", "import matplotlib"], capture_output=True).returncode != 0:
        log("installing matplotlib into the bench venv for the chart")  # the venv dlint is installed in
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "matplotlib>=3.7"], check=True)
    subprocess.run([str(py), str(Path(__file__).resolve()), "--plot", str(results_json), str(png)], check=True)


def plot(results_json: Path, png: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    report = json.loads(Path(results_json).read_text())
    names = list(report["cases"])
    fig, axes = plt.subplots(1, 2, figsize=(13, 0.55 * len(names) + 2.2), sharey=True)
    colours = {"original": "#9e9e9e", "safe": "#2e7d32", "unsafe": "#1565c0"}
    labels = {"original": "as written", "safe": "dlint fix", "unsafe": "dlint fix --unsafe-fixes"}
    h = 0.26
    for ax, key, title in ((axes[0], "added_bytes", "Added layers, uncompressed (MB)"),
                           (axes[1], "added_gzip_bytes", "Added layers, gzip (MB)")):
        for i, variant in enumerate(VARIANTS):
            ys = [j + (i - 1) * h for j in range(len(names))]
            vals = [(_m(report["cases"][n], variant, key) or 0) / 1e6 for n in names]
            bars = ax.barh(ys, vals, height=h, color=colours[variant], label=labels[variant])
            for bar, val in zip(bars, vals):
                ax.text(bar.get_width(), bar.get_y() + h / 2, f" {val:.0f}", va="center", fontsize=7)
        ax.set_title(title, fontsize=10)
        ax.set_yticks(range(len(names)))
        ax.set_yticklabels(names, fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_axisbelow(True)
    axes[0].invert_yaxis()  # the axes share y: invert once, first case and "as written" on top
    handles, texts = axes[0].get_legend_handles_labels()
    fig.suptitle(f"Image size before and after dlint fix (buildah, Debian 12 base, {report['date']})", fontsize=11)
    fig.legend(handles, texts, loc="upper center", ncol=3, fontsize=8, frameon=False,
               bbox_to_anchor=(0.5, 1 - 0.35 / fig.get_figheight()))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.55 / fig.get_figheight()))
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--plot":
        plot(Path(sys.argv[2]), Path(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
