"""Reading a built image without a daemon: an OCI image layout directory, an OCI archive (a tar of a
layout), or a docker-archive tar (``docker save``, ``podman save``).

Only the standard library. Nothing is extracted: each layer blob is read once, front to back, through
a sha256 check of the blob (against the manifest's digest, or the file name of a docker-archive blob),
gzip decompression when the blob is gzip, a sha256 check of the uncompressed tar (against the config's
``rootfs.diff_ids``) and ``tarfile`` in streaming mode. Memory stays bounded by the number of paths in
the image, whatever the size of the files. Member names are only compared, never used to write.

Every problem with the image raises ``ImageError`` with one line of text.
"""
from __future__ import annotations

import hashlib
import json
import os
import tarfile
import zlib

from ._dataclass import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, List, Optional, Tuple

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MANIFEST_TYPES = ("application/vnd.oci.image.manifest.v1+json",
                  "application/vnd.docker.distribution.manifest.v2+json")
INDEX_TYPES = ("application/vnd.oci.image.index.v1+json",
               "application/vnd.docker.distribution.manifest.list.v2+json")
MACHINE_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
                "armv7l": "arm", "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64", "i686": "386"}


class ImageError(Exception):
    """The image cannot be read: one line saying why."""


@dataclass
class LayerBlob:
    index: int
    name: str  # where the blob is: a path in the layout or archive
    digest: Optional[str]  # sha256 of the blob as stored, when known
    diff_id: Optional[str]  # sha256 of the uncompressed tar (config rootfs.diff_ids)
    size: Optional[int]  # blob size the manifest states
    media_type: str = ""


@dataclass
class Entry:
    """One member of a layer tar, as far as the accounting needs it."""
    path: str  # normalised: no leading ./ or /, no trailing /
    kind: str  # "file", "dir", "link" (hard link), "symlink", "other"
    size: int = 0  # content bytes of a regular file (0 for everything else, as dive counts)
    crc: int = 0  # crc32 of the content of a regular file
    mode: int = 0
    uid: int = 0
    gid: int = 0
    target: str = ""  # hard link target (normalised)


@dataclass
class LayerRead:
    """What reading one layer gave: its members and its sizes."""
    entries: List[Entry] = field(default_factory=list)
    tar_bytes: int = 0
    blob_bytes: int = 0
    compression: str = "none"


@dataclass
class Image:
    path: str
    kind: str  # "oci-layout", "oci-archive", "docker-archive"
    config: dict
    layers: List[LayerBlob]
    platform: Optional[str] = None
    note: Optional[str] = None  # e.g. which of several images in an index was read
    _open: Optional[Callable] = None
    _close: Optional[Callable] = None

    @property
    def history(self) -> List[dict]:
        h = self.config.get("history")
        return h if isinstance(h, list) else []

    def open_blob(self, name: str):
        return self._open(name)

    def close(self) -> None:
        if self._close is not None:
            self._close()


# --- finding the parts ------------------------------------------------------------------------------------

def _hex(digest: str) -> Tuple[str, str]:
    alg, _, hexpart = (digest or "").partition(":")
    if not hexpart or "/" in hexpart or hexpart in (".", ".."):
        raise ImageError(f"invalid digest {digest!r}")
    return alg, hexpart


def _norm_member(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name.rstrip("/")


class _Source:
    """Blobs and small files of a layout directory or of an (uncompressed) tar archive."""

    def __init__(self, path: str):
        self.path = path
        self.tar = None
        self.members = {}
        if os.path.isdir(path):
            return
        try:
            with open(path, "rb") as fh:
                head = fh.read(512)
        except OSError as exc:
            raise ImageError(f"cannot read: {exc.strerror or exc}") from None
        if head[:2] == GZIP_MAGIC or head[:4] == ZSTD_MAGIC:
            raise ImageError("a compressed archive: decompress it first (e.g. `gunzip -k`); "
                             "dlint reads an OCI layout, an OCI archive or a docker-archive tar")
        try:
            self.tar = tarfile.open(path, "r:")
            for m in self.tar:
                self.members[_norm_member(m.name)] = m
        except (tarfile.TarError, EOFError, OSError) as exc:
            if self.tar is None:
                raise ImageError("not an image: neither an OCI layout directory, an OCI archive nor a "
                                 "docker-archive tar") from None
            raise ImageError(f"archive truncated or damaged: {exc}") from None
        end = os.path.getsize(path)
        for m in self.members.values():
            if m.isfile() and m.offset_data + m.size > end:
                raise ImageError(f"archive truncated: {m.name} ends {m.offset_data + m.size - end} bytes after "
                                 "the end of the file")

    def has(self, name: str) -> bool:
        if self.tar is None:
            return os.path.isfile(os.path.join(self.path, name))
        m = self.members.get(name)
        return m is not None and (m.isfile() or m.issym() or m.islnk())

    def open(self, name: str):
        if self.tar is None:
            try:
                return open(os.path.join(self.path, name), "rb")
            except OSError:
                raise ImageError(f"missing blob {name}") from None
        m = self.members.get(name)
        seen = 0
        while m is not None and (m.issym() or m.islnk()) and seen < 8:  # docker save links duplicate layers
            target = m.linkname if m.islnk() else os.path.normpath(os.path.join(os.path.dirname(name), m.linkname))
            name = _norm_member(target)
            m = self.members.get(name)
            seen += 1
        if m is None or not m.isfile():
            raise ImageError(f"missing blob {name}")
        return self.tar.extractfile(m)

    def size(self, name: str) -> Optional[int]:
        if self.tar is None:
            try:
                return os.path.getsize(os.path.join(self.path, name))
            except OSError:
                return None
        m = self.members.get(name)
        return m.size if m is not None and m.isfile() else None

    def read_json(self, name: str, digest: Optional[str] = None, what: str = "file"):
        if not self.has(name):
            raise ImageError(f"missing {what} {name}")
        with self.open(name) as fh:
            data = fh.read(64 << 20)
        if digest is not None:
            alg, hexpart = _hex(digest)
            if alg == "sha256" and hashlib.sha256(data).hexdigest() != hexpart:
                raise ImageError(f"digest mismatch: {what} {name} does not have sha256 {hexpart[:12]}…")
        try:
            return json.loads(data)
        except ValueError:
            raise ImageError(f"{what} {name} is not valid JSON") from None

    def close(self) -> None:
        if self.tar is not None:
            self.tar.close()


def _host_arch() -> str:
    import platform

    return MACHINE_ARCH.get(platform.machine().lower(), platform.machine().lower())


def _platform(desc: dict) -> Optional[str]:
    p = desc.get("platform") or {}
    if not p.get("os"):
        return None
    return f"{p['os']}/{p.get('architecture', '?')}" + (f"/{p['variant']}" if p.get("variant") else "")


def _choose(manifests: List[dict]) -> Tuple[dict, Optional[str]]:
    """One image manifest from an index: the only one, else the one for this machine's architecture."""
    def attestation(d):
        ann = d.get("annotations") or {}
        return ann.get("vnd.docker.reference.type") == "attestation-manifest" or _platform(d) == "unknown/unknown"

    candidates = [d for d in manifests if isinstance(d, dict) and not attestation(d)]
    if not candidates:
        raise ImageError("not an image: the index lists no image manifest")
    if len(candidates) == 1:
        return candidates[0], None
    arch = _host_arch()
    for d in candidates:
        if (d.get("platform") or {}).get("architecture") == arch:
            return d, f"{_platform(d)}, one of {len(candidates)} images in the index"
    return candidates[0], f"{_platform(candidates[0]) or 'the first'}, one of {len(candidates)} images in the index"


def _blob_name(digest: str) -> str:
    alg, hexpart = _hex(digest)
    return f"blobs/{alg}/{hexpart}"


def _open_oci(src: _Source, kind: str) -> Image:
    index = src.read_json("index.json", what="index")
    if not isinstance(index, dict):
        raise ImageError("not an image: index.json is not an OCI index")
    note = None
    desc = None
    manifests = index.get("manifests") or []
    ref = getattr(src, "ref", None)
    if ref is not None:
        manifests = [d for d in manifests if isinstance(d, dict)
                     and (d.get("annotations") or {}).get("org.opencontainers.image.ref.name") == ref]
        if not manifests:
            raise ImageError(f"no image named {ref!r} in the layout's index.json")
    for _ in range(4):  # an index may point to an index (a multi-platform image)
        desc, why = _choose(manifests)
        note = why or note
        mt = desc.get("mediaType", "")
        if mt in INDEX_TYPES:
            nested = src.read_json(_blob_name(desc.get("digest", "")), desc.get("digest"), "index")
            manifests = nested.get("manifests") or []
            continue
        break
    manifest = src.read_json(_blob_name(desc.get("digest", "")), desc.get("digest"), "manifest")
    if not isinstance(manifest, dict) or "config" not in manifest or "layers" not in manifest:
        raise ImageError("not an image: the manifest has no config or no layers")
    cdesc = manifest["config"]
    config = src.read_json(_blob_name(cdesc.get("digest", "")), cdesc.get("digest"), "config")
    diff_ids = ((config.get("rootfs") or {}).get("diff_ids") or []) if isinstance(config, dict) else []
    layers = []
    for i, d in enumerate(manifest["layers"]):
        digest = d.get("digest", "")
        layers.append(LayerBlob(index=i, name=_blob_name(digest), digest=digest,
                                diff_id=diff_ids[i] if i < len(diff_ids) else None,
                                size=d.get("size"), media_type=d.get("mediaType", "")))
    if diff_ids and len(diff_ids) != len(layers):
        raise ImageError(f"the config lists {len(diff_ids)} layers (rootfs.diff_ids), the manifest {len(layers)}")
    return Image(path=src.path, kind=kind, config=config, layers=layers,
                 platform=_platform(desc) or _config_platform(config), note=note, _open=src.open, _close=src.close)


def _config_platform(config: dict) -> Optional[str]:
    if isinstance(config, dict) and config.get("os"):
        return f"{config['os']}/{config.get('architecture', '?')}"
    return None


def _digest_in_name(name: str) -> Optional[str]:
    """sha256:HEX when a docker-archive names a file by its digest (``blobs/sha256/HEX``, ``HEX.json``)."""
    parts = name.replace("\\", "/").split("/")
    for part in reversed(parts):
        stem = part.split(".")[0]
        if len(stem) == 64 and all(c in "0123456789abcdef" for c in stem):
            return "sha256:" + stem
    return None


def _open_docker(src: _Source) -> Image:
    manifest = src.read_json("manifest.json", what="manifest")
    if not isinstance(manifest, list) or not manifest or not isinstance(manifest[0], dict):
        raise ImageError("not an image: manifest.json lists no image")
    note = f"the first of {len(manifest)} images in the archive" if len(manifest) > 1 else None
    entry = manifest[0]
    cname = _norm_member(entry.get("Config") or "")
    config = src.read_json(cname, _digest_in_name(cname), "config")
    diff_ids = ((config.get("rootfs") or {}).get("diff_ids") or []) if isinstance(config, dict) else []
    names = [_norm_member(n) for n in entry.get("Layers") or []]
    if diff_ids and len(diff_ids) != len(names):
        raise ImageError(f"the config lists {len(diff_ids)} layers (rootfs.diff_ids), manifest.json {len(names)}")
    layers = []
    for i, n in enumerate(names):
        digest = n.startswith("blobs/") and _digest_in_name(n) or None
        layers.append(LayerBlob(index=i, name=n, digest=digest, diff_id=diff_ids[i] if i < len(diff_ids) else None,
                                size=None))
    return Image(path=src.path, kind="docker-archive", config=config, layers=layers,
                 platform=_config_platform(config), note=note, _open=src.open, _close=src.close)


def open_image(path: str) -> Image:
    """``path`` is a layout directory or an archive; ``LAYOUT:REF`` names one image of a layout by its
    ``org.opencontainers.image.ref.name`` (as skopeo's ``oci:LAYOUT:REF``)."""
    ref = None
    if not os.path.exists(path) and ":" in path:
        path, ref = path.rsplit(":", 1)
    if not os.path.exists(path):
        raise ImageError("no such file or directory")
    src = _Source(path)
    src.ref = ref
    try:
        if src.has("index.json") and (src.has("oci-layout") or not src.has("manifest.json")):
            return _open_oci(src, "oci-layout" if src.tar is None else "oci-archive")
        if src.has("manifest.json"):
            return _open_docker(src)
    except ImageError:
        src.close()
        raise
    except (KeyError, TypeError, AttributeError):
        src.close()
        raise ImageError("not an image: its index, manifest or config does not have the expected shape") from None
    src.close()
    raise ImageError("not an image: neither an OCI layout (index.json), an OCI archive nor a docker-archive "
                     "(manifest.json)")


# --- streaming a layer ------------------------------------------------------------------------------------

class _Counting:
    """Reads through ``raw`` with a running sha256 and byte count."""

    def __init__(self, raw, hashing: bool = True):
        self.raw = raw
        self.sha = hashlib.sha256() if hashing else None
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n is not None and n >= 0 else CHUNK)
        if data:
            self.count += len(data)
            if self.sha is not None:
                self.sha.update(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


class _Gunzip:
    """gzip decompression as a stream (several members allowed); a stream cut short is an error."""

    def __init__(self, raw):
        self.raw = raw
        self.d = zlib.decompressobj(31)
        self.buf = b""
        self.eof = False

    def read(self, n: int = -1) -> bytes:
        n = n if n is not None and n >= 0 else CHUNK
        while len(self.buf) < n and not self.eof:
            chunk = self.raw.read(CHUNK)
            if not chunk:
                if not self.d.eof:
                    raise ImageError("truncated: the gzip stream ends early")
                self.eof = True
                break
            try:
                out = self.d.decompress(chunk)
                while self.d.eof and self.d.unused_data:  # another gzip member follows
                    rest = self.d.unused_data
                    self.d = zlib.decompressobj(31)
                    out += self.d.decompress(rest)
            except zlib.error as exc:
                raise ImageError(f"corrupt gzip data ({exc})") from None
            self.buf += out
        out, self.buf = self.buf[:n], self.buf[n:]
        return out


class _Prefixed:
    def __init__(self, head: bytes, raw):
        self.head = head
        self.raw = raw

    def read(self, n: int = -1) -> bytes:
        if self.head:
            out, self.head = self.head[:n] if n >= 0 else self.head, self.head[n:] if n >= 0 else b""
            return out
        return self.raw.read(n)


def _unsafe(name: str) -> Optional[str]:
    if name.startswith("/"):
        return "an absolute path"
    if ".." in name.replace("\\", "/").split("/"):
        return "a '..' component"
    return None


def _check_digest(what: str, digest: Optional[str], sha) -> None:
    if not digest or sha is None:
        return
    alg, hexpart = _hex(digest)
    if alg != "sha256":
        return  # only sha256 is checked
    actual = sha.hexdigest()
    if actual != hexpart:
        raise ImageError(f"digest mismatch: {what} has sha256:{actual[:12]}…, expected {hexpart[:12]}…")


def read_layer(image: Image, layer: LayerBlob) -> LayerRead:
    """Every member of the layer, read as a stream; the blob's digests checked."""
    if "zstd" in layer.media_type:
        raise ImageError(f"layer {layer.index} is zstd-compressed: not supported (the standard library has "
                         "no zstd); rebuild or copy the image with gzip layers (e.g. `skopeo copy "
                         "--dest-compress-format gzip`)")
    what = f"layer {layer.index} ({layer.name})"
    try:
        raw = image.open_blob(layer.name)
    except ImageError as exc:
        raise ImageError(f"layer {layer.index}: {exc}") from None
    out = LayerRead()
    with raw:
        blob = _Counting(raw, hashing=bool(layer.digest))
        head = blob.read(4)
        if head[:4] == ZSTD_MAGIC:
            raise ImageError(f"layer {layer.index} is zstd-compressed: not supported (the standard library has "
                             "no zstd); copy the image with gzip layers (e.g. `skopeo copy "
                             "--dest-compress-format gzip`)")
        stream = _Prefixed(head, blob)
        if head[:2] == GZIP_MAGIC:
            out.compression = "gzip"
            stream = _Gunzip(stream)
        # an uncompressed blob is its own tar: one sha256 serves for both digests
        same = out.compression == "none" and layer.digest is not None and layer.digest == layer.diff_id
        tar_stream = _Counting(stream, hashing=bool(layer.diff_id) and not same)
        try:
            _members(tar_stream, out.entries, layer.index)
            tar_stream.drain()  # the zero blocks after the end of the archive belong to the digest
        except ImageError as exc:
            raise ImageError(f"{what}: {exc}") from None
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise ImageError(f"{what} is truncated or not a tar ({exc})") from None
        blob.drain()
    out.tar_bytes = tar_stream.count
    out.blob_bytes = blob.count
    if layer.size is not None and layer.size != blob.count:
        raise ImageError(f"{what} is truncated: {blob.count} bytes, the manifest says {layer.size}"
                         if blob.count < layer.size else
                         f"{what} has {blob.count} bytes, the manifest says {layer.size}")
    _check_digest(what, layer.digest, blob.sha)
    if tar_stream.sha is not None:
        _check_digest(f"{what} uncompressed", layer.diff_id, tar_stream.sha)
    return out


def _members(stream, entries: List[Entry], index: int) -> None:
    # tarfile's stream buffer keeps what a read leaves over by copying it: a small buffer copies least
    tf = tarfile.open(fileobj=stream, mode="r|", bufsize=64 << 10)
    for ti in tf:
        name = ti.name
        bad = _unsafe(name)
        if bad is None and ti.islnk():
            bad = _unsafe(ti.linkname) and f"a hard link to {ti.linkname!r}"
        if bad:
            raise ImageError(f"member {name!r} has {bad} (refused; nothing is written)")
        path = _norm_member(name)
        if not path or path == ".":
            continue
        if ti.isreg():
            crc = 0
            f = tf.extractfile(ti)
            left = ti.size
            while left > 0:
                data = f.read(min(CHUNK, left))
                if not data:
                    raise ImageError(f"truncated inside {path!r}")
                crc = zlib.crc32(data, crc)
                left -= len(data)
            entries.append(Entry(path, "file", ti.size, crc, ti.mode, ti.uid, ti.gid))
        elif ti.isdir():
            entries.append(Entry(path, "dir", 0, 0, ti.mode, ti.uid, ti.gid))
        elif ti.islnk():
            entries.append(Entry(path, "link", 0, 0, ti.mode, ti.uid, ti.gid, _norm_member(ti.linkname)))
        elif ti.issym():
            entries.append(Entry(path, "symlink", 0, 0, ti.mode, ti.uid, ti.gid, ti.linkname))
        else:
            entries.append(Entry(path, "other", 0, 0, ti.mode, ti.uid, ti.gid))
