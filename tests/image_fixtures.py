"""Small images built in Python for the tests: OCI layouts, OCI archives and docker-archives.

A layer is a list of members: ``F(path, data)``, ``D(path)``, ``L(path, target)`` (hard link),
``S(path, target)`` (symbolic link), ``W(path)`` (whiteout of path), ``O(dir)`` (opaque whiteout).
"""
import gzip
import hashlib
import io
import json
import os
import tarfile


class M:
    def __init__(self, kind, path, data=b"", target="", mode=0o644, uid=0, gid=0):
        self.kind, self.path, self.data, self.target = kind, path, data, target
        self.mode, self.uid, self.gid = mode, uid, gid


def F(path, data, mode=0o644, uid=0, gid=0):
    return M("file", path, data if isinstance(data, bytes) else data.encode(), mode=mode, uid=uid, gid=gid)


def D(path, mode=0o755):
    return M("dir", path, mode=mode)


def L(path, target):
    return M("link", path, target=target)


def S(path, target):
    return M("symlink", path, target=target, mode=0o777)


def W(path):
    head, _, base = path.rpartition("/")
    return F(f"{head}/.wh.{base}" if head else f".wh.{base}", b"")


def O(directory):
    return F(f"{directory}/.wh..wh..opq", b"")


def layer_tar(members, names=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for m in members:
            ti = tarfile.TarInfo(m.path)
            ti.mode, ti.uid, ti.gid, ti.mtime = m.mode, m.uid, m.gid, 1700000000
            if m.kind == "file":
                ti.size = len(m.data)
                tf.addfile(ti, io.BytesIO(m.data))
                continue
            ti.type = {"dir": tarfile.DIRTYPE, "link": tarfile.LNKTYPE, "symlink": tarfile.SYMTYPE}[m.kind]
            ti.linkname = m.target
            tf.addfile(ti)
    return buf.getvalue()


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def history_entry(created_by, empty=False):
    h = {"created": "2024-01-01T00:00:00Z", "created_by": created_by}
    if empty:
        h["empty_layer"] = True
    return h


class Built:
    """The blobs of an image, ready to be written in any of the three forms."""

    def __init__(self, layers, history=None, compress=True, config_extra=None):
        self.tars = [layer_tar(m) if not isinstance(m, bytes) else m for m in layers]
        self.blobs = [gzip.compress(t, mtime=0) if compress else t for t in self.tars]
        self.compress = compress
        config = {"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": [sha(t) for t in self.tars]}}
        if history is not None:
            config["history"] = history
        config.update(config_extra or {})
        self.config = json.dumps(config).encode()
        ltype = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if compress else "")
        self.manifest = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(self.config),
                       "size": len(self.config)},
            "layers": [{"mediaType": ltype, "digest": sha(b), "size": len(b)} for b in self.blobs],
        }).encode()
        self.index = json.dumps({"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(self.manifest),
            "size": len(self.manifest)}]}).encode()

    def oci_files(self):
        files = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}', "index.json": self.index}
        for blob in [self.config, self.manifest, *self.blobs]:
            files["blobs/sha256/" + sha(blob)[7:]] = blob
        return files

    def write_layout(self, directory, replace=None):
        files = self.oci_files()
        files.update(replace or {})
        for name, data in files.items():
            p = os.path.join(directory, name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if data is not None:
                with open(p, "wb") as fh:
                    fh.write(data)
        return str(directory)

    def write_oci_archive(self, path, replace=None):
        files = self.oci_files()
        files.update(replace or {})
        return _write_tar(path, files)

    def write_docker_archive(self, path, replace=None):
        cname = sha(self.config)[7:] + ".json"
        files = {cname: self.config}
        names = []
        for i, t in enumerate(self.tars):
            name = f"{hashlib.sha256(str(i).encode()).hexdigest()}/layer.tar"
            files[name] = t
            names.append(name)
        files["manifest.json"] = json.dumps([{"Config": cname, "RepoTags": ["test:latest"], "Layers": names}]).encode()
        files.update(replace or {})
        return _write_tar(path, files)


def _write_tar(path, files):
    with tarfile.open(path, "w") as tf:
        for name, data in files.items():
            if data is None:
                continue
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
    return str(path)
