"""B001: the stage that ships is based on a full OS or language image."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from .. import estimates

import fnmatch

from .. import app_stack, base_images, distroless, startup_command
from ._facts import ships_an_application

RULE = Rule(
    code="B001",
    name="non-distroless-base",
    severity="info",
    summary="The production stage is based on a full OS or language image; a distroless image would do",
    fix=NO_FIX,
    options={"allowed-bases": []},  # globs of images that may ship (e.g. "python:3.12-slim")
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md),
    estimate=estimates.full_base_image,
)


def allowed(ctx, base) -> bool:
    """Whether the config's ``allowed-bases`` globs accept the image (as written, or without tag/digest)."""
    patterns = ctx.option("allowed-bases")
    if not patterns:
        return False
    ref = base.ref
    repos = {ref.repository, ref.path}
    if ref.registry is None:  # Docker Hub, however it is spelled
        repos |= {f"docker.io/{ref.path}", f"docker.io/library/{ref.path}", f"library/{ref.path}"}
    names = {base.image, ref.text} | repos
    if ref.tag:
        names |= {f"{r}:{ref.tag}" for r in repos}
    return any(fnmatch.fnmatchcase(n.lower(), p.lower()) for n in names for p in patterns)


def full_production_base(ctx):
    """(production stage, root base, family) when the shipped image is a full OS/language image worth
    reporting; None otherwise. Shared with B003, which is quiet on the same images."""
    graph = ctx.graph
    production = graph.production
    if production is None:
        return None
    base = graph.root_base(production)
    ref = base.ref
    if ref is None or base_images.is_minimal(ref) or base_images.is_development_image(ref):
        return None
    fam = base_images.family(ref)
    if fam is None or allowed(ctx, base):
        return None
    return graph.stages[production], base, fam


def check(ctx):
    found = full_production_base(ctx)
    if found is None or not ships_an_application(ctx):
        return
    stage, base, (category, fam) = found
    graph = ctx.graph
    if base_images.no_distroless_equivalent(base.ref):
        return  # an app server, PHP, conda, a function host, Windows: no distroless image runs it
    if startup_command.runtime_needs_shell(ctx, stage.index) is not None:
        return  # it runs a shell script or shell syntax: the shell is used, moving needs more than a new base
    stack = app_stack.detect_stack(ctx, stage.index)
    on_musl = fam == "alpine" or "alpine" in (base.ref.tag or "").lower()
    if on_musl and (stack.kind in ("binary", "native", "go-cgo") or distroless.installs_musl_packages(ctx, stage.index)):
        # Built on musl: a binary, a cgo or C/C++ build, or language packages installed here (native
        # extensions compiled for musl, py3-*/ruby-* from apk) must be rebuilt on glibc: a port, not a swap.
        return
    if stack.kind == "java" and not startup_command.runs_java_directly(ctx, stage.index):
        return  # a start script (Gradle installDist, appassembler, a launcher) needs a shell distroless lacks
    rec = distroless.recommend(stack)
    if rec is None:
        return  # no distroless image runs this stack, or not the version the file uses
    if distroless.runtime_packages(ctx, stage.index, stack.kind):
        return  # system packages it keeps at run time: distroless has no package manager to add them
    root = graph.root_stage(stage.index)
    via = ""
    if root != stage.index:
        root_stage = graph.stages[root]
        via = f" (through stage `{root_stage.alias or root}` on line {root_stage.instruction.line})"
    kind = "full OS image" if category == "os" else f"full {fam} image"
    why = f" ({stack.evidence})" if stack.evidence else ""
    note = f"; {rec.note}" if rec.note else ""
    message = (
        f"the production stage is based on `{base.image}`{via}, a {kind} with a shell, a package manager and "
        f"packages the application does not use; use `{rec.image}` ({rec.runtime}){why}{note}: "
        f"{rec.how}, and start it with an exec-form ENTRYPOINT"
    )
    yield ctx.at_instruction(stage.instruction, message)
