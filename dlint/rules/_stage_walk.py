"""One walk through each stage, shared by the rules about copied files: the WORKDIR and ENV/ARG values in
force before each instruction (``stage_workdirs_and_envs``), every COPY/ADD parsed with what was known
before it (``copy_at``), and the directories known to exist at each instruction (``known_directory``)."""
from __future__ import annotations

import bisect
import posixpath

from ..shell import command_words
from ..syntax import Instruction
from ._build_paths import resolve, shell_word
from ._build_variables import VARIABLE_NAME, env_assignments, expand
from ._copy_entries import Copy, parse_copy
from ._path_names import STANDARD_DIRS

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

    from ..context import Context


class WorkdirAndEnv:
    """The WORKDIR and the ENV/ARG values in force at an instruction (``workdir``, ``env``)."""

    __slots__ = ("workdir", "env")

    def __init__(self, workdir: str, env: "EnvAt"):
        self.workdir = workdir
        self.env = env


_UNSET = object()


class _History:
    """Every value each variable takes during a stage walk, by step: one record per assignment, so a long
    stage costs memory linear in its ENV/ARG lines (a copy of the variables per instruction is quadratic)."""

    __slots__ = ("steps", "values")

    def __init__(self):
        self.steps: Dict[str, List[int]] = {}
        self.values: Dict[str, list] = {}

    def record(self, step: int, name: str, value) -> None:
        steps = self.steps.get(name)
        if steps is None:
            self.steps[name] = [step]
            self.values[name] = [value]
        elif steps[-1] == step:
            self.values[name][-1] = value
        else:
            steps.append(step)
            self.values[name].append(value)


class EnvAt:
    """The variables as they were at one step of a stage walk (read-only, like a dict)."""

    __slots__ = ("_history", "_step")

    def __init__(self, history: _History, step: int):
        self._history = history
        self._step = step

    def get(self, name: str, default=None):
        steps = self._history.steps.get(name)
        if steps is None:
            return default
        i = bisect.bisect_right(steps, self._step) - 1
        if i < 0:
            return default
        value = self._history.values[name][i]
        return default if value is _UNSET else value

    def __contains__(self, name: str) -> bool:
        return self.get(name, _UNSET) is not _UNSET

    def __getitem__(self, name: str) -> str:
        value = self.get(name, _UNSET)
        if value is _UNSET:
            raise KeyError(name)
        return value


def stage_workdirs_and_envs(ctx: Context, stage) -> Dict[int, WorkdirAndEnv]:
    """For each instruction of ``stage`` (by id), the WORKDIR and variables in force before it runs."""
    cache = ctx.memo("workdirs_and_envs")
    if stage.index in cache:
        return cache[stage.index][0]
    cache[stage.index] = ({}, f"/\x00workdir{stage.index}", {})  # guards a cycle of stage names
    parent = ctx.graph.bases[stage.index].parent_stage
    if parent is not None and parent != stage.index:
        stage_workdirs_and_envs(ctx, ctx.stages[parent])
        _, workdir, env = cache[parent]
        env = dict(env)
        for name, value in list(env.items()):
            if name.startswith("\x00arg:"):
                del env[name]  # ARGs end with their stage
                env.pop(name[5:], None)
    else:
        workdir, env = f"/\x00workdir{stage.index}", {}
    history = _History()
    for name, value in env.items():
        history.record(-1, name, value)

    def assign(step: int, name: str, value) -> None:
        if value is _UNSET:
            if env.pop(name, _UNSET) is not _UNSET:
                history.record(step, name, _UNSET)
        else:
            env[name] = value
            history.record(step, name, value)

    places: Dict[int, WorkdirAndEnv] = {}
    escape = ctx.doc.escape
    step = 0  # counts the ENV/ARG instructions walked: the variables change only there
    place = WorkdirAndEnv(workdir, EnvAt(history, step))
    for ins in stage.instructions:
        if place.workdir != workdir or place.env._step != step:
            place = WorkdirAndEnv(workdir, EnvAt(history, step))
        places[id(ins)] = place  # shared by the instructions between two changes
        if ins.name == "WORKDIR":
            value = expand(ins.args.strip().strip("\"'"), env) if "$" in ins.args else ins.args.strip().strip("\"'")
            if value is None:
                workdir = f"/\x00workdir{stage.index}:{ins.line}"
            elif value:
                workdir = posixpath.normpath(posixpath.join(workdir, value))
        elif ins.name in ("ENV", "ARG"):
            step += 1  # changes made here are recorded at the next step: not in force before it runs
            for name, raw in env_assignments(ins, escape):
                if not VARIABLE_NAME.fullmatch(name):
                    continue
                value = None if raw is None else (expand(raw, env) if "$" in raw else raw)
                if ins.name == "ARG" and raw is None:
                    raw = ctx.graph.args.get(name)  # the default declared before the first FROM
                    if raw is None:
                        assign(step, name, _UNSET)  # set by --build-arg or not at all: kept as ${NAME}
                        env["\x00arg:" + name] = ""
                        continue
                    value = raw
                assign(step, name, _UNSET if value is None or "${" in value else value)
                if ins.name == "ARG":
                    env["\x00arg:" + name] = ""
                else:
                    env.pop("\x00arg:" + name, None)
    cache[stage.index] = (places, workdir, env)
    return places


def copy_at(ctx: Context, ins: Instruction, place: WorkdirAndEnv) -> Optional[Copy]:
    """``parse_copy`` at the instruction's place, parsed once per file for every rule that asks."""
    cache = ctx.memo("parsed_copies")
    key = id(ins)
    if key not in cache:
        index = ctx.graph.stage_index(ins)
        if index is not None:
            _walk(ctx, index)  # parses every COPY/ADD of the stage, knowing the directories made before it
        if key not in cache:
            cache[key] = parse_copy(ins, place.workdir, place.env)
    return cache[key]


def known_directory(ctx: Context, ins: Instruction, path: str) -> bool:
    """Whether ``path`` exists as a directory before ``ins`` runs: a standard one, a WORKDIR, one an
    earlier COPY/ADD wrote into, or one an earlier RUN makes with ``mkdir``/``install -d`` (in this stage
    or a stage it builds on)."""
    if path in STANDARD_DIRS:
        return True
    index = ctx.graph.stage_index(ins)
    if index is None:
        return False
    made, positions = _walk(ctx, index)
    return made.get(path, len(positions) + 1) < positions.get(id(ins), -1)


def _walk(ctx: Context, index: int):
    """The directories known to exist in a stage (path -> position of the instruction after which they
    exist; -1: from the stage it builds on), and the position of each instruction; each COPY/ADD parsed
    on the way with what was known before it."""
    cache = ctx.memo("copies_walk")
    if index in cache:
        return cache[index]
    made: Dict[str, int] = {}
    positions: Dict[int, int] = {}
    cache[index] = (made, positions)  # guards a cycle of stage names
    parent = ctx.graph.bases[index].parent_stage
    if parent is not None and parent != index:
        made.update(dict.fromkeys(_walk(ctx, parent)[0], -1))
    stage = ctx.stages[index]
    places = stage_workdirs_and_envs(ctx, stage)
    parsed = ctx.memo("parsed_copies")  # shared with copy_at

    def add(path: str, k: int) -> None:
        while path not in made:
            made[path] = k
            if path == "/" or "/" not in path:
                break
            path = posixpath.dirname(path)

    for k, ins in enumerate(stage.instructions):
        positions[id(ins)] = k
        place = places[id(ins)]
        add(place.workdir, k - 1)  # the WORKDIR in force exists
        if ins.name in ("COPY", "ADD"):
            copy = parse_copy(ins, place.workdir, place.env, lambda p, k=k: made.get(p, k) < k)
            parsed[id(ins)] = copy
            for e in copy.entries if copy is not None else ():
                if e.kind != "file":
                    add(e.path, k)
                elif not e.into_unknown:
                    add(posixpath.dirname(e.path), k)
        elif ins.name == "RUN" and ("mkdir" in ins.logical or "install" in ins.logical):
            for path in _made_directories(ctx, ins, place):
                add(path, k)
    return made, positions


def _made_directories(ctx: Context, run: Instruction, place: WorkdirAndEnv) -> List[str]:
    """The directories a RUN makes with ``mkdir`` or ``install -d`` (paths it cannot resolve left out)."""
    script = ctx.script(run)
    if script is None or script.has_error:
        return []
    out: List[str] = []
    moved = False
    for cmd in script.commands:
        words = command_words(cmd)
        name = words[0].value if words else None
        if name in ("cd", "pushd"):
            moved = True
            continue
        if name == "mkdir":
            with_value = ("-m", "--mode", "-Z", "--context")
        elif name == "install" and any(w.value in ("-d", "--directory") for w in words[1:]):
            with_value = ("-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S")
        else:
            continue
        skip = False
        for w in words[1:]:
            v = w.value
            if skip:
                skip = False
                continue
            if v is not None and v.startswith("-") and len(v) > 1:
                skip = v in with_value
                continue
            parsed = shell_word(w.text)
            if parsed is None or parsed[1] or (moved and not parsed[0].startswith(("/", "$"))):
                continue
            text = parsed[0]
            if "{" in text:  # brace expansion: the directory above the first brace is made too
                text = posixpath.dirname(text.split("{", 1)[0] + "x")
                if not text:
                    continue
            ref = resolve(text, place.workdir, place.env)
            if ref is not None:
                out.append(ref.path)
    return out
