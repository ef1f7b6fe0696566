"""``dlint layers DOCKERFILE --image PATH``: a built image measured layer by layer against its Dockerfile.

Each layer of the image is read (``dlint.image_archive``) and accounted (``dlint.layer_waste``). The image
config's history (``created_by``, ``empty_layer``) is aligned with the instructions of the production
stage and the stages it is built FROM, in stage order: entries before the first aligned one are the base
image's. A RUN whose recorded command equals the Dockerfile's is an exact match; a COPY/ADD or config
instruction of the same kind at the same place is likely; a RUN with another command is uncertain and
means the history does not match the Dockerfile (reported, the layers are still measured).
"""
from __future__ import annotations

import json

from ._dataclass import dataclass, field
from .layer_waste import REASONS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

KEYWORDS = {"RUN", "COPY", "ADD", "ENV", "LABEL", "WORKDIR", "USER", "EXPOSE", "CMD", "ENTRYPOINT", "VOLUME",
            "STOPSIGNAL", "HEALTHCHECK", "SHELL", "ONBUILD", "ARG", "MAINTAINER"}
LAYER_KEYWORDS = ("RUN", "COPY", "ADD")
BAR = 24


def _norm(text: str) -> str:
    return " ".join(text.replace("\\\n", " ").split())


def _strip_run(body: str) -> str:
    body = body.strip()
    if body.startswith("|"):  # build arguments: |2 A=1 B=2 /bin/sh -c ...
        head, _, rest = body.partition(" ")
        try:
            count = int(head[1:])
        except ValueError:
            count = 0
        words = rest.split(" ")
        body = " ".join(words[count:])
    for shell in ("/bin/sh -c ", "/bin/bash -c ", "cmd /S /C "):
        if body.startswith(shell):
            return body[len(shell):]
    return body


def history_step(created_by: str) -> Tuple[Optional[str], str]:
    """The instruction keyword and its text as a builder recorded them (classic, BuildKit, buildah)."""
    s = (created_by or "").strip()
    if s.endswith("# buildkit"):
        s = s[: -len("# buildkit")].rstrip()
    nop = s.find("#(nop)")
    if nop != -1:
        s = s[nop + len("#(nop)"):].strip()
        word, _, rest = s.partition(" ")
        return (word.upper() if word.upper() in KEYWORDS else None), rest.strip()
    if s.startswith(("/bin/sh -c ", "/bin/bash -c ", "|")):
        return "RUN", _strip_run(s)
    word, _, rest = s.partition(" ")
    if word.upper() in KEYWORDS:
        return word.upper(), (_strip_run(rest) if word.upper() == "RUN" else rest.strip())
    return None, s


def _ins_text(ins) -> str:
    if ins.name == "RUN":
        if ins.json is not None:
            return " ".join(ins.json)
        return ins.command
    return ins.args


def _match(ins, step: Tuple[Optional[str], str]) -> Optional[Tuple[float, str]]:
    keyword, body = step
    if keyword is None:
        if ins.name == "RUN" and body:
            return (1.0, "uncertain")
        return None
    if keyword != ins.name:
        return None
    mine, theirs = _norm(_ins_text(ins)), _norm(body)
    if ins.name == "RUN":
        if mine and (mine == theirs or mine in theirs):
            return (4.0, "exact")
        return (1.0, "uncertain")
    if mine and mine == theirs:
        return (3.0, "exact")
    if ins.name in ("COPY", "ADD"):
        dest = mine.split(" ")[-1] if mine else ""
        if dest and dest.rstrip("/") in theirs:
            return (2.0, "likely")
        return (1.5, "likely")
    return (2.0, "likely")


def align(instructions, history: List[dict]) -> List[Optional[Tuple[int, str]]]:
    """For each history entry, (index in ``instructions``, quality) or None; entries before the first
    aligned one are the base image's (free), any other unaligned entry or instruction costs."""
    steps = [history_step(h.get("created_by", "") if isinstance(h, dict) else "") for h in history]
    empty = [bool(h.get("empty_layer")) if isinstance(h, dict) else True for h in history]
    n, m = len(instructions), len(steps)
    neg = float("-inf")

    def skip_ins(ins) -> float:
        return -3.0 if ins.name in LAYER_KEYWORDS else -0.5

    def skip_step(j: int) -> float:
        return -1.0 if empty[j] else -3.0

    f = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 match, 2 skip instruction, 3 skip step, 0 base prefix
    for i in range(1, n + 1):
        f[i][0] = f[i - 1][0] + skip_ins(instructions[i - 1])
        move[i][0] = 2
        for j in range(1, m + 1):
            best, how = neg, 0
            q = _match(instructions[i - 1], steps[j - 1])
            if q is not None and f[i - 1][j - 1] + q[0] > best:
                best, how = f[i - 1][j - 1] + q[0], 1
            if f[i - 1][j] + skip_ins(instructions[i - 1]) > best:
                best, how = f[i - 1][j] + skip_ins(instructions[i - 1]), 2
            if f[i][j - 1] + skip_step(j - 1) > best:
                best, how = f[i][j - 1] + skip_step(j - 1), 3
            f[i][j], move[i][j] = best, how
    out: List[Optional[Tuple[int, str]]] = [None] * m
    i, j = n, m
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 1:
            out[j - 1] = (i - 1, _match(instructions[i - 1], steps[j - 1])[1])
            i, j = i - 1, j - 1
        elif how == 2:
            i -= 1
        else:
            j -= 1
    return out


@dataclass
class ImageLayer:
    index: int
    waste: object  # layer_waste.LayerWaste
    history: Optional[dict] = None
    ins: object = None
    stage: Optional[int] = None
    match: Optional[str] = None
    from_base: bool = False
    findings: list = field(default_factory=list)


@dataclass
class ImageReport:
    image: object
    dockerfile: str
    totals: object
    layers: List[ImageLayer]
    steps: list
    base: str = ""
    mismatch: Optional[str] = None
    other_findings: list = field(default_factory=list)


def measure(image) -> object:
    from .image_archive import read_layer
    from .layer_waste import Accounting

    acc = Accounting()
    for layer in image.layers:
        r = read_layer(image, layer)
        acc.apply(layer.index, r.entries, tar_bytes=r.tar_bytes, blob_bytes=r.blob_bytes, compression=r.compression)
        del r
    return acc.totals()


def build_report(image, totals, dockerfile: str, doc, graph, diagnostics) -> ImageReport:
    from .layers import label

    chain = list(reversed(graph.chain(graph.production))) if graph.production is not None else []
    instructions, stage_of = [], []
    for s in chain:
        for ins in doc.stages[s].instructions:
            if ins.name != "FROM":
                instructions.append(ins)
                stage_of.append(s)
    history = image.history
    aligned = align(instructions, history)
    first = next((j for j, a in enumerate(aligned) if a is not None), len(history))
    steps = []
    layer_steps = []  # history indices of entries that made a layer
    for j, h in enumerate(history):
        a = aligned[j]
        ins = instructions[a[0]] if a else None
        steps.append({"created_by": h.get("created_by", "") if isinstance(h, dict) else "",
                      "empty_layer": bool(isinstance(h, dict) and h.get("empty_layer")),
                      "line": ins.line if ins is not None else None, "match": a[1] if a else None})
        if not steps[-1]["empty_layer"]:
            layer_steps.append(j)
    layers = []
    n = len(totals.layers)
    offset = len(layer_steps) - n  # layers and non-empty history entries, matched from the end
    for k, w in enumerate(totals.layers):
        il = ImageLayer(k, w)
        j = layer_steps[k + offset] if 0 <= k + offset < len(layer_steps) else None
        if j is not None:
            il.history = history[j]
            a = aligned[j]
            if a is not None:
                il.ins, il.match, il.stage = instructions[a[0]], a[1], stage_of[a[0]]
                if offset != 0:
                    il.match = "uncertain"
            elif j < first:
                il.from_base = True
        layers.append(il)
    problems = []
    if not history:
        problems.append("the image config has no history, so its layers cannot be matched to lines")
    elif offset != 0:
        problems.append(f"the history records {len(layer_steps)} layers, the image has {n}")
    matched = {a[0] for a in aligned if a is not None}
    for idx, ins in enumerate(instructions):
        if ins.name in LAYER_KEYWORDS and idx not in matched:
            problems.append(f"line {ins.line} ({ins.name} {label(ins)}) has no layer in the image's history")
            break
    for j, a in enumerate(aligned):
        if a is not None and a[1] == "uncertain":
            problems.append(f"line {instructions[a[0]].line} is `{label(instructions[a[0]])}`, the image's "
                            f"layer was made by `{_short(history[j].get('created_by', ''))}`")
            break
    for j in range(first, len(history)):
        if aligned[j] is None and not steps[j]["empty_layer"]:
            problems.append(f"`{_short(steps[j]['created_by'])}` made a layer no line of the Dockerfile explains")
            break
    # findings on the lines of each layer's instruction
    by_ins = {}
    for il in layers:
        if il.ins is not None:
            by_ins[id(il.ins)] = il
    others = []
    for d in diagnostics:
        owner = None
        for il in layers:
            if il.ins is not None and il.ins.line <= d.line <= il.ins.end_line:
                owner = il
                break
        if owner is not None:
            owner.findings.append(d)
        else:
            others.append(d)
    root = graph.root_base(graph.production).image if graph.production is not None else ""
    return ImageReport(image, dockerfile, totals, layers, steps, base=root,
                       mismatch=problems[0] if problems else None, other_findings=others)


def _short(text: str, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def human(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    for unit, size in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)):
        if n < size * 1000 or unit == "TB":
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def _what(il: ImageLayer, report: ImageReport) -> Tuple[str, str]:
    from .layers import label

    if il.ins is not None:
        return str(il.ins.line), f"{il.ins.name} {label(il.ins)}"
    if il.from_base:
        return "-", f"base image {report.base}".rstrip()
    created = il.history.get("created_by", "") if il.history else ""
    return "?", f"(not in the Dockerfile) {_short(created, 50)}" if created else "(no history)"


def render_text(report: ImageReport, color: bool = False) -> str:
    def c(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    img, t = report.image, report.totals
    head = f"{img.path}: {img.kind}" + (f", {img.platform}" if img.platform else "") + \
        f", {len(t.layers)} layer{'s' if len(t.layers) != 1 else ''}; built from {report.dockerfile}"
    out = [c(head, "1")]
    if img.note:
        out.append(f"  ({img.note})")
    biggest = max((l.bytes for l in t.layers), default=0) or 1
    rows = [_what(il, report) for il in report.layers]
    lw = max([len(r[0]) for r in rows] + [4])
    out.append(f"  {'layer':>5}  {'line':>{lw}}  {'size':>9}  {'wasted':>9}  {'':<{BAR}}  instruction")
    for il, (line, what) in zip(report.layers, rows):
        w = il.waste
        full = round(BAR * w.bytes / biggest)
        waste = min(full, round(BAR * w.wasted_bytes / biggest)) if w.wasted_bytes else 0
        if w.bytes and not full:
            full = 1
        bar = "█" * (full - waste) + c("░" * waste, "31")
        bar += " " * (BAR - full)
        wasted = human(w.wasted_bytes) if w.wasted_bytes else "-"
        tail = "" if il.match in (None, "exact") else c(f"  [{il.match} match]", "33")
        out.append(f"  {il.index:>5}  {line:>{lw}}  {human(w.bytes):>9}  {wasted:>9}  {bar}  {_short(what)}{tail}")
        pad = " " * (2 + 5 + 2 + lw + 2)
        if w.wasted_bytes:
            parts = ", ".join(f"{r.replace('_', ' ')} {human(w.wasted[r])}" for r in REASONS if w.wasted[r])
            top = sorted(w.wasted_paths.items(), key=lambda kv: -kv[1])[:3]
            out.append(f"{pad}wasted: {parts} later (" + ", ".join(f"{p} {human(b)}" for p, b in top) + ")")
        if w.hides_bytes:
            parts = ", ".join(f"{r.replace('_', ' ')} {human(w.hides[r])}" for r in REASONS if w.hides[r])
            out.append(f"{pad}hides {human(w.hides_bytes)} of earlier layers: {parts}")
        for d in il.findings:
            out.append(f"{pad}{c(d.code, '1')} line {d.line}: {d.rendered_message}")
    for d in report.other_findings:
        out.append(f"  {c(d.code, '1')} line {d.line}: {d.rendered_message}")
    tar = sum(l.tar_bytes for l in t.layers)
    blob = sum(l.blob_bytes for l in t.layers)
    out.append(c(f"  total {human(t.total_bytes)} of file content (tar {human(tar)}, stored {human(blob)}); "
                 f"wasted {human(t.wasted_bytes)}; efficiency {100 * t.efficiency:.1f} %", "1"))
    return "\n".join(out) + "\n"


def _finding(d, layer: Optional[int]) -> dict:
    return {"code": d.code, "name": d.name, "severity": d.severity, "line": d.line, "message": d.rendered_message,
            "layer": layer}


def to_json(report: ImageReport) -> str:
    from .layers import label

    img, t = report.image, report.totals
    layers = []
    findings = []
    for il in report.layers:
        w = il.waste
        fs = [_finding(d, il.index) for d in il.findings]
        findings.extend(fs)
        layers.append({
            "index": il.index,
            "line": il.ins.line if il.ins is not None else None,
            "end_line": il.ins.end_line if il.ins is not None else None,
            "instruction": il.ins.name if il.ins is not None else None,
            "label": label(il.ins) if il.ins is not None else None,
            "stage": il.stage,
            "from_base": il.from_base,
            "match": il.match,
            "created_by": il.history.get("created_by") if il.history else None,
            "bytes": w.bytes,
            "files": w.files,
            "tar_bytes": w.tar_bytes,
            "compressed_bytes": w.blob_bytes,
            "compression": w.compression,
            "wasted_bytes": w.wasted_bytes,
            "wasted": dict(w.wasted),
            "wasted_paths": [{"path": p, "bytes": b} for p, b in
                             sorted(w.wasted_paths.items(), key=lambda kv: -kv[1])[:10]],
            "hides_bytes": w.hides_bytes,
            "hides": dict(w.hides),
            "findings": fs,
        })
    findings.extend(_finding(d, None) for d in report.other_findings)
    data = {"image": {
        "path": img.path,
        "format": img.kind,
        "platform": img.platform,
        "note": img.note,
        "dockerfile": report.dockerfile,
        "total_bytes": t.total_bytes,
        "wasted_bytes": t.wasted_bytes,
        "efficiency": t.efficiency,
        "tar_bytes": sum(l.tar_bytes for l in t.layers),
        "compressed_bytes": sum(l.blob_bytes for l in t.layers),
        "history_matches": report.mismatch is None,
        "history_problem": report.mismatch,
        "layers": layers,
        "history": report.steps,
        "findings": findings,
    }}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
