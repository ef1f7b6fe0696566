"""What dlint knows about base images, from the catalogue in ``data/images.json``: which images are
minimal, distroless, shell-less, toolchains or Windows; which name their version; which packages are
toolchains or headers; the language runtimes of Debian and Ubuntu releases. Plain data in (an image
reference, a package name), answers out."""
from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

from .data import load_json
from .stages import ImageRef

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, List, Optional, Tuple


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return load_json("images.json")


def matches_any(patterns: Iterable[str], text: str) -> bool:
    """Whether ``text`` matches one of the glob ``patterns`` (case aside)."""
    return _matches(tuple(patterns), text.lower())


@lru_cache(maxsize=4096)
def _matches(patterns: Tuple[str, ...], text: str) -> bool:
    """The answer for one catalogue list and one name, kept: the same lists are asked about the same few
    names for every stage of every file."""
    return any(fnmatch.fnmatchcase(text, p.lower()) for p in patterns)


def _path_suffixes(path: str) -> List[str]:
    parts = path.lower().split("/")
    return ["/".join(parts[i:]) for i in range(len(parts))]


def is_distroless(ref: ImageRef) -> bool:
    return any(ref.repository.startswith(p) for p in catalogue()["distroless"]["prefixes"])


def is_minimal(ref: ImageRef) -> bool:
    """Distroless, Chainguard, Wolfi, hardened or chiseled images: already as small as a base gets."""
    m = catalogue()["minimal"]
    if matches_any(m["repositories"], ref.repository):
        return True
    tag = (ref.tag or "").lower()
    return any(marker in tag for marker in m["tag_markers"])


def is_development_image(ref: ImageRef) -> bool:
    return matches_any(catalogue()["development"]["repositories"], ref.repository)


def no_distroless_equivalent(ref: ImageRef) -> bool:
    """Servers the application is deployed into, PHP, conda, function hosts, Windows: no distroless image
    runs what they run."""
    data = catalogue()["no_distroless_equivalent"]
    if matches_any(data["repositories"], ref.repository) or matches_any(data["repositories"], ref.path):
        return True
    return is_windows_ref(ref)


def is_windows_ref(ref: ImageRef) -> bool:
    data = catalogue()["no_distroless_equivalent"]
    text = f"{ref.path}:{ref.tag or ''}".lower()
    return "windows" in ref.path or any(m in text for m in data["windows_tag_markers"])


def family(ref: ImageRef) -> Optional[Tuple[str, str]]:
    """``(category, family)`` for full OS and language images, e.g. ``("python", "python")``."""
    fams = catalogue()["families"]
    suffixes = _path_suffixes(ref.path)
    for category, names in fams.items():
        if category == "comment":
            continue
        for name in names:
            if ("/" in name and name in suffixes) or ("/" not in name and suffixes[-1] == name):
                return category, name
    return None


def is_shellless(ref: ImageRef) -> bool:
    """True when the image is known to have no /bin/sh (distroless without a debug tag, Chainguard
    standard images, chiseled images). Unknown images are assumed to have a shell."""
    data = catalogue()["shellless"]
    tag = (ref.tag or "latest").lower()
    if is_distroless(ref):
        return not matches_any(data["distroless_shell_tags"], tag)
    if matches_any(data["chainguard_repositories"], ref.repository):
        if any(m in tag for m in data["chainguard_shell_tag_markers"]):
            return False
        if matches_any(data["chainguard_with_shell"], ref.name):
            return False
        return ref.name in data["chainguard_without_shell"]
    if any(m in tag for m in data["other_tag_markers"]):
        return True
    return matches_any(data["other_repositories"], ref.repository) if data["other_repositories"] else False


def default_entrypoint(ref: ImageRef) -> Optional[str]:
    """The interpreter a shell-less image's own ENTRYPOINT runs, if any."""
    for pattern, interpreter in catalogue()["default_entrypoints"].items():
        if pattern != "comment" and fnmatch.fnmatchcase(ref.repository, pattern):
            return interpreter
    return None


_ARCHITECTURES = {"arm32", "arm64", "amd64", "x86", "x64", "i386", "i686", "ppc64", "s390", "aarch64", "armv7",
                  "armv6", "armv8", "win32", "win64"}


def version_in_name(ref: ImageRef) -> bool:
    """Repositories named for one version (``ubi9-minimal``, ``rhel8``, ``centos/ruby-25-centos7``,
    ``python38``): their ``latest`` is that version's newest build, as ``alpine:3`` is, which is a pin by
    version. A word of the name that is a number, or letters ending in a number (not an architecture such
    as ``arm64``), names the version."""
    if matches_any(catalogue()["major_version_in_name"]["repositories"], ref.path):
        return True
    name = ref.path.rsplit("/", 1)[-1].lower()
    for word in name.replace("_", "-").replace(".", "-").split("-"):
        letters = word.rstrip("0123456789")
        if letters != word and word not in _ARCHITECTURES and (not letters or letters.isalpha()):
            return True
    return False


def rolling_release(ref: ImageRef) -> bool:
    """Rolling-release distributions (Arch Linux, Kali rolling, openSUSE Tumbleweed...): no version to pin."""
    return matches_any(catalogue()["rolling_releases"]["repositories"], ref.repository) or matches_any(
        catalogue()["rolling_releases"]["repositories"], ref.path)


def moving_tags_only(ref: ImageRef) -> bool:
    return matches_any(catalogue()["moving_tag_only"]["repositories"], ref.repository)


def example_tag(ref: ImageRef) -> Optional[str]:
    """A version tag to show for Docker Hub's official images (``python``, not ``someone/python``)."""
    if ref.registry is not None or "/" in ref.path:
        return None
    return catalogue()["example_tags"].get(ref.path)


def is_toolchain_base(ref: ImageRef) -> bool:
    """Images that hold a full C toolchain before a file adds anything (``python:3.12``, ``node:20``,
    ``ruby:3.3``, ``buildpack-deps``, ``gcc``, ``golang``, S2I builders, GDAL); not their slim or Alpine tags."""
    data = catalogue()["toolchain_bases"]
    if not (matches_any(data["repositories"], ref.repository) or matches_any(data["repositories"], ref.path)):
        return False
    tag = (ref.tag or "").lower()
    return not any(m in tag for m in data["lean_tag_markers"])


def is_toolchain_package(name: str) -> bool:
    data = catalogue()["toolchain"]
    n = package_name(name)
    if not n or matches_any(data["not_toolchain"], n):
        return False
    return n in data["packages"] or matches_any(data["package_patterns"], n)


def package_name(spec: str) -> str:
    """``libpq-dev=13.*`` -> ``libpq-dev``; ``gcc:amd64`` -> ``gcc``; ``build-base~=0.5`` -> ``build-base``."""
    s = spec.strip().lower()
    s = re.split(r"[=<>~]", s, maxsplit=1)[0]
    s = s.split(":", 1)[0]
    return s


_HEADER_PACKAGES = frozenset(("linux-headers", "kernel-headers"))


def is_header_package(name: str) -> bool:
    """Development headers (``*-dev``, ``*-devel``, libc headers): they also bring the unversioned ``.so``."""
    n = package_name(name)
    return n in _HEADER_PACKAGES or (n.endswith(("-dev", "-devel")) and len(n) > 5)


def distro_release(ref: ImageRef) -> Optional[dict]:
    """The ``distro_runtimes`` entry of a Debian or Ubuntu base (``debian:9``, ``debian:buster-slim``,
    ``ubuntu:16.04``, ``ubuntu:xenial``), or None (``latest``, no tag, or another image)."""
    data = catalogue()["distro_runtimes"]
    releases = data.get(ref.name)
    if not isinstance(releases, dict):
        return None
    tag = (ref.tag or "").lower()
    tokens = re.split(r"[-_]", tag)
    for number, entry in releases.items():
        if tokens and (tokens[0] == number or tokens[0].startswith(number + ".") and ref.name == "debian"
                       or entry["codename"] in tokens):
            return entry
    return None
