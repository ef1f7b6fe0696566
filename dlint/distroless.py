"""Moving an image to distroless: the distroless (or chiseled, or Chainguard) image that runs the same
stack, and what the image keeps installed or builds that such an image would lack."""
from __future__ import annotations

import re

from ._dataclass import dataclass
from ._regex import lazy_compile
from .app_stack import LANGUAGE_PACKAGES, MANAGER_STACKS, Stack
from .base_images import catalogue, is_header_package, is_toolchain_package, package_name
from .installed_packages import compiles, os_installs
from .shell import program_name
from .startup_command import runtime_argv

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

    from .context import Context
    from .stages import StageGraph


@dataclass
class Recommendation:
    image: str
    runtime: str
    how: str
    note: str = ""


def _pick_version(versions: List[str], wanted: Optional[str], default: str) -> str:
    if wanted is None:
        return default

    key = _version_key
    if wanted in versions:
        return wanted
    newer = [v for v in versions if key(v) >= key(wanted)]
    return min(newer, key=key) if newer else max(versions, key=key)


def _version_key(v: str) -> Tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def recommend(stack: Stack) -> Optional[Recommendation]:
    """The distroless (or chiseled, or Chainguard) image that runs the same application; None when there is
    none: a stack without one, or a version so old that moving is a port."""
    data = catalogue()["recommendations"]
    spec = data.get(stack.kind)
    if spec is None or stack.kind == "comment":
        return None
    if stack.version and "oldest" in spec and _version_key(stack.version) < _version_key(spec["oldest"]):
        return None
    newest = max(spec["versions"], key=_version_key) if "versions" in spec else spec.get("version")
    if stack.version and newest and _version_key(stack.version)[:2] > _version_key(newest)[:2]:
        return None  # newer than any the image offers: going back is not the same application
    if stack.version and spec.get("same_version") and stack.version not in spec["versions"]:
        return None
    note = ""
    if "versions" in spec:
        version = _pick_version(spec["versions"], stack.version, spec["default"])
        image = spec["image"].format(version=version)
        runtime = spec["runtime"].format(version=version)
        if stack.version and stack.version != version:
            note = f"the file uses {spec['runtime'].format(version=stack.version)}"
    else:
        image, runtime = spec["image"], spec["runtime"]
        if stack.kind == "python" and stack.version and stack.version != spec["version"]:
            note = f"the file uses Python {stack.version}: rebuild its packages with {spec['version']}"
    return Recommendation(image, runtime, spec["how"], note)


def runtime_packages(ctx: Context, production: int, stack_kind: str) -> List[str]:
    """System packages the production stage keeps installed that a distroless image would lack: everything
    but what distroless has, fetch tools used only while building, compilers and build tools (a builder
    stage's job) and the language runtime the suggested image brings. Unreadable names count."""
    data = catalogue()["runtime_packages"]
    graph: StageGraph = ctx.graph
    entry, cmd = runtime_argv(ctx, production)
    used_at_run = " ".join(i.logical for idx in graph.chain(production) for i in graph.stages[idx].instructions
                           if i.name == "HEALTHCHECK")
    used_at_run += " " + " ".join(i.logical for i in (entry, cmd) if i is not None)
    used_words = {program_name(w.strip("\"'[],")) for w in used_at_run.split()}
    needs: List[str] = []
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            script = ctx.script(run)
            for c in (script.commands if script is not None else ()):
                words = [w.value for w in c.words]
                if words and words[0] and program_name(words[0]) in data["install_wrappers"]:
                    needs.extend(w or "$?" for w in words[1:] if not (w or "-").startswith("-"))
        for run, call, kept, later in os_installs(ctx, graph.stages[idx], assume_kept=True):
            for pkg in kept:
                if pkg in later:
                    continue
                name = package_name(pkg)
                if "$" in pkg or not name:
                    needs.append(pkg)
                    continue
                if name in data["provided"]:
                    continue
                if name in data["build_time"] and name not in used_words:
                    continue
                if is_toolchain_package(name) and not is_header_package(name):
                    continue
                if any(rx.match(name) and stack == _language_of(stack_kind) for rx, stack in LANGUAGE_PACKAGES):
                    continue
                needs.append(name)
    return needs


def _language_of(stack_kind: str) -> str:
    return {"go-static": "go", "go-cgo": "go"}.get(stack_kind, stack_kind)


_APK_LANGUAGE_PACKAGE = lazy_compile(r"(py3|py2|ruby|nodejs|perl|lua\d*|php\d*)-")


def installs_musl_packages(ctx: Context, production: int) -> bool:
    """Whether the stages that ship install language packages that may be built for musl: something is
    compiled or a package manager installs (``pip install``, ``npm ci``, ``bundle install``), or apk adds
    a language's packages (``py3-*``, ``ruby-*``)."""
    if compiles(ctx, production):
        return True
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in MANAGER_STACKS and call.kind == "install":
                    return True
                if call.manager == "apk" and call.kind == "install" and any(
                        _APK_LANGUAGE_PACKAGE.match(package_name(p)) for p in call.packages if p):
                    return True
    return False
