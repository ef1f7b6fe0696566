"""What checking a file needs from the config and the command line, resolved once per file."""
from __future__ import annotations

from ._records import dataclass, field

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
    ignored: Set[str] = field(default_factory=set)  # finding codes ignored although their rule runs (``SC2086``)
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


def settings_for(path: str, config: Config, select=None, ignore=None, extend_select=None) -> Settings:
    from . import rules

    enabled = set(select if select is not None else (config.select if config.select is not None else rules.default_codes()))
    enabled |= set(config.extend_select) | set(extend_select or ())
    ignoring = set(config.ignore) | set(ignore or ()) | set(config.ignores_for(path))
    enabled -= ignoring
    # a finding code goes with its rule: ``--ignore SC`` drops ``--select SC2086`` too
    enabled = {c for c in enabled if c in rules.BY_CODE or getattr(rules.owner(c), "code", None) not in ignoring}
    ignored = {c for c in ignoring if c not in rules.BY_CODE}
    return Settings(enabled=enabled, ignored=ignored, severity=dict(config.severity), build_args=dict(config.build_args),
                    target=config.target, options={k: (list(v) if isinstance(v, list) else v)
                                                   for k, v in config.options.items()})
