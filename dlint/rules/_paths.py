"""Absolute paths indexed for one question: is this path here, or a directory above it, or one below it?"""
from __future__ import annotations

import bisect

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional


class PathIndex:
    """Paths with the position where each first appeared (the order they were added in, unless given)."""

    def __init__(self):
        self.first: Dict[str, int] = {}
        self.sorted: List[str] = []

    def add(self, path: str, position: Optional[int] = None) -> None:
        if path not in self.first:
            self.first[path] = len(self.first) if position is None else position
            bisect.insort(self.sorted, path)

    def related(self, path: str, below: bool = True, before: Optional[int] = None) -> bool:
        """Whether ``path``, a directory above it (``/`` aside) or, with ``below``, a path under it was added
        (before position ``before``, when given). Costs the depth of ``path``, not the size of the index."""
        first = self.first
        limit = len(first) + 1 if before is None else before
        if first.get(path, limit) < limit:
            return True
        cut = path.find("/", 1)
        while cut > 0:
            if first.get(path[:cut], limit) < limit:
                return True
            cut = path.find("/", cut + 1)
        if below:
            prefix = path.rstrip("/") + "/"
            i = bisect.bisect_left(self.sorted, prefix)
            while i < len(self.sorted) and self.sorted[i].startswith(prefix):
                if first[self.sorted[i]] < limit:
                    return True
                i += 1
        return False
