"""A Python package dlint needs that is missing: one line naming it and how to install it, not a bug report."""
from __future__ import annotations

import sys

# import name -> distribution name, as in pyproject.toml's dependencies
DEPENDENCIES = {"click": "click", "tree_sitter": "tree-sitter", "tree_sitter_bash": "tree-sitter-bash",
                "tomli": "tomli"}


class MissingDependency(Exception):
    """Raised instead of an internal error when a dependency cannot be imported."""

    def __init__(self, package: str):
        super().__init__(package)
        self.package = package

    def message(self) -> str:
        return (f"dlint: error: the Python package {self.package} is missing (or does not import) in "
                f"{sys.executable}: install dlint with its dependencies (`pip install dlint`) or the package "
                f"alone (`pip install {self.package}`)")


def missing_package(exc: BaseException):
    """The distribution to install when ``exc`` is a failed import of one of dlint's dependencies."""
    if isinstance(exc, MissingDependency):
        return exc.package
    if isinstance(exc, ImportError):
        root = (exc.name or "").split(".")[0]
        return DEPENDENCIES.get(root)
    return None
