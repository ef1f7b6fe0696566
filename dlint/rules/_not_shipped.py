"""The other half of the layer rules: what they report where the layers do not ship.

L004, L005 and L008 (and B004 for base images) report in what ships: the stages whose layers reach the
image (the final stage and the stages it builds on) of an image that is itself shipped. The same waste in
a build stage whose files are copied out, or in an image made for development, CI or tests, costs build
time and build-cache space but not image size: their opt-in companions (L009, L010, L011, B005) report it
there, with the same message and fix and a note saying where. hadolint reports both halves under one code.
"""
from __future__ import annotations

from .. import purpose

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..diagnostics import Diagnostic

# What an image that is not shipped is for, as the note on a finding says it.
_PURPOSES = {
    purpose.ENVIRONMENT: "an image made for development, CI or tests",
    purpose.MACHINE: "an image made to log into or keep running (ssh, a desktop, an init)",
    purpose.WINDOWS: "a Windows image",
    purpose.NONE: "a file none of whose stages ships",
}


def stage_title(stage) -> str:
    return f"build stage `{stage.alias}`" if stage.alias else f"the build stage on line {stage.instruction.line}"


def _stage_at(ctx, offset: int):
    found = None
    for stage in ctx.stages:
        if stage.instruction.start <= offset:
            found = stage
    return found


def image_note(ctx) -> str:
    """What an image that is not shipped is for, as a note says it."""
    return f"in {_PURPOSES.get(purpose.image_purpose(ctx), 'an image that is not shipped')}, which is not shipped"


def noted(ctx, finding: Diagnostic, note: str = "") -> Diagnostic:
    """``finding`` with a note after its message saying where it is: ``note`` (``image_note``), else the
    build stage it is in, whose layers do not reach the image."""
    if not note:
        stage = _stage_at(ctx, finding.start)
        where = stage_title(stage) if stage is not None else "a build stage"
        note = f"in {where}, whose layers do not reach the image: build time and cache space, not image size"
    finding.message = f"{finding.message} ({note})"
    return finding
