"""What the image a Dockerfile builds is *for*, read from the file alone.

One answer, shared by the rules whose findings only make sense for some images:

- ``application``: it starts a program of its own (B001, B003 and L005 report here);
- ``base``: a runtime or SDK meant to be extended (ONBUILD, a shell or REPL as its command, no command,
  ``base/`` or ``*-base`` in its path): L005 reports, B001 and B003 do not;
- ``environment``: a CI, build, development or test image (its path or stage name says so, its command
  builds, tests or compiles at start-up, ``DAPPER_*`` or a ``*_ENV=development`` variable, a command that
  installs packages when it runs): the toolchain and apt's recommends are often the point; nothing reported;
- ``machine``: an image to log into or keep alive (ssh, init, desktop, ``sleep``): nothing reported;
- ``windows``: built for Windows; nothing reported by these rules.
"""
from __future__ import annotations

import re

from ._regex import lazy_compile
from .base_images import catalogue, is_windows_ref, matches_any, package_name
from .dockerfile_path import ENVIRONMENT_NAME, is_base_or_tool_path, is_base_path, is_environment_path
from .installed_packages import OS_MANAGERS
from .shell import program_name
from .startup_command import (BUILDERS, COMMON_WRAPPERS, INIT_WRAPPERS, SHELL_NAMES, SYSTEM_COMMANDS, command_names, instruction_argv,
                              runtime_argv, shell_c_names, unwrapped_argv)

APPLICATION = "application"
BASE = "base"
ENVIRONMENT = "environment"
MACHINE = "machine"
WINDOWS = "windows"
NONE = "none"

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only
    from typing import List, Optional

    from .context import Context
    from .stages import StageGraph

# Variables that say the image runs in development or test mode.
_MODE_VARIABLE = lazy_compile(r"(?:RAILS|RACK|NODE|APP|FLASK|MIX|DJANGO|SYMFONY|ASPNETCORE|DOTNET|GO|APPLICATION)_?ENV(?:IRONMENT)?\Z")
_DEV_MODES = {"development", "dev", "test", "testing", "ci"}
# Commands that compile the program when the container starts: a development image.
_COMPILE_AT_START = {"go": ("run", "test", "build", "generate", "vet"), "cargo": ("run", "test", "build", "watch"),
                     "dotnet": ("run", "test", "build", "watch"), "swift": ("build", "run", "test"),
                     "godep": ("go",), "mvn": None, "mvnw": None, "gradle": None, "gradlew": None,
                     "stack": ("build", "run", "test", "exec"), "cabal": ("build", "run", "test"),
                     "npm": ("test", "run-script"), "yarn": ("test", "build", "dev", "watch"),
                     "sbt": None, "lein": None, "mix": ("test", "compile"), "rake": ("test", "spec", "build", "compile")}
_NPM_RUN_DEV = {"build", "test", "dev", "watch", "develop", "lint"}
# Commands that install or compile packages as they run: the image is a tool that builds (its plugins,
# its users' packages), and the toolchain is what it runs.
_INSTALLING_COMMANDS = {"pip": ("install",), "pip3": ("install",), "npm": ("install", "i", "ci"),
                        "gem": ("install",), "bundle": ("install",), "cpanm": None, "luarocks": ("install", "make"),
                        "composer": ("install", "require"), "r": ("cmd",), "rscript": None, "pecl": ("install",),
                        "phpize": None, "docker-php-ext-install": None, "node-gyp": None, "conan": None, "vcpkg": None}
# What the commands of a start command are looked at through.
_START_WRAPPERS = COMMON_WRAPPERS + INIT_WRAPPERS
# CI images: a dapper-style entry script, or a `ci` command.
_CI_COMMANDS = {"ci", "entry", "dapper"}


def _env_pairs(ctx: Context, production):
    """(name, value) of ENV and ARG defaults along the production stage's chain (values as written)."""
    graph = ctx.graph
    for idx in graph.chain(production):
        for ins in graph.stages[idx].instructions:
            if ins.name not in ("ENV", "ARG"):
                continue
            for name, value in _pairs(ins.args):
                yield name, value


def _pairs(args: str):
    words = args.split()
    if len(words) >= 2 and "=" not in words[0]:
        yield words[0], " ".join(words[1:]).strip("\"'")  # legacy `ENV NAME value`
        return
    for w in words:
        if "=" in w:
            name, _, value = w.partition("=")
            yield name, value.strip("\"'")
        else:
            yield w, ""


def _commands(ctx: Context, production):
    """Word lists of each command the ENTRYPOINT and CMD run (shell form parsed; `sh -c` followed)."""
    entry, cmd = runtime_argv(ctx, production)
    out = []
    for ins in (entry, cmd):
        if ins is None:
            continue
        script = ctx.script(ins)
        if script is not None:
            for c in script.commands:
                words = [w.value or "" for w in c.words]
                out.append(words)
        argv = unwrapped_argv(instruction_argv(ins))
        if len(argv) > 2 and SHELL_NAMES.match(program_name(argv[0])) and argv[1] in ("-c", "-lc", "-ec", "-xc"):
            for part in re.split(r"&&|\|\||;|\|", argv[2]):
                if part.split():
                    out.append(part.split())
    return out


def _first_argument(words: List[str]) -> str:
    return next((w.lower() for w in words[1:] if w and not w.startswith("-")), "")


def command_builds(ctx: Context, production) -> Optional[str]:
    """The command the image starts with when it compiles, tests or installs packages as it runs (``go run``,
    ``cargo build``, ``dotnet run``, ``mvn spring-boot:run``, ``swift build``, ``make``, ``npm run test``,
    ``pip install``), or a CI entry script; None otherwise."""
    for words in _commands(ctx, production):
        words = unwrapped_argv(words, _START_WRAPPERS)
        if not words or not words[0]:
            continue
        name = program_name(words[0])
        sub = _first_argument(words)
        if name in _COMPILE_AT_START:
            subs = _COMPILE_AT_START[name]
            if subs is None or sub in subs:
                return " ".join(words[:2])
            if name in ("npm", "yarn", "pnpm") and sub == "run" and len(words) > 2 and words[2] in _NPM_RUN_DEV:
                return " ".join(words[:3])
        if name in _INSTALLING_COMMANDS:
            subs = _INSTALLING_COMMANDS[name]
            if subs is None or sub in subs:
                return " ".join(words[:2])
        if name in _CI_COMMANDS:
            return words[0]
        if BUILDERS.match(name):
            return words[0]
    return None


def environment_signal(ctx: Context, production) -> Optional[str]:
    """Why the image is a CI, build, development or test environment, or None."""
    if is_environment_path(ctx.project_path):
        return "its path names a development, CI or test environment"
    if is_environment_stage(ctx, production):
        return "its stage name names a development, test or debug environment"
    for name, value in _env_pairs(ctx, production):
        if name.startswith("DAPPER_"):
            return f"`{name}`: a dapper CI build image"
        if _MODE_VARIABLE.match(name) and value.lower() in _DEV_MODES:
            return f"`{name}={value}`"
    built = command_builds(ctx, production)
    if built is not None:
        return f"it runs `{built}`"
    entry, cmd = runtime_argv(ctx, production)
    for ins in (entry, cmd):
        if ins is not None and any(w in ("--watch", "--reload", "runserver") for w in instruction_argv(ins)):
            return "it starts a development server"
    return None


def _keeps_alive(ctx: Context, production) -> bool:
    for words in _commands(ctx, production):
        words = unwrapped_argv(words, _START_WRAPPERS)
        if words and words[0] and SYSTEM_COMMANDS.match(program_name(words[0])):
            return True
    return False


def is_windows_stage(ctx: Context, index: int) -> bool:
    """A stage built on a Windows image, or written for one (backtick escape, PowerShell or cmd as SHELL)."""
    graph: StageGraph = ctx.graph
    base = graph.root_base(index)
    if base.ref is not None and is_windows_ref(base.ref):
        return True
    if ctx.doc.escape == "`":
        return True
    return any(ins.name == "SHELL" and ins.json and program_name(ins.json[0]).replace("\\", "/").rsplit("/", 1)[-1]
               in ("powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe")
               for idx in graph.chain(index) for ins in graph.stages[idx].instructions)


def is_environment_stage(ctx: Context, production: int) -> bool:
    """A production stage named for development, tests or debugging (``dev``, ``dev-envs``, ``test``, ...)."""
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        alias = graph.stages[idx].alias
        if alias and (ENVIRONMENT_NAME.search(alias.lower()) or alias.lower() in ("debug", "debugger", "local")):
            return True
    return False


_INTERACTIVE = lazy_compile(r"(sh|bash|ash|dash|zsh|fish|ksh|pwsh|powershell|cmd|python[0-9.]*|ipython3?|node|irb|jshell|"
                          r"php|iex|erl|ghci|julia|r|scala|groovysh|bun|deno)\Z")
_INTERACTIVE_FLAGS = {"-i", "-l", "--login", "-il", "-li", "-a"}


def is_application_image(ctx: Context, production: int) -> bool:
    """False for images that run no application of their own: base images for other builds (ONBUILD, or a
    shell/REPL as the command) and tool environments that keep their base's default command."""
    graph: StageGraph = ctx.graph
    chain = graph.chain(production)
    for idx in chain:
        if any(i.name == "ONBUILD" for i in graph.stages[idx].instructions):
            return False
    entry, cmd = runtime_argv(ctx, production)
    if entry is None and cmd is None:
        base = graph.root_base(production)
        if base.ref is None:
            return False  # whatever the unknown base runs: nothing says this image is an application
        tag = (base.ref.tag or "").lower()
        # Bases whose own default command is a server run the application they are given.
        return base.ref.name in ("tomcat", "jetty", "wildfly", "payara", "open-liberty", "websphere-liberty") or (
            base.ref.name == "php" and ("apache" in tag or "fpm" in tag))
    argv: List[str] = []
    if entry is not None:
        argv = unwrapped_argv(instruction_argv(entry))
        if len(argv) <= 1 and (not argv or "entrypoint" in program_name(argv[0])) and cmd is not None:
            argv = instruction_argv(cmd)
    elif cmd is not None:
        argv = instruction_argv(cmd)
    words = [w for w in argv if w not in _INTERACTIVE_FLAGS]
    if len(words) == 1 and _INTERACTIVE.match(program_name(words[0].strip("\"'"))):
        return False
    # A command that builds or tests something makes this a build or CI environment; an ssh server,
    # an init system, a desktop or a keep-alive makes it a machine to log into, not an application.
    for ins in (entry, cmd):
        if ins is None:
            continue
        names = command_names(ctx, ins) + shell_c_names(unwrapped_argv(instruction_argv(ins)))
        if any(BUILDERS.match(n) or SYSTEM_COMMANDS.match(n) for n in names):
            return False
        if any(w in ("--watch", "--reload", "runserver") for w in instruction_argv(ins)):
            return False  # a development server (rebuilds or reloads on change, Django's runserver)
    return not is_login_machine(ctx, production)


def is_login_machine(ctx: Context, production: int) -> bool:
    """An image made to log into or to show a desktop: it installs an ssh, VNC or RDP server or a desktop, or
    exposes their ports (22, 3389, 5900-5909, 6080)."""
    data = catalogue()["login_machines"]
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for ins in graph.stages[idx].instructions:
            if ins.name == "EXPOSE":
                for word in ins.args.split():
                    port = word.split("/", 1)[0]
                    if port.isdigit() and int(port) in data["ports"]:
                        return True
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in OS_MANAGERS and call.kind == "install" and any(
                        matches_any(data["packages"], package_name(p)) for p in call.packages):
                    return True
    return False


def image_purpose(ctx: Context) -> str:
    """One of APPLICATION, BASE, ENVIRONMENT, MACHINE, WINDOWS, NONE (no stage ships)."""
    memo = ctx.memo("purpose")
    if "kind" not in memo:
        memo["kind"] = _purpose(ctx)
    return memo["kind"]


def _purpose(ctx: Context) -> str:
    production = ctx.graph.production
    if production is None:
        return NONE
    if is_windows_stage(ctx, production):
        return WINDOWS
    if environment_signal(ctx, production) is not None:
        return ENVIRONMENT
    if is_base_or_tool_path(ctx.project_path):
        return BASE if is_base_path(ctx.project_path) else ENVIRONMENT
    if is_login_machine(ctx, production) or _keeps_alive(ctx, production):
        return MACHINE
    if is_application_image(ctx, production):
        return APPLICATION
    return BASE


def ships_an_application(ctx: Context) -> bool:
    return image_purpose(ctx) == APPLICATION
