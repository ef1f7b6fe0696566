"""S003: an image from a registry the project does not trust (option ``trusted-registries``)."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ..stages import parse_image, substitute
from ._stage_refs import BARE, IMAGE, copy_from, unquote

RULE = Rule(
    code="S003",
    name="untrusted-registry",
    severity="error",
    summary="An image (FROM, COPY --from, RUN --mount from=) comes from a registry not in trusted-registries",
    hadolint=("DL3026",),
    fix=NO_FIX,
    options={"trusted-registries": []},
)

_HUB = ("docker.io", "hub.docker.com")


def _matches(pattern: str, registry: str) -> bool:
    if pattern == "*":
        return True
    if pattern.startswith("*"):
        return registry.endswith(pattern[1:])
    if pattern.endswith("*"):
        return registry.startswith(pattern[:-1])
    return registry == pattern


def _registry_of(name: str):
    """(registry shown, trusted names to try) of an image reference, or None when it is not one."""
    ref = parse_image(name)
    if ref is None:
        return None
    return (ref.registry, (ref.registry,)) if ref.registry else ("docker.io", _HUB)


def _untrusted(trusted, name: str):
    found = _registry_of(name)
    if found is None:
        return None
    shown, candidates = found
    if any(_matches(p.lower(), c) for p in trusted for c in candidates):
        return None
    return shown


def _registry_part(written: str, base):
    """For an image whose tag or path is not known (an ARG without a value, a template placeholder:
    ``mcr.microsoft.com/base:${VARIANT}``): ``registry/x`` when the registry itself is written out, else None."""
    if base.parent_stage is not None or base.is_scratch:
        return None
    first, sep, _ = written.partition("/")
    if not sep or "$" in first or not ("." in first or ":" in first or first == "localhost"):
        return None
    return f"{first}/x"


def _mount_sources(ins):
    for f in ins.flags:
        if f.name != "mount" or not f.value:
            continue
        for part in f.value.split(","):
            key, _, value = part.partition("=")
            if key.strip() == "from" and value.strip():
                yield unquote(value.strip())


def check(ctx):
    trusted = [t.strip() for t in ctx.option("trusted-registries") if t.strip()]
    if not trusted:
        return
    graph = ctx.graph
    names = {st.alias.lower() for st in ctx.stages if st.alias}
    for stage in ctx.stages:
        base = graph.bases[stage.index]
        image = base.image if base.ref is not None else _registry_part(stage.image, base)
        if image:
            shown = _untrusted(trusted, image)
            if shown:
                yield ctx.at_instruction(stage.instruction, f"`{stage.image}` comes from `{shown}`, which is not "
                                                            f"in trusted-registries ({', '.join(trusted)})")
        for ins in stage.instructions:
            if ins.name == "COPY":
                found = copy_from(ctx, ins, stage.index)
                if found is not None and found[0] in (IMAGE, BARE):
                    shown = _untrusted(trusted, found[1])
                    if shown:
                        yield ctx.at_instruction(ins, f"`COPY --from={found[1]}` pulls an image from `{shown}`, which "
                                                      f"is not in trusted-registries ({', '.join(trusted)})")
            elif ins.name == "RUN":
                for src in _mount_sources(ins):
                    missing = []
                    name = substitute(src, graph.args, missing)
                    if missing or name.lower() in names or name.isdigit():
                        continue
                    shown = _untrusted(trusted, name)
                    if shown:
                        yield ctx.at_instruction(ins, f"`--mount from={name}` pulls an image from `{shown}`, which "
                                                      f"is not in trusted-registries ({', '.join(trusted)})")
                        break
