"""B003: compilers, build tools or development headers installed in the stage that ships."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from .. import estimates
from .. import base_images, installed_packages
from ._facts import ships_an_application

RULE = Rule(
    code="B003",
    name="toolchain-in-production",
    severity="warning",
    summary="Compilers and build tools are installed in the production stage; build in a builder stage instead",
    fix=NO_FIX,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md),
    estimate=estimates.build_tools,
)


def toolchain_installs(ctx, stage, headers=True):
    """``(run, call, packages, removed_later_line)`` for installs of toolchain packages that stay in a layer;
    development headers only with ``headers`` (where the image compiles something)."""
    for run, call, kept, later in installed_packages.os_installs(ctx, stage):
        tools = [p for p in kept if base_images.is_toolchain_package(p) and (headers or not base_images.is_header_package(p))]
        if tools:
            lines = [later[p] for p in tools if p in later]
            yield run, call, tools, (min(lines) if lines else None)


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
    base = graph.root_base(graph.production)
    if base.ref is not None and base_images.is_toolchain_base(base.ref):
        return  # the base already ships a compiler, make and headers: the file's own additions save little
    # Headers installed where nothing is compiled are there for the unversioned .so a program loads at
    # run time (libpcap-dev, unixODBC-devel, libc6-dev for libdl.so): a runtime need, not a toolchain.
    headers = installed_packages.compiles(ctx, graph.production)
    for run, call, tools, later in toolchain_installs(ctx, production, headers):
        script = ctx.script(run)
        start = script.file_offset(call.command.start) if script is not None and script.pieces else run.start
        end = script.file_offset(call.command.end) if script is not None and script.pieces else run.lines_end
        if end <= start:
            start, end = run.start, run.lines_end
        yield ctx.diagnostic(start, end, _message(tools, later))
    # Stages the production stage builds on through FROM ship their layers too: report at its FROM.
    for idx in graph.chain(graph.production)[1:]:
        st = graph.stages[idx]
        for run, call, tools, later in toolchain_installs(ctx, st, headers):
            where = f" by stage `{st.alias or idx}` (line {run.line}), which this stage builds on,"
            yield ctx.at_instruction(production.instruction, _message(tools, later, where))
