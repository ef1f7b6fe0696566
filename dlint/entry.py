"""The ``dlint`` command.

``dlint check FILE...`` with no options, what pre-commit hooks and editors run on every save, is handled
here without importing click, which alone takes longer to import than checking a typical file. Any other
command line, and any usage error, goes through the full command line in ``dlint.cli``.
"""
from __future__ import annotations

import gc
import sys


def main() -> None:
    # A run builds modules, rules and per-file syntax trees, all freed by reference counting (dlint keeps
    # no reference cycles); the cyclic collector would only rescan them, about a twentieth of the time of
    # a one-file check.
    gc.disable()
    args = sys.argv[1:]
    if args and args[0] == "check" and all(a and a[0] != "-" for a in args[1:]):
        from .commands import UsageProblem, check

        try:
            code = check(tuple(args[1:]))
        except UsageProblem:
            pass  # the full command line reports it, with the usage line
        except KeyboardInterrupt:
            sys.stderr.write("Aborted!\n")
            sys.exit(1)
        except BrokenPipeError:
            # The reader went away (``dlint check ... | head``): stop quietly, as click does.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        else:
            sys.exit(code)
    from .cli import main as cli_main

    cli_main(prog_name="dlint")


if __name__ == "__main__":  # pragma: no cover
    main()
