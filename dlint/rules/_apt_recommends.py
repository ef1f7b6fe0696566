"""What apt-no-install-recommends (L005) and apt-no-install-recommends-anywhere (L010) report: apt installs
without --no-install-recommends."""
from __future__ import annotations


import re
from functools import lru_cache

from .. import purpose
from ..diagnostics import Fix
from . import _run_commands as rc

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Optional


_TOOLS = ("apt-get", "apt")
_OFF = r"(?:0|false|no|off|without|disable)"
# apt configuration written by a RUN (echo/printf/tee/heredoc into /etc/apt/apt.conf[.d]).
_CONFIG_OFF = re.compile(rf"""(?i)APT::Install-Recommends\W{{0,4}}{_OFF}\b|Install-Recommends\s+"?{_OFF}"?\s*;""")
_APT_CONF = re.compile(r"/etc/apt/apt\.conf")


_SIMULATE = ("--simulate", "--just-print", "--dry-run", "--recon", "--no-act")


def _simulated(call) -> bool:
    """``apt-get install -s`` only prints what it would do."""
    from ..packages import catalogue

    with_value = set(catalogue()["apt"].options_with_value)
    opts = call.options
    i = 0
    while i < len(opts):
        opt = opts[i]
        if opt in with_value:
            i += 2  # the option and its value
            continue
        if opt in _SIMULATE or (opt.startswith("-") and not opt.startswith("--") and opt[:2] not in with_value
                                and "s" in opt[1:]):
            return True
        i += 1
    return False


def _config_value(opts, i: int) -> Optional[str]:
    """The ``name=value`` an ``-o``/``--option`` at ``opts[i]`` sets (None when it is another option)."""
    opt = opts[i]
    if opt in ("-o", "--option") and i + 1 < len(opts):
        return opts[i + 1]
    if opt.startswith("-o") and not opt.startswith("--"):
        return opt[2:]
    if opt.startswith("--option="):
        return opt[len("--option="):]
    return None


def _option_explicit(call) -> bool:
    """Whether the install says what it wants about recommends (``--install-recommends``, ``-o
    APT::Install-Recommends=...``): an explicit choice is not second-guessed, nor given a contradicting flag."""
    opts = call.options
    for i, opt in enumerate(opts):
        if opt == "--install-recommends" or opt.startswith("--install-recommends="):
            return True
        value = _config_value(opts, i)
        if value and re.match(r"(?i)APT::Install-Recommends=", value):
            return True
    return False


def _option_off(call) -> bool:
    opts = call.options
    for i, opt in enumerate(opts):
        if opt == "--no-install-recommends":
            return True
        m = re.match(r"--install-recommends=(.*)\Z", opt)
        if m and re.fullmatch(_OFF, m.group(1), re.I):
            return True
        value = _config_value(opts, i)
        if value and re.fullmatch(rf"(?i)APT::Install-Recommends={_OFF}", value):
            return True
    return False


def _configures(ctx, ins) -> bool:
    """Whether ``ins`` may turn recommends off for later installs: an apt configuration file written by a
    RUN, copied in (its content is not known), or an ENV/ARG carrying the option for a variable."""
    if ins.name == "RUN":
        text = ctx.doc.text
        return bool(_APT_CONF.search(text, ins.start, ins.end) and _CONFIG_OFF.search(text, ins.start, ins.end))
    if ins.name in ("COPY", "ADD"):
        words = ins.words()
        return bool(words) and words[-1].strip("\"'").startswith("/etc/apt")
    return False


def _mentions_option(ctx, ins) -> bool:
    return ins.name in ("ENV", "ARG") and "install-recommends" in ins.args.lower()


def _install_word(call):
    """The word of the ``install`` subcommand (None when the subcommand is not a literal ``install``)."""
    words = call.command.words
    start = next((i for i, w in enumerate(words) if w.value is not None and w.value == call.tool), None)
    if start is None:
        return None
    from ..packages import catalogue

    word = rc.subcommand_word(words[start:], catalogue()["apt"].options_with_value)
    return word if word is not None and word.value == "install" else None


def _state_before(ctx, stage, memo):
    """(configured, variable option) after the stages ``stage`` builds on; ``memo`` keeps the answer after
    each stage, so that a chain of stages is walked once."""
    graph = ctx.graph
    ancestors = graph.chain(stage.index)[1:]  # nearest first
    state, known = (False, False), len(ancestors)
    for j, idx in enumerate(ancestors):
        if idx in memo:
            state, known = memo[idx], j
            break
    for idx in reversed(ancestors[:known]):
        configured, variable_option = state
        for ins in graph.stages[idx].instructions:
            configured = configured or _configures(ctx, ins)
            variable_option = variable_option or _mentions_option(ctx, ins)
        state = memo[idx] = (configured, variable_option)
    return state



def image_shipped(ctx) -> bool:
    """Whether the image is one that ships (an application, or a runtime meant to be extended)."""
    return purpose.image_purpose(ctx) in (purpose.APPLICATION, purpose.BASE)


# Which installs ``findings`` reports by what they install: those that may bring recommends (this rule),
# those known to bring none today (a flag that changes nothing yet), or both.
MAY_BRING, BRING_NONE, EITHER = "may bring recommends", "bring none", "either"


def findings(ctx, shipped: bool, installs: str = MAY_BRING):
    """The installs in the stages that ship (``shipped``), or in the other stages; ``installs``: which."""
    memo: dict = {}
    for stage in ctx.stages:
        if ctx.is_shipping(stage) != shipped:
            continue
        configured, variable_option = _state_before(ctx, stage, memo)
        for ins in stage.instructions:
            if ins.name == "RUN" and not configured:
                yield from _check_run(ctx, stage, ins, variable_option, _config_offset(ctx, ins), installs)
            configured = configured or _configures(ctx, ins)
            variable_option = variable_option or _mentions_option(ctx, ins)


def _config_offset(ctx, run) -> Optional[int]:
    """File offset where a RUN writes the apt configuration (commands after it already see it)."""
    if not _configures(ctx, run):
        return None
    m = _CONFIG_OFF.search(ctx.doc.text, run.start, run.end)
    return m.start() if m else None


def _package_words(call):
    """The package words of an apt call as written (``$DEPS`` stays ``$DEPS``), after its subcommand."""
    words = call.command.words
    texts = [w.text for w in words]
    try:
        sub = texts.index(call.subcommand, 1)
    except ValueError:
        return []
    return [t for t in texts[sub + 1:] if not t.startswith("-")]


@lru_cache(maxsize=1)
def _no_recommends():
    """Packages known to have no recommends in their dependency closure (read once)."""
    from ..data import load_json

    return frozenset(load_json("apt_recommends.json")["no_recommends"])


def _package_name(word: str) -> str:
    """``tzdata=2024a-0+deb12u1`` -> ``tzdata``; ``gosu:amd64`` -> ``gosu``."""
    return re.split(r"[=:]", word.lower(), maxsplit=1)[0]


def _may_bring_recommends(words) -> bool:
    """Whether any of these package words may install recommended packages: every word but a package known
    to have none in its dependency closure (``apt_recommends.json``); a variable may name anything."""
    quiet = _no_recommends()
    return any("$" in w or _package_name(w) not in quiet for w in words)


def _marked_auto(script):
    """Package words given to ``apt-mark auto`` in a RUN: ``purge --auto-remove`` or ``autoremove`` then
    removes them with their own automatic packages."""
    marked = set()
    for c in (script.commands if script is not None else ()):
        words = [w.text for w in c.words]
        if len(words) > 2 and words[0].rsplit("/", 1)[-1] == "apt-mark" and words[1] == "auto":
            marked.update(w for w in words[2:] if not w.startswith("-"))
    return marked


def _kept_after_purge(calls, install, marked=frozenset()):
    """The package words of ``install`` that stay after the same RUN removes packages again together with
    what apt installed automatically for them (``purge --auto-remove``, ``remove --purge`` then
    ``autoremove``, ``apt-mark auto`` then ``purge --auto-remove``): the recommends of the removed ones are
    automatic packages and go with them. None when nothing is autoremoved later (everything stays)."""
    wanted = _package_words(install)
    if not wanted:
        return None
    removed, autoremove = set(), False
    after = False
    for call in calls:
        if call is install:
            after = True
            continue
        if not after:
            continue
        if call.manager != "apt" or call.kind != "remove":
            continue
        if call.subcommand == "autoremove" or call.has_option("--auto-remove", "--autoremove"):
            autoremove = True
        removed.update(_package_words(call))
    if not autoremove:
        return None
    return [w for w in wanted if w not in removed and w not in marked]


def _check_run(ctx, stage, run, variable_option: bool, config_at: Optional[int], installs: str):
    if "apt" not in ctx.doc.text[run.start:run.end]:
        return
    script = ctx.script(run)
    if script is None or script.has_error or not ctx.posix_shell(stage, run):
        return
    calls = ctx.calls(run)
    for call in calls:
        if call.manager != "apt" or call.tool.rsplit("/", 1)[-1] not in _TOOLS or call.subcommand != "install":
            continue
        if _option_off(call) or _option_explicit(call) or _simulated(call):
            continue
        kept = _kept_after_purge(calls, call, _marked_auto(script))
        # what stays may bring no recommends: purged with its automatic packages, or known to have none
        brings = _may_bring_recommends(_package_words(call) if kept is None else kept)
        if installs != EITHER and brings != (installs == MAY_BRING):
            continue
        if variable_option and any(w.value is None for w in call.command.words):
            continue  # the option may come from a variable
        cmd = call.command
        if config_at is not None and script.file_offset(cmd.start) > config_at:
            continue
        word = _install_word(call)
        edit = rc.insert_after(ctx, script, word, "--no-install-recommends") if word is not None else None
        fix = Fix("Add --no-install-recommends", "unsafe", [edit]) if edit is not None else None
        tool = call.tool.rsplit("/", 1)[-1]
        line, col = ctx.doc.line_col(script.file_offset(cmd.start))
        # Reported on the RUN (as hadolint's DL3015), the message naming where the command is.
        if brings:
            msg = (f"`{tool} install` (line {line}, column {col}) without --no-install-recommends also installs the "
                   "recommended packages, often many megabytes the image does not need; add "
                   "--no-install-recommends and name what is really needed")
        else:
            msg = (f"`{tool} install` (line {line}, column {col}) without --no-install-recommends: what it installs "
                   "has no recommended packages today (or they are purged in this RUN), but a new release may add "
                   "some; --no-install-recommends keeps the install to what is named")
        yield ctx.at_instruction(run, msg, fix)
