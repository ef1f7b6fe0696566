"""Command line: ``dlint check``, ``dlint fix``, ``dlint rules``, ``dlint rule``, ``dlint config``, ``dlint layers``,
``dlint server``."""
from __future__ import annotations

import sys

import click

from . import __version__
from .commands import Invocation, UsageProblem, check_all as _check_all, color as _color
from .diagnostics import SEVERITIES
from .reporters import FORMATS


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: reported per file
@_common
@click.option("--context", "build_context", type=click.Path(file_okay=False), default=None,
              help="The build context directory (default: the Dockerfile's directory).")
@click.option("--cache-strategy", type=click.Choice(["clean", "mount"]), default=None,
              help="How fixes keep package caches out of layers: delete them (clean) or give the RUN a BuildKit cache "
                   "mount (mount). Default from config, else clean.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              default="text", show_default=True)
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--failure-threshold", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity that makes the exit code 1 (default from config, else style).")
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of each finding (text or json).")
@click.option("--show-fixes", is_flag=True, help="Show the lines each available fix would change.")
@click.option("--quiet", "-q", is_flag=True, help="Only the finding lines: no source excerpt, no summary.")
@click.option("--sort", "sort", type=click.Choice(["position", "bytes"]), default="position", show_default=True,
              help="Order of the findings: by file and position, or by the image bytes they waste (largest first).")
def check(paths, config, select, extend_select, ignore, build_arg, target, stdin_filename, build_context,
          cache_strategy, fmt, output_file, exit_zero, failure_threshold, statistics, show_fixes, quiet, sort):
    """Check Dockerfiles (files, directories, or - for stdin)."""
    from . import commands

    try:
        code = commands.check(paths, config=config, select=select, extend_select=extend_select, ignore=ignore,
                              build_arg=build_arg, target=target, stdin_filename=stdin_filename, fmt=fmt,
                              output_file=output_file, exit_zero=exit_zero, failure_threshold=failure_threshold,
                              show_statistics=statistics, show_fixes=show_fixes, quiet=quiet, sort=sort,
                              context=build_context, cache_strategy=cache_strategy)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(code)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: reported per file
@_common
@click.option("--context", "build_context", type=click.Path(file_okay=False), default=None,
              help="The build context directory (default: the Dockerfile's directory).")
@click.option("--cache-strategy", type=click.Choice(["clean", "mount"]), default=None,
              help="How fixes keep package caches out of layers: delete them (clean) or give the RUN a BuildKit cache "
                   "mount (mount). Default from config, else clean.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes marked unsafe.")
@click.option("--diff", is_flag=True, help="Print a unified diff instead of writing; exit 1 if anything would change.")
@click.option("--failure-threshold", type=click.Choice(SEVERITIES), default=None,
              help="Lowest severity of a remaining finding that makes the exit code 1 (default from config, else style).")
@click.option("--quiet", "-q", is_flag=True, help="One line per finding that remains: no source excerpt, no summary.")
def fix(paths, config, select, extend_select, ignore, build_arg, target, stdin_filename, build_context,
        cache_strategy, unsafe_fixes, diff, failure_threshold, quiet):
    """Apply fixes in place (safe ones; unsafe ones too with --unsafe-fixes)."""
    from .config import ConfigError
    from .commands import write_fixes

    try:
        invocation = Invocation(config, select, ignore, extend_select, build_arg, target, stdin_filename, build_context,
                                cache_strategy)
        results = _check_all(invocation, paths, fix_mode="unsafe" if unsafe_fixes else "safe")
        threshold = failure_threshold or invocation.finder.for_path(paths[0] if paths else ".").failure_threshold
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    code = write_fixes(results, diff=diff, stdin=("-" in paths), quiet=quiet, color=_color(), threshold=threshold)
    sys.exit(code)


@main.command("rules")
def rules_cmd():
    """List the rules."""
    from .rules import ALL_RULES

    rows = [("CODE", "NAME", "SEVERITY", "FIXABLE", "DEFAULT", "HADOLINT")]
    for r in ALL_RULES:
        rows.append((r.code, r.name, r.severity, r.fix,
                     "on" if r.default_enabled else "off", ",".join(r.hadolint) or "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


@main.command("config")
@click.option("--from-hadolint", "from_hadolint", is_flag=True,
              help="Print the [tool.dlint] table equivalent to a hadolint config (.hadolint.yaml).")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def config_cmd(from_hadolint, path):
    """Print configuration: with --from-hadolint, the [tool.dlint] table (for pyproject.toml) that means what
    PATH (default: the nearest .hadolint.yaml or .hadolint.yml) means to hadolint."""
    from .commands import emit, from_hadolint as convert

    if not from_hadolint:
        raise click.UsageError("say what to print: --from-hadolint [PATH]")
    try:
        emit(convert(path))
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


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


@main.command("layers")
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: reported per file
@_common
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--image", "image", type=click.Path(readable=False), default=None,
              help="A built image to measure layer by layer against the Dockerfile: an OCI layout directory, "
                   "an OCI archive or a docker-archive tar.")
def layers_cmd(paths, config, select, extend_select, ignore, build_arg, target, stdin_filename, fmt, image):
    """Show the layers (RUN, COPY, ADD) of each stage and how many remain after `dlint fix`.

    With --image, measure a built image: each layer's bytes, the bytes later layers waste, and the
    Dockerfile line each layer came from."""
    from .commands import measure_image_layers, show_layers

    try:
        invocation = Invocation(config, select, ignore, extend_select, build_arg, target, stdin_filename)
        if image is not None:
            if len(paths) > 1 or "-" in paths:
                raise UsageProblem("--image measures one image against one Dockerfile (a file, not stdin)")
            code = measure_image_layers(paths[0] if paths else "Dockerfile", image, invocation, fmt,
                                        color=_color() and fmt == "text")
        else:
            code = show_layers(paths, invocation, fmt, color=_color() and fmt == "text")
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    sys.exit(code)


@main.command("server")
@click.option("--stdio", is_flag=True, help="Speak over standard input and output (the default, and the only way).")
def server_cmd(stdio):
    """Run the language server for editors (Language Server Protocol over stdio; needs `pip install 'dlint[lsp]'`)."""
    from .server import run

    sys.exit(run())


if __name__ == "__main__":  # pragma: no cover
    main()
