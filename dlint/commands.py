"""What ``dlint check`` and ``dlint fix`` do once their options are parsed.

Free of click: ``dlint check FILE...`` without options (the pre-commit and editor case) runs from
``dlint.entry`` without importing it, since importing click takes longer than checking a typical file.
Option parsing, help and usage errors stay in ``dlint.cli``.
"""
from __future__ import annotations

import os
import sys

from .config import Config, ConfigError, ConfigFinder
from .diagnostics import FileResult, severity_rank

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Sequence, Tuple


class UsageProblem(Exception):
    """A bad option value or config file: the command line reports it as a usage error (exit 2)."""


def _split(values: Tuple[str, ...]) -> Optional[List[str]]:
    if not values:
        return None
    return [v for item in values for v in item.split(",") if v.strip()]


def _build_args(values: Tuple[str, ...]) -> dict:
    out = {}
    for v in values:
        name, eq, value = v.partition("=")
        if not eq:
            value = os.environ.get(name, "")
        out[name] = value
    return out


class Run:
    """Options shared by check and fix, resolved once."""

    def __init__(self, config, select, ignore, extend_select, build_arg, target, stdin_filename):
        from . import rules

        try:
            self.finder = ConfigFinder(config)
            self.select = rules.expand(_split(select)) if select else None
            self.ignore = rules.expand(_split(ignore) or [])
            self.extend_select = rules.expand(_split(extend_select) or [])
        except (ConfigError, rules.UnknownRule) as exc:
            raise UsageProblem(str(exc)) from None
        self.build_args = _build_args(build_arg)
        self.target = target
        self.stdin_filename = stdin_filename

    def config_for(self, path: str) -> Config:
        return self.finder.for_path(path)

    def settings(self, path: str):
        from .runner import settings_for

        cfg = self.config_for(path)
        s = settings_for(path, cfg, self.select, self.ignore, self.extend_select)
        s.build_args.update(self.build_args)
        if self.target:
            s.target = self.target
        if path != (self.stdin_filename or "-") or os.path.isfile(path):
            from .runner import BuildContext

            s.context = BuildContext(os.path.dirname(os.path.abspath(path)))  # for byte estimates
        return s


def _iter_inputs(paths: Sequence[str], stdin_name: Optional[str]):
    from .runner import discover, read_path, read_stdin

    for p in discover(paths or (".",)):
        if p == "-":
            data, problem = read_stdin(stdin_name or "-")
            yield "-", data, problem
        else:
            data, problem = read_path(p)
            yield p, data, problem


def check_all(run: Run, paths, *, fix_mode: Optional[str] = None) -> List[FileResult]:
    """Check (``fix_mode`` None) or fix ("safe", "unsafe") every input; results in input order.

    Inputs are read and their settings resolved here; the checking itself goes to a process pool when
    there are many files (``dlint.parallel``), with the same results as one by one.
    """
    from .parallel import check_job, run_ordered

    results: List[Optional[FileResult]] = []
    jobs = []
    pending = []  # (index in results, read from stdin)
    for path, data, problem in _iter_inputs(paths, run.stdin_filename):
        from_stdin = path == "-"
        if from_stdin:
            path = run.stdin_filename or "-"
        if problem is not None:
            results.append(FileResult(path, problems=[problem]))
            continue
        try:
            settings = run.settings(path)
        except ConfigError as exc:
            raise UsageProblem(str(exc)) from None
        pending.append((len(results), from_stdin))
        results.append(None)
        jobs.append((path, data, settings, fix_mode))
    from .parallel import available_cores, worker_count

    if fix_mode is None and worker_count(len(jobs)) <= 1 and available_cores() > 1:
        for _, _, settings, _ in jobs:
            settings.spare_core = True  # checked here, one at a time: a long file may use another core
    from .progress import Progress

    progress = Progress(len(jobs), "fixed" if fix_mode else "checked")
    try:
        done = run_ordered(check_job, jobs, progress=progress if progress.active else None)
    finally:
        progress.close()
    for (index, from_stdin), result in zip(pending, done):
        result.from_stdin = from_stdin
        results[index] = result
    return results


def exit_code(results: List[FileResult], threshold: str, exit_zero: bool) -> int:
    if any(r.problems for r in results):
        return 2
    if exit_zero:
        return 0
    limit = severity_rank(threshold)
    if any(severity_rank(d.severity) >= limit for r in results for d in r.diagnostics):
        return 1
    return 0


def report_problems(results: List[FileResult]) -> None:
    for r in results:
        for p in r.problems:
            sys.stderr.write(p.render() + "\n")
    sys.stderr.flush()


def color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def write_output(text: str, output_file: Optional[str]) -> None:
    if output_file:
        with open(output_file, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def statistics(results: List[FileResult], fmt: str = "text") -> str:
    from .reporters.statistics import render

    return render(results, fmt)


def _bytes_key(d):
    return (d.estimated_bytes is None, -(d.estimated_bytes or 0))


def by_bytes(results: List[FileResult], per_finding: bool) -> List[FileResult]:
    """Findings ordered by the image bytes they waste, largest first, unknown last (stable otherwise).

    ``per_finding``: one result per finding, so that the order runs across files (for text and JSON);
    otherwise each file's findings are ordered within it (formats that group findings by file)."""
    if not per_finding:
        return [FileResult(r.path, sorted(r.diagnostics, key=_bytes_key), r.problems, r.source, r.fixed, r.from_stdin)
                for r in results]
    pairs = [(r, d) for r in results for d in r.diagnostics]
    pairs.sort(key=lambda rd: _bytes_key(rd[1]))
    return [FileResult(r.path, [d], [], r.source, r.fixed, r.from_stdin) for r, d in pairs]


def check(paths: Sequence[str] = (), *, config=None, select=(), extend_select=(), ignore=(), build_arg=(),
          target=None, stdin_filename=None, fmt="text", output_file=None, exit_zero=False,
          failure_threshold=None, show_statistics=False, show_fixes=False, quiet=False, sort="position") -> int:
    """``dlint check``: report on ``paths`` and return the exit code."""
    if show_statistics and fmt not in ("text", "json"):
        raise UsageProblem(f"--statistics prints text or json, not {fmt}")
    run = Run(config, select, ignore, extend_select, build_arg, target, stdin_filename)
    results = check_all(run, paths)
    try:
        threshold = failure_threshold or run.finder.for_path(paths[0] if paths else ".").failure_threshold
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None
    report_problems(results)
    if show_statistics:
        write_output(statistics(results, fmt), output_file)
    else:
        from .reporters import render

        shown = by_bytes(results, per_finding=fmt in ("text", "json")) if sort == "bytes" else results
        write_output(render(fmt, shown, color=color() and not output_file and fmt == "text",
                            show_fixes=show_fixes, quiet=quiet), output_file)
    return exit_code(results, threshold, exit_zero)
