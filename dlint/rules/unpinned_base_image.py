"""B004: a base image without a version tag, or with ``:latest``."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

import re

from .. import base_images, dockerfile_path, purpose

RULE = Rule(
    code="B004",
    name="unpinned-base-image",
    severity="warning",
    summary="Base image without a version tag or digest (or tagged latest): builds change under you",
    hadolint=("DL3006", "DL3007"),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md)
)


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


def check(ctx):
    graph = ctx.graph
    if dockerfile_path.is_fixture_path(ctx.project_path):
        return  # test inputs (testdata/, fixtures/, ...) written to exercise a builder or a parser
    if purpose.image_purpose(ctx) == purpose.ENVIRONMENT:
        return  # a development, CI or test environment often tracks its base on purpose
    for stage in ctx.stages:
        base = graph.bases[stage.index]
        if base.parent_stage is not None or base.is_scratch or _placeholder(stage.image):
            continue
        if base.unresolved:
            # The image is chosen by each build's --build-arg (a CI matrix, a packaging script): what it
            # pins cannot be seen here, and guessing would be noise. `--build-arg` checks a given build.
            continue
        ref = base.ref
        if ref is None or ref.digest or base_images.version_in_name(ref) or base_images.rolling_release(ref):
            continue
        tag = ref.tag
        if tag is not None and tag.lower() != "latest":
            continue
        if "$" in (tag or ""):
            continue
        origin = _arg_origin(graph, base.args) if base.args else ""
        what = "has no tag, so it means `:latest`" if tag is None else "is tagged `latest`"
        if base_images.moving_tags_only(ref):
            advice = (f"`{ref.repository}` publishes only moving tags: pin it by digest "
                      f"(`{ref.repository}@sha256:...`) and let a bot such as Renovate or Dependabot update it")
        else:
            example = base_images.example_tag(ref)
            sample = f" such as `{ref.repository}:{example}`" if example else ""
            advice = f"use a version tag{sample} (and a digest for fully reproducible builds)"
        yield ctx.at_instruction(
            stage.instruction,
            f"the base image `{base.image}`{origin} {what}: every build may get a different image; {advice}",
            hadolint="DL3006" if tag is None else "DL3007",
        )
