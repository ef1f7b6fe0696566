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

    enabled: Set[str] = field(default_factory=set)  # rule codes
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
    # The file's path inside its repository (``dlint.inputs.project_path``), worked out by the command layer:
    # what the path says about the image (``dlint.dockerfile_path``). None: the path as given.
    project_path: Optional[str] = None


def settings_for(path: str, config: Config, select=None, ignore=None, extend_select=None,
                 project_path: Optional[str] = None) -> Settings:
    from . import rules

    enabled = set(select if select is not None else (config.select if config.select is not None else rules.default_codes()))
    enabled |= set(config.extend_select) | set(extend_select or ())
    enabled -= set(config.ignore) | set(ignore or ()) | set(config.ignores_for(path))
    return Settings(enabled=enabled, severity=dict(config.severity), build_args=dict(config.build_args),
                    target=config.target, options={k: (list(v) if isinstance(v, list) else v)
                                                   for k, v in config.options.items()},
                    project_path=project_path)
