"""D016: ``COPY --from`` names no stage of the file and is not written as an image reference."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._stage_refs import BARE, copy_from

RULE = Rule(
    code="D016",
    name="copy-from-unknown-stage",
    severity="warning",
    summary="COPY --from names no stage of this file and is not an image reference (a typo, or an unpinned image)",
    hadolint=("DL3022",),
    fix=NO_FIX,
)


def check(ctx):
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "COPY":
                continue
            found = copy_from(ctx, ins, stage.index)
            if found is None or found[0] != BARE:
                continue
            name = found[1]
            if name.isdigit():
                count = len(ctx.stages)
                yield ctx.at_instruction(ins, f"`COPY --from={name}` names stage index {name}, but the file has "
                                              f"{count} stage{'s' if count != 1 else ''} (indexes from 0)")
                continue
            names = ", ".join(f"`{st.alias}`" for st in ctx.stages if st.alias) or "none"
            yield ctx.at_instruction(
                ins, f"`COPY --from={name}` names no stage of this file (stage names: {names}); BuildKit would "
                     f"pull the image `docker.io/library/{name.lower()}:latest` (unless the build passes a named "
                     f"context `--build-context {name}=...`). Fix the stage name, or name the image with its tag")
