"""``dlint layers``: the layers each stage creates, and how many remain after ``dlint fix``.

RUN, COPY and ADD are the instructions that add a filesystem layer; the others only change the image
config. The counts after fixing come from running the fixer on the text, so they are exactly what
``dlint fix`` (and ``dlint fix --unsafe-fixes``) would leave. The bytes a fix would save in a stage are
estimated (``dlint.estimates``): the estimates of the stage's findings before fixing, less those of the
findings left after it.
"""
from __future__ import annotations

import json

from ._dataclass import dataclass, field
from .diagnostics import InputProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional

LAYER_INSTRUCTIONS = ("RUN", "COPY", "ADD")
LABEL_WIDTH = 72


@dataclass
class Layer:
    line: int
    instruction: str
    label: str


@dataclass
class StageLayers:
    index: int
    name: Optional[str]
    base: str
    production: bool
    shipping: bool  # the production stage or one it is built FROM: its layers are in the image
    layers: List[Layer] = field(default_factory=list)
    after_fix: int = 0
    after_unsafe_fixes: int = 0
    saved_by_fix: int = 0  # estimated image bytes (findings' estimates before less after; unknown ones left out)
    saved_by_unsafe_fixes: int = 0


@dataclass
class FileLayers:
    path: str
    stages: List[StageLayers] = field(default_factory=list)
    problems: List[InputProblem] = field(default_factory=list)


def _shorten(text: str, width: int = LABEL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def label(ins) -> str:
    """A one-line summary: the command of a RUN, the sources and destination of a COPY or ADD."""
    flags = " ".join(f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in ins.flags
                     if ins.name != "RUN" or f.name not in ("mount",))  # mounts are long and add no layer
    if ins.json is not None:
        body = " ".join(ins.json)
    elif ins.heredocs and ins.name == "RUN" and ins.command.strip().startswith("<<"):
        first = next((ln for ln in ins.heredocs[0].body.splitlines() if ln.strip()), "")
        body = f"<<{ins.heredocs[0].name} {first.strip()}"
    else:
        body = ins.command if ins.name == "RUN" else ins.args
    return _shorten(f"{flags} {body}" if flags else body)


def _counts(doc) -> List[int]:
    return [sum(1 for ins in st.instructions if ins.name in LAYER_INSTRUCTIONS) for st in doc.stages]


def analyze(path: str, data: bytes, settings) -> FileLayers:
    from .fixer import fix_source
    from .validation import validate
    from .stages import StageGraph
    from .syntax import decode, parse

    text = decode(data)
    out = FileLayers(path)
    doc, problems = validate(path, data, text)
    out.problems = problems
    if doc is None or any(p.blocks_fix for p in problems):
        return out
    graph = StageGraph(doc, settings.build_args, settings.target)
    after = {}
    wasted = {}
    from .checking import check_source

    wasted[None] = _wasted(doc, check_source(path, data, settings).diagnostics)
    for unsafe in (False, True):
        result = fix_source(path, data, settings, unsafe=unsafe)
        fixed = parse(result.fixed) if result.fixed is not None else doc
        after[unsafe] = _counts(fixed)
        wasted[unsafe] = _wasted(fixed, result.diagnostics)
    for st in doc.stages:
        layers = [Layer(ins.line, ins.name, label(ins)) for ins in st.instructions if ins.name in LAYER_INSTRUCTIONS]
        out.stages.append(StageLayers(
            index=st.index, name=st.alias, base=st.image, production=st.index == graph.production,
            shipping=st.index in graph.shipping, layers=layers,
            after_fix=after[False][st.index], after_unsafe_fixes=after[True][st.index],
            saved_by_fix=max(0, wasted[None][st.index] - wasted[False][st.index]),
            saved_by_unsafe_fixes=max(0, wasted[None][st.index] - wasted[True][st.index])))
    return out


def _wasted(doc, diagnostics) -> List[int]:
    """Per stage, the sum of the known byte estimates of the findings in it."""
    import bisect

    starts = [st.instruction.start for st in doc.stages]
    out = [0] * len(doc.stages)
    for d in diagnostics:
        i = bisect.bisect_right(starts, d.start) - 1
        if i >= 0 and d.estimated_bytes:
            out[i] += d.estimated_bytes
    return out


def _savings(safe: int, unsafe: int) -> Optional[str]:
    from .estimates import format_bytes

    if not safe and not unsafe:
        return None
    return (f"estimated saving: {format_bytes(safe) if safe else 'none'} with `dlint fix`, "
            f"{format_bytes(unsafe) if unsafe else 'none'} with --unsafe-fixes")


def _plural(n: int, word: str = "layer") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _change(now: int, safe: int, unsafe: int) -> str:
    if now == safe == unsafe:
        return "unchanged by `dlint fix`"
    return f"after `dlint fix`: {safe}, with --unsafe-fixes: {unsafe}"


def render_text(files: List[FileLayers], color: bool = False) -> str:
    def c(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    out: List[str] = []
    for f in files:
        if not f.stages:
            continue
        if out:
            out.append("")
        out.append(c(f.path, "1"))
        width = max((len(str(layer.line)) for st in f.stages for layer in st.layers), default=1)
        for st in f.stages:
            name = f" {st.name}" if st.name else ""
            if st.production:
                role = c("production", "1;32")
            elif st.shipping:
                role = "ships: the production stage is built on it"
            else:
                role = c("build stage, not shipped", "2")
            out.append(f"  stage {st.index}{name} (FROM {st.base}): {role}")
            for layer in st.layers:
                out.append(f"    line {layer.line:>{width}}  {layer.instruction:<4}  {layer.label}")
            summary = f"{_plural(len(st.layers))}; {_change(len(st.layers), st.after_fix, st.after_unsafe_fixes)}"
            out.append("    " + (c(summary, "1") if st.production else summary))
            saving = _savings(st.saved_by_fix, st.saved_by_unsafe_fixes)
            if saving:
                out.append("    " + saving)
        shipping = [st for st in f.stages if st.shipping]
        if len(f.stages) > 1 and shipping:
            now = sum(len(st.layers) for st in shipping)
            safe = sum(st.after_fix for st in shipping)
            unsafe = sum(st.after_unsafe_fixes for st in shipping)
            out.append(f"  image: {_plural(now)} on top of its base image; {_change(now, safe, unsafe)}")
            saving = _savings(sum(st.saved_by_fix for st in shipping), sum(st.saved_by_unsafe_fixes for st in shipping))
            if saving:
                out.append(f"  image {saving}")
    return "\n".join(out) + ("\n" if out else "")


def to_json(files: List[FileLayers]) -> str:
    data = []
    for f in files:
        if not f.stages:
            continue
        data.append({
            "path": f.path,
            "stages": [{
                "index": st.index,
                "name": st.name,
                "base": st.base,
                "production": st.production,
                "shipping": st.shipping,
                "layers": [{"line": layer.line, "instruction": layer.instruction, "label": layer.label}
                           for layer in st.layers],
                "count": len(st.layers),
                "after_fix": st.after_fix,
                "after_unsafe_fixes": st.after_unsafe_fixes,
                "estimated_saving_fix": st.saved_by_fix,
                "estimated_saving_unsafe_fixes": st.saved_by_unsafe_fixes,
            } for st in f.stages],
        })
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
