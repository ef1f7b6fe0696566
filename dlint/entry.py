"""The ``dlint`` command.

``dlint check FILE...`` with no options, what pre-commit hooks and editors run on every save, is handled
here without importing click, which alone takes longer to import than checking a typical file. Any other
command line, and any usage error, goes through the full command line in ``dlint.cli``.
"""
from __future__ import annotations

import gc
import sys


def main() -> None:
    try:
        _stop_quietly_on_interrupt()
        _main()
    except KeyboardInterrupt:  # before the handler was in place
        interrupted()
    except Exception as exc:
        from .deps import missing_package, MissingDependency

        package = missing_package(exc)
        if package is None:
            raise
        sys.stderr.write(MissingDependency(package).message() + "\n")
        sys.exit(2)


def interrupted() -> None:
    """Ctrl-C: no traceback, exit status 130 (128 + SIGINT, as shells report a command Ctrl-C stopped).
    No file is left half-written: ``dlint.fixer`` holds the signal back during each write."""
    try:
        sys.stderr.write("Aborted!\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(130)


def _stop_quietly_on_interrupt() -> None:
    # Ctrl-C raises SystemExit instead of KeyboardInterrupt: it unwinds the same way (``finally`` blocks,
    # worker pools, temporary files), but nothing on the way, click included, turns it into a traceback or
    # another exit status; later Ctrl-Cs are ignored while it unwinds.
    import signal

    def on_interrupt(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        interrupted()

    try:
        signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread: Ctrl-C is not delivered here anyway
        pass


def _main() -> None:
    # A run builds modules, rules and per-file syntax trees, all freed by reference counting (dlint keeps
    # no reference cycles); the cyclic collector would only rescan them, about a twentieth of the time of
    # a one-file check.
    gc.disable()
    if sys.version_info >= (3, 11):
        # Calls between Python functions no longer use the C stack, so a deeper limit is safe; the shell
        # walk recurses once per ``&&`` of a chain, and merging a long file's RUNs makes long chains.
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    args = sys.argv[1:]
    if args and args[0] == "check" and all(a and a[0] != "-" for a in args[1:]):
        from .commands import UsageProblem, check

        try:
            code = check(tuple(args[1:]))
        except UsageProblem:
            pass  # the full command line reports it, with the usage line
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
