"""``dlint server``: the Language Server Protocol over stdio, for editors.

Built on pygls and lsprotocol, the optional extra ``dlint[lsp]``; without them ``dlint server`` says how
to install them and exits 2. The protocol side is ``dlint.server.lsp``; positions and small text edits are
``dlint.server.text``; checking and fixing are dlint's own (``dlint.runner``, ``dlint.fixer``).
"""
from __future__ import annotations

import sys

INSTALL_HINT = "dlint server needs the language server extra: pip install 'dlint[lsp]'"
_PROTOCOL_PACKAGES = ("pygls", "lsprotocol", "cattrs", "attrs", "attr")


def run() -> int:
    """Serve over stdin and stdout until the editor says exit; the exit status."""
    try:
        from .lsp import serve
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in _PROTOCOL_PACKAGES:
            raise
        sys.stderr.write(INSTALL_HINT + "\n")
        return 2
    return serve()
