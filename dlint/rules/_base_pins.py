"""What unpinned-base-image (B004) and unpinned-base-image-anywhere (B005) report: images without a version
tag, or tagged latest."""
from __future__ import annotations


import re

from .. import base_images, dockerfile_path, purpose



def _arg_origin(graph, names):
    """`` (from ARG X, line N)`` for the ARGs a FROM uses."""
    shown = []
    for n in dict.fromkeys(names):
        line = graph.arg_default_line(n)
        if n in graph.build_args:
            shown.append(f"`{n}` from --build-arg")
        elif line is not None:
            shown.append(f"ARG `{n}` on line {line}")
    return f" (from {', '.join(shown)})" if shown else ""


def _placeholder(image: str) -> bool:
    """A template placeholder, not an image: ``REPLACE-ME``, ``%%TAG%%``, ``{{ .Base }}``, ``<image>``,
    ``@BASE@``. Repository paths are lower case, so an upper-case letter outside a variable is one too."""
    if any(m in image for m in ("%%", "{{", "}}", "<", ">")) or image.count("@") >= 2:
        return True
    if "@" in image and not re.search(r"@[A-Za-z0-9]+:", image):
        return True
    path = re.sub(r"\$\{[^}$]*\}|\$\w+", "", image.split("@", 1)[0])
    first, sep, rest = path.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        path = rest  # a registry host may be written in capitals
    path = path.rsplit(":", 1)[0] if ":" in path.rsplit("/", 1)[-1] else path
    return path != path.lower()



def not_shipped_reason(ctx):
    """Why the image this file builds is not one that ships, or None when it may be."""
    if dockerfile_path.is_fixture_path(ctx.project_path):
        return "in a test input (testdata/, fixtures/, ...), written to exercise a builder or a parser"
    if purpose.image_purpose(ctx) == purpose.ENVIRONMENT:
        return "in an image made for development, CI or tests, which often tracks its base on purpose"
    return None


def findings(ctx, loose_pins: bool = False):
    """The unpinned base images of the file; ``loose_pins``: instead, only those this rule takes as pinned
    loosely enough (a repository named for its version, a rolling release), each with a note saying so."""
    graph = ctx.graph
    for stage in ctx.stages:
        base = graph.bases[stage.index]
        if base.parent_stage is not None or base.is_scratch or _placeholder(stage.image):
            continue
        if base.unresolved:
            # The image is chosen by each build's --build-arg (a CI matrix, a packaging script): what it
            # pins cannot be seen here, and guessing would be noise. `--build-arg` checks a given build.
            continue
        ref = base.ref
        unpinned = _unpinned(ref, loose_pins)
        if unpinned is None:
            continue
        what, loose = unpinned
        origin = _arg_origin(graph, base.args) if base.args else ""
        if base_images.moving_tags_only(ref):
            advice = (f"`{ref.repository}` publishes only moving tags: pin it by digest "
                      f"(`{ref.repository}@sha256:...`) and let a bot such as Renovate or Dependabot update it")
        else:
            example = base_images.example_tag(ref)
            sample = f" such as `{ref.repository}:{example}`" if example else ""
            advice = f"use a version tag{sample} (and a digest for fully reproducible builds)"
        message = f"the base image `{base.image}`{origin} {what}: every build may get a different image; {advice}"
        yield ctx.at_instruction(stage.instruction, _noted(message, loose),
                                 hadolint="DL3006" if ref.tag is None else "DL3007")
    yield from _copied_from_images(ctx, loose_pins)


def _copied_from_images(ctx, loose_pins: bool):
    """``COPY --from=`` an image (not a stage) without a tag or digest: files taken from whatever its
    ``latest`` is at build time."""
    from ..stages import parse_image
    from ._stage_refs import IMAGE, copy_from

    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "COPY":
                continue
            found = copy_from(ctx, ins, stage.index)
            if found is None or found[0] != IMAGE:
                continue
            ref = parse_image(found[1])
            unpinned = _unpinned(ref, loose_pins)
            if unpinned is None:
                continue
            what, loose = unpinned
            if base_images.moving_tags_only(ref):
                advice = f"pin it by digest (`{ref.repository}@sha256:...`)"
            else:
                advice = "name it with a version tag (and a digest for fully reproducible builds)"
            message = (f"the image `{found[1]}` that `COPY --from` copies from {what}: every build may copy "
                       f"different files; {advice}")
            yield ctx.at_instruction(ins, _noted(message, loose), hadolint="DL3022" if ref.tag is None else "")


def _unpinned(ref, loose_pins: bool):
    """(what the reference says of its version, why it is loosely pinned or "") for an image without a version
    tag or digest that this pass reports (``loose_pins``: those named for their version or rolling releases,
    else the others); None for any other reference."""
    if ref is None or ref.digest or (ref.tag is not None and ref.tag.lower() != "latest"):
        return None
    loose = _loose_pin(ref)
    if bool(loose) != loose_pins:
        return None
    return ("has no tag, so it means `:latest`" if ref.tag is None else "is tagged `latest`"), loose


def _noted(message: str, loose: str) -> str:
    return f"{message} ({loose})" if loose else message


def _loose_pin(ref) -> str:
    """Why an untagged (or ``latest``) image is pinned as far as it can be, or "" when it is not."""
    if base_images.version_in_name(ref):
        return (f"`{ref.path}` is named for its version: its latest is that version's newest build, as loose a "
                "pin as a major-version tag such as `alpine:3`")
    if base_images.rolling_release(ref):
        return (f"`{ref.path}` is a rolling release: it has no release to pin, only dated snapshot tags "
                "or a digest")
    return ""
