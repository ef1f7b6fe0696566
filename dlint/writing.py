"""Writing fixed files: atomically, keeping mode bits, owner, extended attributes and hard links."""
from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Optional


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


def create_new(path: str, data: bytes, like: Optional[str] = None) -> None:
    """Create the file ``path`` holding ``data``, atomically: written to a temporary file in the same
    directory, flushed, then linked under its name, which fails if a file (or a link) of that name appeared
    meanwhile; never replaces anything. Mode bits are those a new file gets (umask); the owner is that of
    ``like`` (the Dockerfile the fix is for) where allowed."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.lexists(path):
        raise WriteError("a file of that name appeared since the build context was read; not written")
    with _SignalsDeferred():
        fd, tmp = tempfile.mkstemp(prefix=".dlint-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                if like is not None and hasattr(os, "fchown"):
                    try:
                        st = os.stat(like)
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)
                    except OSError:
                        pass  # not the owner's to give: the file then belongs to whoever runs dlint
                mask = os.umask(0)
                os.umask(mask)
                if hasattr(os, "fchmod"):
                    os.fchmod(fh.fileno(), 0o666 & ~mask)
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise WriteError("a file of that name appeared since the build context was read; not written") from None
            except OSError:  # a file system without hard links: create it exclusively and write it
                _create_exclusive(path, data, tmp)
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        _sync_directory(directory)


def _create_exclusive(path: str, data: bytes, model: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_BINARY", 0), stat.S_IMODE(os.stat(model).st_mode))
    except FileExistsError:
        raise WriteError("a file of that name appeared since the build context was read; not written") from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        os.unlink(path)
        raise
    os.close(fd)


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
