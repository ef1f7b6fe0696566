"""What ``COPY --from`` names, shared by the stage rules (D016, D017, D023): a stage of this file (by name
or index), an image, or nothing known."""
from __future__ import annotations

from ..stages import substitute

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only
    from typing import List, Optional, Tuple

    from ..syntax import Instruction

STAGE = "stage"  # a stage of this file, defined before the COPY (or the COPY's own stage)
LATER = "later"  # a stage defined after the COPY's stage: BuildKit accepts it
IMAGE = "image"  # a reference with a registry, path, tag or digest: an image BuildKit pulls
BARE = "bare"  # a plain word that names no stage: BuildKit pulls docker.io/library/<word>:latest
UNKNOWN = "unknown"  # an ARG without a value: each build decides


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def copy_from(ctx, ins: Instruction, stage_index: int) -> Optional[Tuple[str, str, Optional[int]]]:
    """(kind, the name after ARG values are filled in, stage index or None) for a COPY --from; None when the
    COPY has no --from. Memoised per instruction."""
    memo = ctx.memo("copy-from")
    key = id(ins)
    if key in memo:
        return memo[key]
    flag = ins.flag("from") if ins.name == "COPY" else None
    if flag is None or flag.value is None:
        memo[key] = None
        return None
    missing: List[str] = []
    name = unquote(substitute(unquote(flag.value), ctx.graph.args, missing))
    memo[key] = found = _classify(ctx, name, missing, stage_index)
    return found


def _classify(ctx, name: str, missing, stage_index: int):
    graph = ctx.graph
    if missing or "$" in name or not name:
        return UNKNOWN, name, None
    lower = name.lower()
    index = next((st.index for st in graph.stages if st.alias and st.alias.lower() == lower), None)
    if index is None and name.isdigit() and int(name) < len(graph.stages):
        index = int(name)
    if index is not None:
        return (LATER if index > stage_index else STAGE), name, index
    if any(c in name for c in ":/@"):
        return IMAGE, name, None
    return BARE, name, None
