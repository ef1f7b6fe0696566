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
        from .deps import MissingDependency, missing_package

        package = missing_package(exc)  # first: reading the error below may import what is missing
        if package is not None:
            sys.stderr.write(MissingDependency(package).message() + "\n")
            sys.exit(2)
        from .commands import CommandError

        if not isinstance(exc, CommandError):
            raise
        fail(str(exc))


def fail(message: str) -> None:
    """One line on stderr, exit code 2; output not yet written to a failing stdout is dropped."""
    import os

    try:
        sys.stderr.write(f"dlint: error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    try:  # what is left in stdout's buffer would fail again when Python flushes it at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
    sys.exit(2)


def _occupy_closed_standard_streams() -> None:
    """A standard stream closed by the caller (``dlint check >&-``): /dev/null takes its descriptor, so
    that no file dlint opens gets it (and with it what is written there); ``sys.stdin``/``sys.stdout``
    stay None, which tells dlint the stream is closed; a closed stderr just swallows messages."""
    import os

    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
            except OSError:
                pass
    if sys.stderr is None:  # messages then go nowhere, as the caller chose; the run itself goes on
        sys.stderr = open(os.devnull, "w")


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
    _occupy_closed_standard_streams()
    args = sys.argv[1:]
    if sys.stdout is None and not _report_to_file(args):
        from .commands import CommandError

        raise CommandError("standard output is closed: nowhere to write the report")
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


def _report_to_file(args) -> bool:
    """``dlint check ... -o FILE``: the one command line that does not write to standard output."""
    return bool(args) and args[0] == "check" and any(
        a in ("-o", "--output-file") or a.startswith(("--output-file=", "-o")) for a in args[1:])


if __name__ == "__main__":  # pragma: no cover
    main()
