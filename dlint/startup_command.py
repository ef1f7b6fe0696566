"""The command an image starts: the ENTRYPOINT and CMD in force for a stage, the programs they run
(init and user-switch wrappers left out), and what they need at run time (a shell, the ``java`` binary)."""
from __future__ import annotations

from ._regex import lazy_compile
from .shell import program_name
from .syntax import Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

    from .context import Context


SHELL_NAMES = lazy_compile(r"(sh|bash|ash|dash|zsh|ksh)\Z")
_SHELL_FEATURES = lazy_compile(r"[$`|&;<>(){}*?~\\'\"]|\[")


# Programs that run the command after them. ``dlint.shell.WRAPPERS`` is the table for RUN commands (with the
# options of each that take a value); a start command also has container init and user-switch programs.
INIT_WRAPPERS = ("tini", "tini-static", "dumb-init", "catatonit", "s6-svscan", "gosu", "su-exec", "chpst", "env")
# Wrappers of any command (each one of ``dlint.shell.WRAPPERS``).
COMMON_WRAPPERS = ("exec", "env", "nohup", "sudo", "time", "nice")
# What ``command_names`` looks through in a start command's script (options skipped, not assignments).
NAMED_COMMAND_WRAPPERS = ("exec", "env", "nohup", "tini", "dumb-init", "gosu", "su-exec", "--", "sudo", "chpst")


def unwrapped_argv(argv: List[str], wrappers=INIT_WRAPPERS) -> List[str]:
    """The argv after ``wrappers`` (init wrappers unless told) and their options: ``tini -- app`` is ``app``."""
    words = list(argv)
    while words and program_name(words[0]) in wrappers:
        words = words[1:]
        while words and (words[0].startswith("-") or "=" in words[0]):
            words = words[1:]
    return words


def instruction_argv(ins: Instruction) -> List[str]:
    """The words of an ENTRYPOINT or CMD: its JSON array, or its shell form split on blanks."""
    if ins.json is not None:
        return list(ins.json)
    return ins.command.split()


def runtime_argv(ctx: Context, stage_index: int) -> Tuple[Optional[Instruction], Optional[Instruction]]:
    """The ENTRYPOINT and CMD in force for a stage (searched along its FROM chain)."""
    entry = cmd = None
    for idx in ctx.graph.chain(stage_index):
        st = ctx.graph.stages[idx]
        for ins in reversed(st.instructions):
            if ins.name == "ENTRYPOINT" and entry is None:
                entry = ins
            if ins.name == "CMD" and cmd is None:
                cmd = ins
        if entry is not None and cmd is not None:
            break
    return entry, cmd


def command_names(ctx: Context, ins: Instruction) -> List[str]:
    """Basenames of the commands an ENTRYPOINT/CMD runs, in order."""
    script = ctx.script(ins)
    if script is None:
        return []
    names = []
    for c in script.commands:
        words = [w.value for w in c.words]
        while words and program_name(words[0]) in NAMED_COMMAND_WRAPPERS:
            words = words[1:]
            while words and words[0] and words[0].startswith("-"):
                words = words[1:]
        if words and words[0]:
            names.append(program_name(words[0]))
            if program_name(words[0]) in ("python", "python3") and len(words) > 2 and words[1] == "-m":
                names.append(program_name(words[2]))
            # Runners that start another program: `bundle exec jekyll`, `poetry run pytest`, `npx tsc`.
            runner = _RUNNERS.get(program_name(words[0]))
            if runner is not None and len(words) > runner and words[runner]:
                names.append(program_name(words[runner]))
    return names


_RUNNERS = {"npx": 1, "bunx": 1, "pnpx": 1}
_RUNNERS.update({k: 2 for k in ("bundle", "poetry", "pipenv", "uv", "pdm", "hatch", "rye", "conda", "mamba")})


def shell_c_names(argv: List[str]) -> List[str]:
    """The first command of ``sh -c "..."`` in an exec-form argv."""
    if len(argv) > 2 and SHELL_NAMES.match(program_name(argv[0])) and argv[1] in ("-c", "-lc", "-ec", "-xc"):
        words = argv[2].split()
        return [program_name(words[0])] if words else []
    return []


SYSTEM_COMMANDS = lazy_compile(
    r"(sshd|dropbear|ansible|ansible-playbook|ansible-pull|supervisord|systemd|init|my_init|runsvdir|cron|crond|"
    r"xvfb-run|xvfb|vncserver|tigervncserver|x11vnc|startxfce4|startlxde|startkde|xrdp|websockify|novnc_proxy|"
    r"sleep|tail|jupyter|jupyter-lab|jupyter-notebook|ipython|ipython3|code-server|rstudio-server)\Z")


BUILDERS = lazy_compile(r"(make|gmake|cmake|ninja|meson|rpmbuild|dpkg-buildpackage|debuild|mock|mvn|mvnw|gradle|gradlew|"
                       r"bazel|bazelisk|scons|autoreconf|configure|build\.sh|build|gcc|g\+\+|cc|c\+\+|clang|clang\+\+|"
                       r"go|cargo|rustc|rustup|javac|pytest|py\.test|tox|nox|jest|mocha|phpunit|rspec|hugo|jekyll|mkdocs|"
                       r"sphinx-build|sphinx-autobuild|goreleaser|pyinstaller|xargo|cross|nodemon|tsc|webpack|vite|esbuild|rollup)\Z")


def runtime_needs_shell(ctx: Context, production: int) -> Optional[Instruction]:
    """The ENTRYPOINT/CMD that relies on a shell at run time (a shell script, by extension or by the
    ``*entrypoint*`` naming convention, ``sh -c``, or shell form with shell syntax), if any: an image that
    runs its shell does use it."""
    entry, cmd = runtime_argv(ctx, production)
    for ins in (entry, cmd):
        if ins is None:
            continue
        if ins.json is None:
            if _SHELL_FEATURES.search(ins.command):
                return ins
            argv = ins.command.split()
        else:
            argv = list(ins.json)
        argv = unwrapped_argv(argv)
        if not argv:
            continue
        name = program_name(argv[0])
        if SHELL_NAMES.match(name) or name.endswith((".sh", ".bash")) or "entrypoint" in name:
            return ins
        if ins is entry:
            break  # CMD only supplies arguments to a program
    return None


def runs_java_directly(ctx: Context, production: int) -> bool:
    """Whether the image starts the ``java`` binary itself in exec form (``["java", "-jar", "app.jar"]``),
    the only command distroless java can run: it has no shell for a start script or a launcher."""
    entry, cmd = runtime_argv(ctx, production)
    ins = entry if entry is not None else cmd
    if ins is None:
        return False
    if ins.json is None:
        return False
    argv = unwrapped_argv(list(ins.json))
    if not argv and entry is not None and cmd is not None and cmd.json is not None:
        argv = unwrapped_argv(list(cmd.json))
    return bool(argv) and program_name(argv[0]) == "java"
