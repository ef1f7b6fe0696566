"""B003: compilers, build tools or development headers installed in the stage that ships."""
from __future__ import annotations

from .. import images
from .non_distroless_base import ships_an_application

CODE = "B003"
NAME = "toolchain-in-production"
SEVERITY = "warning"
SUMMARY = "Compilers and build tools are installed in the production stage; build in a builder stage instead"
HADOLINT = ()
FIX = "no"

_OS_MANAGERS = ("apt", "apk", "dnf", "zypper")


def _removed_names(calls):
    """Package names removed by these calls, and whether some removal names packages we cannot read."""
    names, unknown = set(), False
    for c in calls:
        if c.kind != "remove":
            continue
        for p in c.packages:
            if not p:
                unknown = True
            names.add(images._package_name(p))
        if not c.packages:
            unknown = True
    return names, unknown


def _virtual_name(call):
    opts = call.options
    for i, o in enumerate(opts):
        if o in ("-t", "--virtual") and i + 1 < len(opts):
            return opts[i + 1]
        if o.startswith("--virtual="):
            return o.split("=", 1)[1]
    return None


def toolchain_installs(ctx, stage):
    """``(run, call, packages, removed_later_line)`` for installs of toolchain packages that stay in a layer."""
    runs = ctx.runs(stage)
    for i, run in enumerate(runs):
        calls = ctx.calls(run)
        removed, unknown = _removed_names(calls)
        for call in calls:
            if call.manager not in _OS_MANAGERS or call.kind != "install":
                continue
            virtual = _virtual_name(call) if call.manager == "apk" else None
            if virtual is not None and (virtual in removed or unknown):
                continue
            tools = [p for p in call.packages if p and images.is_toolchain_package(p)]
            tools = [p for p in tools if images._package_name(p) not in removed]
            if not tools or unknown:
                continue
            later = None
            for other in runs[i + 1:]:
                names, _ = _removed_names(ctx.calls(other))
                if virtual in names or any(images._package_name(p) in names for p in tools):
                    later = other.line
                    break
            yield run, call, tools, later


def _message(tools, later, where=""):
    shown = ", ".join(f"`{t}`" for t in tools[:6]) + (", ..." if len(tools) > 6 else "")
    noun = "build tools" if len(tools) > 1 else "build tool"
    verb = "are" if len(tools) > 1 else "is"
    them = "them" if len(tools) > 1 else "it"
    msg = (f"{noun} {shown} {verb} installed{where} in the production stage, so {'they ship' if len(tools) > 1 else 'it ships'} with the image; "
           f"install and use {them} in a builder stage and COPY --from only the build output")
    if later is not None:
        msg += f" (removing {them} on line {later} does not shrink the image: this layer keeps {them})"
    return msg


def check(ctx):
    graph = ctx.graph
    if graph.production is None or not ships_an_application(ctx):
        return
    production = graph.stages[graph.production]
    for run, call, tools, later in toolchain_installs(ctx, production):
        script = ctx.script(run)
        start = script.file_offset(call.command.start) if script is not None and script.pieces else run.start
        end = script.file_offset(call.command.end) if script is not None and script.pieces else run.lines_end
        if end <= start:
            start, end = run.start, run.lines_end
        yield ctx.diagnostic(start, end, _message(tools, later))
    # Stages the production stage builds on through FROM ship their layers too: report at its FROM.
    for idx in graph.chain(graph.production)[1:]:
        st = graph.stages[idx]
        for run, call, tools, later in toolchain_installs(ctx, st):
            where = f" by stage `{st.alias or idx}` (line {run.line}), which this stage builds on,"
            yield ctx.at_instruction(production.instruction, _message(tools, later, where))
