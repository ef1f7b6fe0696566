"""Bytes each layer of an image stores, and how many of them the finished image never shows.

Layers are applied in order, as a container runtime stacks them. Each regular file stored in a layer is
a piece of content of ``size`` bytes (what dive counts: the tar header size of regular files; hard links,
symbolic links and directories count 0). The content is *wasted* when no path of the final file system
shows it any more, because a later layer (or the same layer, later in its tar)

- deleted it: a whiteout ``.wh.NAME``, an opaque whiteout ``.wh..wh..opq`` on a directory above it, or a
  non-directory stored where one of its parent directories was (``deleted``);
- stored something else at its path (``overwritten``);
- stored the same content again at its path, with only its mode, owner or times changed, as
  ``RUN chmod`` / ``RUN chown`` after a COPY do (``metadata_only``; same size and crc32).

A hard link shares its target's content: the bytes are wasted only once every path to them is gone.
Wasted bytes are counted in the layer that stored them; ``hides`` counts them in the layer that made them
invisible. Totals: ``total_bytes`` is the sum of every layer's content bytes, ``efficiency`` is
``1 - wasted / total`` (dive's score for files deleted or stored again; see ``Totals.efficiency``).
"""
from __future__ import annotations

from ._dataclass import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional

REASONS = ("deleted", "overwritten", "metadata_only")
WHITEOUT = ".wh."
OPAQUE = ".wh..wh..opq"


class _Content:
    __slots__ = ("layer", "size", "crc", "refs")

    def __init__(self, layer: int, size: int, crc: int):
        self.layer = layer
        self.size = size
        self.crc = crc
        self.refs = 0


class _Node:
    __slots__ = ("kind", "content", "mode", "uid", "gid", "children")

    def __init__(self, kind: str, content=None, mode=0, uid=0, gid=0):
        self.kind = kind
        self.content = content
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.children = {} if kind == "dir" else None


@dataclass
class LayerWaste:
    index: int
    bytes: int = 0  # content bytes of the regular files this layer stores
    files: int = 0
    tar_bytes: int = 0
    blob_bytes: int = 0
    compression: str = "none"
    wasted: Dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    hides: Dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))  # bytes of earlier layers
    wasted_paths: Dict[str, int] = field(default_factory=dict)  # top directories of the wasted bytes

    @property
    def wasted_bytes(self) -> int:
        return sum(self.wasted.values())

    @property
    def hides_bytes(self) -> int:
        return sum(self.hides.values())


@dataclass
class Totals:
    layers: List[LayerWaste]

    @property
    def total_bytes(self) -> int:
        return sum(l.bytes for l in self.layers)

    @property
    def wasted_bytes(self) -> int:
        return sum(l.wasted_bytes for l in self.layers)

    @property
    def efficiency(self) -> float:
        """1 - wasted / total content bytes (1.0 for an image without content bytes)."""
        total = self.total_bytes
        return 1.0 if total == 0 else 1.0 - self.wasted_bytes / total


def _top(path: str, depth: int = 3) -> str:
    parts = path.split("/")
    return "/" + "/".join(parts[:depth]) + ("/" if len(parts) > depth else "")


class Accounting:
    """The stacked file system so far; ``apply`` one layer's entries after another."""

    def __init__(self):
        self.root = _Node("dir")
        self.layers: List[LayerWaste] = []

    # -- removing what a layer hides ------------------------------------------------------------------
    def _release(self, node: _Node, path: str, reason: str, by: int) -> None:
        stack = [(node, path)]
        while stack:
            n, p = stack.pop()
            if n.content is not None:
                c = n.content
                c.refs -= 1
                if c.refs == 0 and c.size:
                    stored = self.layers[c.layer]
                    stored.wasted[reason] += c.size
                    key = _top(p)
                    stored.wasted_paths[key] = stored.wasted_paths.get(key, 0) + c.size
                    self.layers[by].hides[reason] += c.size
            if n.children:
                stack.extend((child, f"{p}/{name}") for name, child in n.children.items())

    def _lookup(self, path: str) -> Optional[_Node]:
        node = self.root
        for part in path.split("/"):
            if node.children is None:
                return None
            node = node.children.get(part)
            if node is None:
                return None
        return node

    def _parent(self, path: str, by: int) -> _Node:
        """The directory that holds ``path``, made (and any non-directory in the way replaced) if needed."""
        node = self.root
        parts = path.split("/")
        done = []
        for part in parts[:-1]:
            done.append(part)
            child = node.children.get(part)
            if child is None or child.kind != "dir":
                if child is not None:
                    self._release(child, "/".join(done), "deleted", by)
                child = _Node("dir")
                node.children[part] = child
            node = child
        return node

    def apply(self, index: int, entries, *, tar_bytes: int = 0, blob_bytes: int = 0,
              compression: str = "none") -> LayerWaste:
        layer = LayerWaste(index, tar_bytes=tar_bytes, blob_bytes=blob_bytes, compression=compression)
        self.layers.append(layer)
        # Whiteouts act on the layers below, wherever they sit in this layer's tar: apply them first.
        rest = []
        for e in entries:
            head, _, base = e.path.rpartition("/")
            if base == OPAQUE:
                d = self._lookup(head) if head else self.root
                if d is not None and d.children:
                    for name, child in list(d.children.items()):
                        self._release(child, f"{head}/{name}" if head else name, "deleted", index)
                    d.children.clear()
            elif base.startswith(WHITEOUT):
                if base.startswith(WHITEOUT + WHITEOUT):
                    continue  # other aufs metadata (.wh..wh.plnk, ...): not a file of the image
                target = f"{head}/{base[len(WHITEOUT):]}" if head else base[len(WHITEOUT):]
                parent = self._lookup(head) if head else self.root
                if parent is not None and parent.children is not None:
                    victim = parent.children.pop(base[len(WHITEOUT):], None)
                    if victim is not None:
                        self._release(victim, target, "deleted", index)
            else:
                rest.append(e)
        for e in rest:
            if e.kind == "file":
                layer.bytes += e.size
                layer.files += 1
            parent = self._parent(e.path, index)
            name = e.path.rpartition("/")[2]
            old = parent.children.get(name)
            if e.kind == "dir":
                if old is not None and old.kind == "dir":
                    old.mode, old.uid, old.gid = e.mode, e.uid, e.gid  # metadata of a directory: no bytes
                    continue
                new = _Node("dir", None, e.mode, e.uid, e.gid)
            elif e.kind == "file":
                new = _Node("file", _Content(index, e.size, e.crc), e.mode, e.uid, e.gid)
            elif e.kind == "link":
                target = self._lookup(e.target)
                content = target.content if target is not None and target is not old else None
                new = _Node("file" if content is not None else "other", content, e.mode, e.uid, e.gid)
            else:
                new = _Node(e.kind, None, e.mode, e.uid, e.gid)
            if new.content is not None:
                new.content.refs += 1
            if old is not None:
                same = (old.content is not None and new.content is not None and new.content is not old.content
                        and old.content.size == new.content.size and old.content.crc == new.content.crc)
                self._release(old, e.path, "metadata_only" if same else "overwritten", index)
            parent.children[name] = new
        return layer

    def totals(self) -> Totals:
        return Totals(self.layers)
