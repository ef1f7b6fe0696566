"""Applies fixes: edits until nothing changes, re-parsed each round; atomic, mode-keeping writes."""
from __future__ import annotations

import bisect
import difflib
import errno
import os
import stat
import sys
import tempfile

from .diagnostics import Diagnostic, Edit, FileResult, InputProblem
from .engine import Settings, run_rules
from .syntax import DockerfileSyntaxError, decode, encode, parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional

MAX_ROUNDS = 100


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: List[Edit]) -> str:
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def choose_fixes(diags: List[Diagnostic], unsafe: bool, protected: Optional[List[Edit]] = None) -> List[Edit]:
    """Edits of the fixes that apply, skipping any fix that touches an edit already chosen, or one of the
    ``protected`` spans (ignore comments and the instructions they apply to: see ``pragma_spans``)."""
    chosen: List[Edit] = []  # sorted by start; they do not overlap one another
    starts: List[int] = []
    for d in sorted(diags, key=lambda d: (d.start, d.code)):
        fix = d.fix
        if fix is None or (fix.applicability != "safe" and not unsafe):
            continue
        if protected and any(_overlaps(e, p) for e in fix.edits for p in protected):
            continue  # it would delete or move an ignore comment, or swallow what it applies to
        if any(_touches_chosen(e, chosen, starts) for e in fix.edits):
            continue  # applied in a later round, recomputed on the new text
        for e in fix.edits:
            i = bisect.bisect_right(starts, e.start)
            starts.insert(i, e.start)
            chosen.insert(i, e)
    return chosen


def _touches_chosen(e: Edit, chosen: List[Edit], starts: List[int]) -> bool:
    """Whether ``e`` overlaps a chosen edit: only the neighbours around its place in start order can."""
    i = bisect.bisect_left(starts, e.start)
    j = i - 1
    while j >= 0 and chosen[j].end >= e.start:  # chosen edits end in start order: earlier ones end sooner
        if _overlaps(e, chosen[j]):
            return True
        j -= 1
    while i < len(chosen) and chosen[i].start <= e.end:
        if _overlaps(e, chosen[i]):
            return True
        i += 1
    return False


def pragma_spans(doc) -> List[Edit]:
    """What a fix must leave in place for the ignore comments to keep their meaning: each comment, and the
    start of the instruction it applies to (a merge that pulled that instruction into the one before it
    would leave the comment inside a RUN, applying to nothing, and its finding back)."""
    from .engine import suppressions

    sup = suppressions(doc)
    spans = [Edit(start, end, "") for start, end in sup.comment_spans]
    spans.extend(Edit(start, start + 1, "") for start in sup.targets)
    return spans


def fix_text(path: str, text: str, settings: Settings, unsafe: bool, doc=None):
    """(new text, remaining diagnostics, problem or None); ``doc``: ``text`` already parsed.

    Every round's result must parse and keep the stages; otherwise, or if fixes do not settle, the text is
    left as it was (with the findings on it) and the problem says why."""
    from .rules import ALL_RULES

    original = text
    if doc is None:
        doc = parse(text)
    first = None  # the findings on the original text

    def unchanged(line, message):
        return original, first, InputProblem(path, line, f"{message}; file left unchanged")

    # A round may merge only one pair of a run of instructions, so long files may need as many rounds
    # as they have instructions; fixes that undo each other are caught by seeing a text again.
    limit = MAX_ROUNDS + len(doc.instructions)
    seen = {hash(text)}
    for _ in range(limit):
        diags = run_rules(path, doc, settings, ALL_RULES)
        if first is None:
            first = diags
        edits = choose_fixes(diags, unsafe, pragma_spans(doc) if "dlint" in text or "hadolint" in text else None)
        if not edits:
            try:
                encode(text)
            except UnicodeError:
                return unchanged(None, "a fix produced text that cannot be written back as the file's bytes")
            return text, diags, None
        new_text = apply_edits(text, edits)
        if hash(new_text) in seen:
            codes = ", ".join(sorted({d.code for d in diags if d.fix is not None}))
            return unchanged(None, f"fixes undo each other ({codes})")
        seen.add(hash(new_text))
        try:
            new_doc = parse(new_text)
        except DockerfileSyntaxError as exc:
            return unchanged(exc.line, f"a fix produced text that does not parse ({exc.message})")
        if len(new_doc.stages) != len(doc.stages):
            return unchanged(None, "a fix changed the stages")
        text, doc = new_text, new_doc
    return unchanged(None, f"fixes did not settle after {limit} rounds")


def fix_source(path: str, data: bytes, settings: Settings, unsafe: bool = False) -> FileResult:
    from .runner import internal_error

    try:
        return _fix_source(path, data, settings, unsafe)
    except Exception as exc:  # a bug in dlint: reported for this file, the others are still fixed
        return FileResult(path, problems=[internal_error(path, exc)], source=decode(data))


def _fix_source(path: str, data: bytes, settings: Settings, unsafe: bool) -> FileResult:
    from .runner import validate

    text = decode(data)
    result = FileResult(path, source=text)
    doc, problems = validate(path, data, text)
    result.problems = problems
    if doc is None or not doc.instructions:
        return result
    from .runner import warnings_for

    result.warnings = warnings_for(path, doc)
    if any(p.blocks_fix for p in problems):
        # still report what we can, but never rewrite a file that is not a valid Dockerfile
        from .rules import ALL_RULES

        result.diagnostics = run_rules(path, doc, settings, ALL_RULES)
        return result
    new_text, diags, problem = fix_text(path, text, settings, unsafe, doc)
    result.diagnostics = diags
    if problem is not None:
        result.problems.append(problem)
    if new_text != text:
        result.fixed = new_text
    return result


class WriteError(Exception):
    """Why a fixed file was not written (the file is as it was)."""


class _SignalsDeferred:
    """Holds back Ctrl-C, SIGTERM and SIGHUP while a file is replaced: they take effect once it is done, so an
    interrupted ``dlint fix`` leaves every file either as it was or fully fixed, and no temporary file."""

    _SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

    def __enter__(self):
        import signal
        import threading

        self._old = None
        if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
            wanted = {getattr(signal, n) for n in self._SIGNALS if hasattr(signal, n)}
            self._old = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self._old)
        return False


def _read_regular(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise WriteError("no longer a regular file; not written")
        return fh.read()


def atomic_write(path: str, data: bytes, expected: Optional[bytes] = None) -> None:
    """Replace the file's content with ``data``: written to a temporary file in the same directory, flushed
    to disk, then renamed over the file, so the file is never seen half-written. Keeps mode bits, extended
    attributes (and the owner where allowed). A symbolic link stays a link: the file it points to is
    written. If ``expected`` is given and the file no longer holds it, nothing is written.

    A file with other hard links, or in a directory where a file cannot be renamed over (append-only), is
    written in place instead: a new file would leave the other names with the old text (or stay behind
    as a temporary file). No temporary file is ever left."""
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    st = os.lstat(target)
    if not stat.S_ISREG(st.st_mode):
        raise WriteError("not a regular file; not written")
    if not os.access(target, os.W_OK):
        raise WriteError("file is read-only; not written")
    with _SignalsDeferred():
        if expected is not None and _read_regular(target) != expected:
            raise WriteError("file changed on disk since it was read; not written")
        if st.st_nlink > 1 or _no_renames_in(directory):
            _write_in_place(target, data, st, expected)
            return
        fd, tmp = tempfile.mkstemp(prefix=".dlint-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                if hasattr(os, "fchown"):
                    try:
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)
                    except OSError:
                        pass  # not the owner's to give: the file then belongs to whoever runs dlint
                _copy_xattrs(target, fh.fileno())
                if hasattr(os, "fchmod"):  # after chown, which clears set-id bits
                    os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
                else:
                    os.chmod(tmp, stat.S_IMODE(st.st_mode))
                os.fsync(fh.fileno())
            # Checked again as late as possible: another program may have written the file meanwhile.
            now = os.lstat(target)
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or now.st_nlink != st.st_nlink or (
                    expected is not None and _read_regular(target) != expected):
                raise WriteError("file changed on disk since it was read; not written")
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _sync_directory(directory)


def _write_in_place(target: str, data: bytes, st, expected: Optional[bytes]) -> None:
    """Overwrite the file itself (same inode: its hard links and attributes stay), then cut it to size."""
    fd = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise WriteError("file changed on disk since it was read; not written")
        if expected is not None:
            held = b""
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                held += chunk
            if held != expected:
                raise WriteError("file changed on disk since it was read; not written")
        if hasattr(os, "posix_fallocate") and len(data) > now.st_size:
            try:  # room for the new text first: a full disk then leaves the file as it was
                os.posix_fallocate(fd, 0, len(data))
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)):
                    raise
        view = memoryview(data)
        offset = 0
        while offset < len(data):
            offset += os.pwrite(fd, view[offset:], offset)
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


# FS_IOC_GETFLAGS (Linux, 64-bit and 32-bit layouts) and the flags that forbid renaming over a file.
_FS_IOC_GETFLAGS = (0x80086601, 0x80046601)
_FS_APPEND_FL, _FS_IMMUTABLE_FL = 0x20, 0x10


def _no_renames_in(directory: str) -> bool:
    """Whether ``directory`` is append-only (``chattr +a``): a file can be created in it but not renamed
    or removed, so a temporary file would stay behind."""
    if not sys.platform.startswith("linux"):
        return False
    import fcntl

    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        for request in _FS_IOC_GETFLAGS:
            try:
                flags = int.from_bytes(fcntl.ioctl(fd, request, bytes(8))[:4], sys.byteorder)  # an int
            except OSError:
                continue
            return bool(flags & (_FS_APPEND_FL | _FS_IMMUTABLE_FL))
        return False
    finally:
        os.close(fd)


def _copy_xattrs(source: str, fd: int) -> None:
    """The file's extended attributes onto the new file; a user attribute that cannot be kept stops the
    write (the others, set by the system, are kept where allowed)."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(source, name))
        except OSError as exc:
            if name.startswith("user."):
                raise WriteError(f"its extended attribute {name} cannot be kept ({exc.strerror}); "
                                 "not written") from None


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (best effort: not every system can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_results(results: List[FileResult], *, diff: bool, stdin: bool, quiet: bool, color: bool,
                  threshold: str = "style") -> int:
    """Write (or show as a diff) the fixed files and report what remains; the exit code.

    ``quiet``: no "fixed" lines, and one line per remaining finding (no excerpt, no summary). Remaining
    findings below ``threshold`` (a severity) do not make the exit code 1."""
    import click

    from .commands import emit, emit_bytes
    from .reporters.text import render

    changed = False
    for r in results:
        for p in sorted(r.problems + r.warnings, key=lambda p: p.line or 0):
            click.echo(p.render(), err=True)
        if r.from_stdin and not diff:
            if r.source is not None:
                emit_bytes(encode(r.fixed if r.fixed is not None else r.source))
            continue
        if r.fixed is None:
            continue
        changed = True
        if diff:
            a = r.source.splitlines(True)
            b = r.fixed.splitlines(True)
            out = "".join(difflib.unified_diff(a, b, f"a/{r.path}", f"b/{r.path}"))
            emit_bytes(encode(out if out.endswith("\n") else out + "\n"))
            continue
        try:
            atomic_write(r.path, encode(r.fixed), expected=encode(r.source))
        except WriteError as exc:
            r.problems.append(InputProblem(r.path, None, str(exc)))
            click.echo(r.problems[-1].render(), err=True)
            continue
        except OSError as exc:
            r.problems.append(InputProblem(r.path, None, f"not written: {exc.strerror or exc}; the file is unchanged"))
            click.echo(r.problems[-1].render(), err=True)
            continue
        if not quiet:
            click.echo(f"fixed {r.path}", err=True)
    remaining = render(results, color=color, quiet=quiet)
    if diff or any(r.from_stdin for r in results):
        sys.stderr.write(remaining)
    else:
        emit(remaining)
    if any(r.problems for r in results):
        return 2
    if diff and changed:
        return 1
    from .diagnostics import severity_rank

    limit = severity_rank(threshold)
    if any(severity_rank(d.severity) >= limit for r in results for d in r.diagnostics):
        return 1
    return 0
