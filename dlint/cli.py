"""Command line: ``dlint check``, ``dlint fix``, ``dlint rules``, ``dlint rule``, ``dlint layers``."""
from __future__ import annotations

import os
import sys
from typing import List, Optional, Tuple

import click

from . import __version__
from .config import Config, ConfigError, ConfigFinder
from .diagnostics import SEVERITIES, FileResult, InputProblem, severity_rank


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
            raise click.UsageError(str(exc)) from None
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
        return s


def _common(f):
    options = [
        click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: nearest .dlint.toml or pyproject.toml)."),
        click.option("--select", multiple=True, help="Only these rules (codes, names or prefixes; comma separated)."),
        click.option("--extend-select", multiple=True, help="Enable these rules in addition (e.g. opt-in rules)."),
        click.option("--ignore", multiple=True, help="Disable these rules."),
        click.option("--build-arg", multiple=True, metavar="NAME=VALUE", help="Value for an ARG used in FROM."),
        click.option("--target", help="The stage that ships (default: the last stage)."),
        click.option("--stdin-filename", default=None, help="Name to report for input read from `-`."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dlint")
def main() -> None:
    """dlint: a linter and autofixer for Dockerfiles that makes images smaller and builds faster."""


def _iter_inputs(paths: Tuple[str, ...], stdin_name: Optional[str]):
    from .runner import discover, read_path

    for p in discover(paths or (".",)):
        if p == "-":
            data = sys.stdin.buffer.read()
            yield "-", data, None
        else:
            data, problem = read_path(p)
            yield p, data, problem


def _check_all(run: Run, paths, *, fix_mode: Optional[str] = None) -> List[FileResult]:
    from .runner import check_source

    results: List[FileResult] = []
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
            raise click.UsageError(str(exc)) from None
        if fix_mode is None:
            result = check_source(path, data, settings)
        else:
            from .fixer import fix_source

            result = fix_source(path, data, settings, unsafe=(fix_mode == "unsafe"))
        result.from_stdin = from_stdin
        results.append(result)
    return results


def _exit_code(results: List[FileResult], threshold: str, exit_zero: bool) -> int:
    if any(r.problems for r in results):
        return 2
    if exit_zero:
        return 0
    limit = severity_rank(threshold)
    if any(severity_rank(d.severity) >= limit for r in results for d in r.diagnostics):
        return 1
    return 0


def _report_problems(results: List[FileResult]) -> None:
    for r in results:
        for p in r.problems:
            click.echo(p.render(), err=True)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _write_output(text: str, output_file: Optional[str]) -> None:
    if output_file:
        with open(output_file, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def _statistics(results: List[FileResult]) -> str:
    from collections import Counter

    counts = Counter((d.code, d.name) for r in results for d in r.diagnostics)
    fixable = Counter(d.code for r in results for d in r.diagnostics if d.fix is not None)
    lines = [f"{n:>6}  {code:<6} {name}{'  (fixable: %d)' % fixable[code] if fixable[code] else ''}"
             for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines) + ("\n" if lines else "")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_common
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github", "checkstyle", "gitlab", "junit"]),
              default="text", show_default=True)
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--failure-threshold", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 (default from config, else style).")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each finding.")
@click.option("--show-fixes", is_flag=True, help="Show the edits of available fixes.")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines, no source excerpt.")
def check(paths, config, select, extend_select, ignore, build_arg, target, stdin_filename, fmt, output_file,
          exit_zero, failure_threshold, statistics, show_fixes, quiet):
    """Check Dockerfiles (files, directories, or - for stdin)."""
    run = Run(config, select, ignore, extend_select, build_arg, target, stdin_filename)
    results = _check_all(run, paths)
    _report_problems(results)
    if statistics:
        _write_output(_statistics(results), output_file)
    else:
        from .reporters import render

        _write_output(render(fmt, results, color=_color() and not output_file and fmt == "text",
                             show_fixes=show_fixes, quiet=quiet), output_file)
    threshold = failure_threshold or run.finder.for_path(paths[0] if paths else ".").failure_threshold
    sys.exit(_exit_code(results, threshold, exit_zero))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@_common
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--diff", is_flag=True, help="Print a unified diff instead of writing; exit 1 if anything would change.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print the findings that remain.")
def fix(paths, config, select, extend_select, ignore, build_arg, target, stdin_filename, unsafe_fixes, diff, quiet):
    """Apply fixes in place (safe ones; unsafe ones too with --unsafe-fixes)."""
    from .fixer import write_results

    run = Run(config, select, ignore, extend_select, build_arg, target, stdin_filename)
    results = _check_all(run, paths, fix_mode="unsafe" if unsafe_fixes else "safe")
    code = write_results(results, diff=diff, stdin=("-" in paths), quiet=quiet, color=_color())
    sys.exit(code)


@main.command("rules")
def rules_cmd():
    """List the rules."""
    from .rules import ALL_RULES

    rows = [("CODE", "NAME", "SEVERITY", "FIXABLE", "DEFAULT", "HADOLINT")]
    for r in ALL_RULES:
        rows.append((r.CODE, r.NAME, r.SEVERITY, getattr(r, "FIX", "no"),
                     "on" if getattr(r, "DEFAULT_ENABLED", True) else "off", ",".join(getattr(r, "HADOLINT", ())) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


@main.command("rule")
@click.argument("code")
def rule_cmd(code):
    """Show the documentation of a rule (by code or name)."""
    from . import docs, rules

    try:
        rule = rules.lookup(code)
    except rules.UnknownRule as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(docs.page(rule), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
