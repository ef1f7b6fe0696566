"""What ``dlint check`` and ``dlint fix`` do once their options are parsed.

Free of click: ``dlint check FILE...`` without options (the pre-commit and editor case) runs from
``dlint.entry`` without importing it, since importing click takes longer than checking a typical file.
Option parsing, help and usage errors stay in ``dlint.cli``.
"""
from __future__ import annotations

import os
import sys

from .config import Config, ConfigError, ConfigFinder
from .diagnostics import FileResult, InputProblem, severity_rank

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Sequence, Tuple


class UsageProblem(Exception):
    """A bad option value or config file: the command line reports it as a usage error (exit 2)."""


class CommandError(Exception):
    """The run cannot go on or cannot deliver its report (an output that cannot be written, a closed
    standard output): ``dlint.entry`` prints it as one line, ``dlint: error: ...``, exit code 2."""


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


class Invocation:
    """Options shared by check and fix, resolved once."""

    def __init__(self, config, select, ignore, extend_select, build_arg, target, stdin_filename, context=None,
                 cache_strategy=None):
        from . import rules

        try:
            self.finder = ConfigFinder(config)
            self.select = rules.expand(_split(select)) if select else None
            if self.select == []:
                raise UsageProblem(f"--select {' '.join(select)!r} names no rule: give rule codes, names or "
                                   "prefixes (e.g. --select L001,L005), or leave --select out for the defaults")
            self.ignore = rules.expand(_split(ignore) or [], partial=True)
            self.extend_select = rules.expand(_split(extend_select) or [])
        except (ConfigError, rules.UnknownRule) as exc:
            raise UsageProblem(str(exc)) from None
        self.build_args = _build_args(build_arg)
        self.target = target
        self.stdin_filename = stdin_filename
        if context is not None and not os.path.isdir(context):
            raise UsageProblem(f"--context {context}: not a directory")
        self.context = context
        self.cache_strategy = cache_strategy  # None: from the config
        self._listings: dict = {}

    def context_for(self, path: str, config: Optional[Config] = None):
        """The build context of the Dockerfile at ``path`` (``dlint.build_context.BuildContext``), or None
        when it cannot be listed. Each context directory is listed once per run. ``config``: the file's config,
        when already found."""
        from .inputs import list_context, read_context

        if config is None:
            config = self.config_for(path)
        root = self.context or config.context or os.path.dirname(os.path.abspath(path))
        root = os.path.abspath(root)
        if root not in self._listings:
            self._listings[root] = list_context(root)
        listing = self._listings[root]
        return None if listing is None else read_context(root, path, listing)

    def config_for(self, path: str) -> Config:
        return self.finder.for_path(path)

    def settings(self, path: str):
        from .inputs import project_path
        from .settings import settings_for

        cfg = self.config_for(path)
        s = settings_for(path, cfg, self.select, self.ignore, self.extend_select, project_path=project_path(path))
        s.build_args.update(self.build_args)
        if self.target:
            s.target = self.target
        if self.cache_strategy:
            s.cache_strategy = self.cache_strategy
        if path != (self.stdin_filename or "-") or os.path.isfile(path):
            s.context = self.context_for(path, cfg)  # for the context rules and the byte estimates
        return s


def check_all(invocation: Invocation, paths, *, fix_mode: Optional[str] = None) -> List[FileResult]:
    """Check (``fix_mode`` None) or fix ("safe", "unsafe") every input; results in input order.

    Inputs are read and their settings resolved here; the checking itself goes to a process pool when
    there are many files (``dlint.parallel``), with the same results as one by one.
    """
    from .parallel import check_job, map_ordered

    results: List[Optional[FileResult]] = []
    jobs = []
    pending = []  # (index in results, read from stdin)
    from .inputs import input_paths, read_input

    for path in input_paths(paths):
        data, problem = read_input(path, invocation.stdin_filename)
        from_stdin = path == "-"
        if from_stdin:
            path = invocation.stdin_filename or "-"
        if problem is not None:
            results.append(FileResult(path, problems=[problem]))
            continue
        try:
            settings = invocation.settings(path)
        except ConfigError as exc:
            raise UsageProblem(str(exc)) from None
        settings.context_fixes = not from_stdin  # fixed text read from standard input goes to standard output
        pending.append((len(results), from_stdin))
        results.append(None)
        jobs.append((path, data, settings, fix_mode))
    from .parallel import available_cores, worker_count
    from .run_shellcheck import missing_notice

    notice = missing_notice([settings for _, _, settings, _ in jobs])
    if notice is not None:
        _stderr_line(f"dlint: {notice}")
    elif len(jobs) > 1:
        # ShellCheck (rule SC) on the scripts of all the files at once: a few processes instead of one per
        # file; the answers are kept for the files' own checks (forked workers inherit them)
        from .rules._shellcheck import prefetch

        prefetch([(path, data, settings) for path, data, settings, _ in jobs], available_cores())
    if fix_mode is None and worker_count(len(jobs)) <= 1 and available_cores() > 1:
        for _, _, settings, _ in jobs:
            settings.spare_core = True  # checked here, one at a time: a long file may use another core
    from .progress import Progress

    progress = Progress(len(jobs), "fixed" if fix_mode else "checked")
    try:
        done = map_ordered(check_job, jobs, progress=progress if progress.active else None)
    finally:
        progress.close()
    for (index, from_stdin), result in zip(pending, done):
        result.from_stdin = from_stdin
        results[index] = result
    return results


def exit_code(results: List[FileResult], threshold: str, exit_zero: bool = False, changed: bool = False) -> int:
    """The exit code of check and fix: 2 when an input had a problem; else 0 with ``exit_zero``; else 1 when
    ``changed`` (``fix --diff`` would change a file) or a finding at or above ``threshold`` remains."""
    if any(r.problems for r in results):
        return 2
    if exit_zero:
        return 0
    if changed:
        return 1
    limit = severity_rank(threshold)
    if any(severity_rank(d.severity) >= limit for r in results for d in r.diagnostics):
        return 1
    return 0


def _stderr_line(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def report_problems(results: List[FileResult]) -> None:
    for r in results:
        for p in sorted(r.problems + r.warnings, key=lambda p: p.line or 0):
            sys.stderr.write(p.render() + "\n")
    sys.stderr.flush()


def color() -> bool:
    return sys.stdout is not None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def write_output(text: str, output_file: Optional[str]) -> None:
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as fh:
                fh.write(text)
        except OSError as exc:
            raise CommandError(f"cannot write the report to {output_file}: {exc.strerror or exc}") from None
    else:
        emit(text)


def emit(text: str) -> None:
    """Write ``text`` to standard output: all of it, or (one line, exit 2) nothing and why."""
    stream = sys.stdout
    if stream is None:
        raise CommandError("standard output is closed: nowhere to write the report")
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding, getattr(stream, "errors", None) or "strict")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise CommandError(f"standard output's encoding ({encoding}) cannot show U+{ord(text[exc.start]):04X} "
                           f"(line {line} of the report); set PYTHONIOENCODING=utf-8, or write the report to a "
                           "file with -o FILE") from None
    except LookupError:
        pass
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise  # the reader went away (``| head``): stop quietly
    except OSError as exc:
        raise CommandError(f"cannot write to standard output: {exc.strerror or exc}") from None


def emit_bytes(data: bytes) -> None:
    """Write ``data`` to standard output as it is (fixed files, diffs)."""
    if sys.stdout is None:
        raise CommandError("standard output is closed: nowhere to write the output")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise CommandError(f"cannot write to standard output: {exc.strerror or exc}") from None


def refuse_output_over_input(output_file: Optional[str], paths: Sequence[str]) -> None:
    """``-o`` naming one of the files to check would overwrite it with the report."""
    if not output_file:
        return
    try:
        out = os.stat(output_file)
    except OSError:
        return  # not there yet: it cannot be an input
    from .inputs import discover

    for p in discover(paths or (".",)):
        if p == "-":
            continue
        try:
            st = os.stat(p)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            same = "" if os.path.normpath(p) == os.path.normpath(output_file) else f" ({p})"
            raise CommandError(f"the output file {output_file} is one of the inputs{same}: refusing to "
                               "overwrite it with the report")


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
          failure_threshold=None, show_statistics=False, show_fixes=False, quiet=False, sort="position",
          context=None, cache_strategy=None) -> int:
    """``dlint check``: report on ``paths`` and return the exit code."""
    if show_statistics and fmt not in ("text", "json"):
        raise UsageProblem(f"--statistics prints text or json, not {fmt}")
    refuse_output_over_input(output_file, paths)
    invocation = Invocation(config, select, ignore, extend_select, build_arg, target, stdin_filename, context,
                            cache_strategy)
    results = check_all(invocation, paths)
    try:
        threshold = failure_threshold or invocation.finder.for_path(paths[0] if paths else ".").failure_threshold
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


def write_fixes(results: List[FileResult], *, diff: bool, stdin: bool, quiet: bool, color: bool,
                  threshold: str = "style") -> int:
    """Write (or show as a diff) the fixed files and report what remains; the exit code.

    ``quiet``: no "fixed" lines, and one line per remaining finding (no excerpt, no summary). Remaining
    findings below ``threshold`` (a severity) do not make the exit code 1."""
    import difflib

    from .reporters.text import render
    from .syntax import encode

    changed = False
    written: dict = {}  # other files written in this run: path -> their new text
    for r in results:
        for p in sorted(r.problems + r.warnings, key=lambda p: p.line or 0):
            _stderr_line(p.render())
        if r.from_stdin and not diff:
            if r.source is not None:
                emit_bytes(encode(r.fixed if r.fixed is not None else r.source))
            continue
        others = dict(r.other_files or {})
        for path in [p for p in others if p in written]:
            if written[path] != others[path][1]:
                r.warnings.append(InputProblem(r.path, None, f"{_shown(path)} was changed by the fix of another "
                                               "Dockerfile of this run and is left as that made it; run dlint fix "
                                               "again for the rest", level="warning"))
                _stderr_line(r.warnings[-1].render())
            del others[path]
        if r.fixed is None and not others:
            continue
        changed = True
        if diff:
            out = ""
            if r.fixed is not None:
                out = "".join(difflib.unified_diff(r.source.splitlines(True), r.fixed.splitlines(True),
                                                   f"a/{r.path}", f"b/{r.path}"))
                out = out if out.endswith("\n") else out + "\n"
            for path, (old, new) in sorted(others.items()):
                name = _shown(path)
                part = "".join(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n"
                               for ln in difflib.unified_diff((old or "").splitlines(True), new.splitlines(True),
                                                              "/dev/null" if old is None else f"a/{name}", f"b/{name}"))
                out += part
                written[path] = new
            emit_bytes(encode(out))
            continue
        problem = _write_result(r, others, written)
        if problem is not None:
            r.problems.append(InputProblem(r.path, None, problem))
            _stderr_line(r.problems[-1].render())
            continue
        if not quiet:
            for path in sorted(others):
                _stderr_line(f"fixed {_shown(path)}")
            if r.fixed is not None:
                _stderr_line(f"fixed {r.path}")
    remaining = render(results, color=color, quiet=quiet)
    if diff or any(r.from_stdin for r in results):
        sys.stderr.write(remaining)
    else:
        emit(remaining)
    return exit_code(results, threshold, changed=diff and changed)


def _shown(path: str) -> str:
    """``path`` as a user names it: relative to the current directory when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _write_result(r: FileResult, others: dict, written: dict) -> Optional[str]:
    """Write the fixed Dockerfile and the other files its fixes changed: all of them, or (the reason
    returned) none. Other files are written first, each atomically; when a later write fails, those
    already written get their old text back (a file the fix created is removed)."""
    from .syntax import encode
    from .writing import WriteError, atomic_write, create_new

    done = []  # (path, old text or None)
    try:
        for path, (old, new) in sorted(others.items()):
            if os.path.islink(path):
                raise WriteError(f"{_shown(path)} is a symbolic link; not written")
            if old is None:
                create_new(path, encode(new), like=r.path)
            else:
                atomic_write(path, encode(new), expected=encode(old))
            done.append((path, old, new))
        if r.fixed is not None:
            atomic_write(r.path, encode(r.fixed), expected=encode(r.source))
    except (WriteError, OSError) as exc:
        for path, old, new in reversed(done):
            try:
                if old is None:
                    os.unlink(path)
                else:
                    atomic_write(path, encode(old), expected=encode(new))
            except (WriteError, OSError):
                pass
        if isinstance(exc, WriteError):
            return str(exc)
        return f"not written: {exc.strerror or exc}; the file is unchanged"
    for path, _, new in done:
        written[path] = new
    return None


# ------------------------------------------------------------------------------------------- config

def from_hadolint(path: Optional[str]) -> str:
    """``dlint config --from-hadolint [PATH]``: the ``[tool.dlint]`` table equivalent to a hadolint config
    (PATH, else the nearest .hadolint.yaml or .hadolint.yml upward from the working directory)."""
    from .config import HADOLINT_NAMES
    from .hadolint_config import HadolintConfigError, read_table, to_toml

    if path is None:
        directory = os.getcwd()
        while path is None:
            for name in HADOLINT_NAMES:
                if os.path.isfile(os.path.join(directory, name)):
                    path = os.path.join(directory, name)
                    break
            parent = os.path.dirname(directory)
            if path is None and parent == directory:
                raise UsageProblem("no .hadolint.yaml or .hadolint.yml here or above: name the file")
            directory = parent
    elif not os.path.isfile(path):
        raise UsageProblem(f"{path}: no such file")
    try:
        return to_toml(read_table(path), path)
    except HadolintConfigError as exc:
        raise UsageProblem(str(exc)) from None


# ------------------------------------------------------------------------------------------- layers

def show_layers(paths, options, fmt: str = "text", color: bool = False) -> int:
    """``dlint layers``; ``options`` resolves settings per file (the ``Invocation`` of check and fix)."""
    from .layers import FileLayers, analyze, render_text, to_json
    from .progress import Progress
    from .inputs import input_paths, read_input

    files: List[FileLayers] = []
    found = input_paths(paths, each_file_once=False)
    progress = Progress(len(found), "read")
    try:
        for path in found:
            data, problem = read_input(path, options.stdin_filename)
            if path == "-":
                path = options.stdin_filename or "-"
            if problem is not None:
                files.append(FileLayers(path, problems=[problem]))
            else:
                files.append(analyze(path, data, options.settings(path)))
            progress(len(files))
    finally:
        progress.close()
    for f in files:
        for p in f.problems:
            sys.stderr.write(p.render() + "\n")
    text = to_json(files) if fmt == "json" else render_text(files, color)
    out = text.encode("utf-8", "replace").decode("utf-8")  # undecodable bytes shown as U+FFFD
    sys.stdout.write(out)
    return 2 if any(f.problems for f in files) else 0


def measure_image_layers(dockerfile: str, image_path: str, options, fmt: str = "text", color: bool = False) -> int:
    """``dlint layers DOCKERFILE --image PATH``; exit 2 with one line when the image cannot be read."""
    from .image_layers import build_report, measure, render_text, to_json
    from .image_archive import ImageError, open_image
    from .checking import check_source
    from .inputs import read_path
    from .validation import validate
    from .stages import StageGraph
    from .syntax import decode

    data, problem = read_path(dockerfile)
    if problem is not None:
        sys.stderr.write(problem.render() + "\n")
        return 2
    settings = options.settings(dockerfile)
    doc, problems = validate(dockerfile, data, decode(data))
    if doc is None or any(p.blocks_fix for p in problems):
        for p in problems:
            sys.stderr.write(p.render() + "\n")
        return 2
    try:
        image = open_image(image_path)
        try:
            totals = measure(image)
        finally:
            image.close()
    except ImageError as exc:
        sys.stderr.write(f"{image_path}: error: {exc}\n")
        return 2
    graph = StageGraph(doc, settings.build_args, settings.target)
    result = check_source(dockerfile, data, settings)
    report = build_report(image, totals, dockerfile, doc, graph, result.diagnostics)
    text = to_json(report) if fmt == "json" else render_text(report, color)
    sys.stdout.write(text.encode("utf-8", "replace").decode("utf-8"))
    code = 0
    for p in problems + result.problems:
        sys.stderr.write(p.render() + "\n")
        code = 2
    if report.mismatch:
        sys.stderr.write(f"{image_path}: error: history does not match {dockerfile}: {report.mismatch}\n")
        code = 2
    return code
