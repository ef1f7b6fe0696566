"""Data files shipped with dlint (dated JSON catalogues)."""
from __future__ import annotations

import json
import os


def load_json(name: str):
    """A data file of this package, read from disk directly (``importlib.resources`` costs more to import
    than reading the file; it is the fallback when dlint runs from a zip)."""
    try:
        with open(os.path.join(os.path.dirname(__file__), name), encoding="utf-8") as fh:
            return json.load(fh)
    except OSError:
        from importlib import resources

        return json.loads(resources.files(__name__).joinpath(name).read_text("utf-8"))
