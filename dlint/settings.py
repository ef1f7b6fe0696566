"""What checking a file needs from the config and the command line, resolved once per file."""
from __future__ import annotations

from ._dataclass import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Optional, Set

    from .config import Config


@dataclass
class Settings:
    """What a check run needs from config and command line."""

    # rule codes, and codes of single findings of a rule that reports several (``SC2086``): such a rule runs
    # when its code or one of its finding codes is here, and keeps the findings this selects
    enabled: Set[str] = field(default_factory=set)
    # codes of findings dropped although their rule runs: a finding's own code (``SC2086``) or its hadolint
    # code (``DL3042``: L004's pip case; ``DL3009``: L001's apt case, not its apk one)
    ignored: Set[str] = field(default_factory=set)
    severity: Dict[str, str] = field(default_factory=dict)  # code -> severity override
    build_args: Dict[str, str] = field(default_factory=dict)
    target: Optional[str] = None
    options: Dict[str, object] = field(default_factory=dict)  # rule option (``[tool.dlint]`` name) -> value
    # A core is free for this file (it is checked alone, not on a pool): a very long file may share its
    # rules with a forked helper process (see ``check_rules``).
    spare_core: bool = False
    # The build context (``dlint.build_context.BuildContext``: names, sizes, ignore file, manifests), read by
    # the command layer; None (standard input, no listable directory): the context rules are silent and the
    # sizes of copied files unknown.
    context: Optional[object] = None
    disable_ignore_pragma: bool = False  # ignore comments are not honoured
    # Fixes may edit files of the build context beside the Dockerfile (its ignore file): only for a
    # Dockerfile read from a file, never for standard input, whose fixed text goes to standard output.
    context_fixes: bool = False
    # How fixes keep package caches out of layers: "clean" (delete them in the RUN) or "mount" (a BuildKit
    # cache mount on them): ``cache-strategy`` in the config, ``--cache-strategy`` on the command line.
    cache_strategy: str = "clean"
    # The file's path inside its repository (``dlint.inputs.project_path``), worked out by the command layer:
    # what the path says about the image (``dlint.dockerfile_path``). None: the path as given.
    project_path: Optional[str] = None


def settings_for(path: str, config: Config, select=None, ignore=None, extend_select=None,
                 project_path: Optional[str] = None) -> Settings:
    from . import rules

    enabled = set(select if select is not None else (config.select if config.select is not None else rules.default_codes()))
    enabled |= set(config.extend_select) | set(extend_select or ())
    ignoring = set(config.ignore) | set(ignore or ()) | set(config.ignores_for(path))
    enabled -= ignoring
    # a finding code goes with its rule: ``--ignore SC`` drops ``--select SC2086`` too
    enabled = {c for c in enabled if c in rules.BY_CODE or getattr(rules.owner(c), "code", None) not in ignoring}
    # finding codes (``SC2086``) and hadolint codes (``rules.expand(partial=True)``): the findings that carry
    # one are dropped, the rule runs for its others (L001's apk findings when DL3009, its apt case, is ignored)
    ignored = {c for c in ignoring if c not in rules.BY_CODE}
    return Settings(enabled=enabled, ignored=ignored, severity=dict(config.severity),
                    build_args=dict(config.build_args), target=config.target,
                    options={k: _copy(v) for k, v in config.options.items()},
                    disable_ignore_pragma=config.disable_ignore_pragma,
                    cache_strategy=config.cache_strategy, project_path=project_path)


def _copy(value):
    """A rule option's value, copied so that no rule changes the config's."""
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value
