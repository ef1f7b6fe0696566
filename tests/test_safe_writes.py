"""`dlint fix` writes safely: a temporary file in the same directory renamed over the original, mode and
owner kept, never a different file; a file changed meanwhile, read-only or on a full disk is left intact and
reported; an interrupted run leaves every file either as it was or fully fixed, and no temporary file."""
import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest
from permissions import permission_bits_enforced
from run_dlint import GOOD, ROOT, dlint, errors

from dlint.settings import Settings
from dlint.commands import write_fixes as write_results
from dlint.fixer import fix_source
from dlint.writing import atomic_write
from dlint.rules import ALL_RULES

SETTINGS = Settings(enabled={r.code for r in ALL_RULES})




def leftovers(directory):
    return [n for n in os.listdir(directory) if n.startswith(".dlint-")]


def fixed_version(data: bytes, path="Dockerfile") -> bytes:
    result = fix_source(path, data, SETTINGS)
    assert result.fixed is not None and not result.problems
    return result.fixed.encode("utf-8", "surrogateescape")


def fix_in_process(path, capsys):
    """fix_source then write_results, as ``dlint fix`` does; (exit code, stderr)."""
    with open(path, "rb") as fh:
        result = fix_source(str(path), fh.read(), SETTINGS)
    return result, lambda: (write_results([result], diff=False, stdin=False, quiet=True, color=False),
                            capsys.readouterr().err)


def test_rename_over_the_file_keeps_mode_and_owner(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        os.chown(path, 12345, 23456)
    before = os.stat(path)
    r = dlint("fix", "Dockerfile", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    after = os.stat(path)
    assert path.read_bytes() == fixed_version(GOOD)
    assert after.st_ino != before.st_ino  # a new file renamed into place, not the old one rewritten
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_temporary_file_is_next_to_the_target_of_a_link(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    target = tmp_path / "b" / "Dockerfile"
    target.write_bytes(GOOD)
    link = tmp_path / "a" / "Dockerfile"
    os.symlink(target, link)
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda src, dst: (renames.append((src, dst)), real_replace(src, dst))[1])
    atomic_write(str(link), b"new\n", expected=GOOD)
    ((src, dst),) = renames
    assert os.path.dirname(src) == os.path.dirname(dst) == str(tmp_path / "b")
    assert os.path.islink(link) and target.read_bytes() == b"new\n"
    assert os.listdir(tmp_path / "a") == ["Dockerfile"] and os.listdir(tmp_path / "b") == ["Dockerfile"]


def test_hard_links_keep_sharing_the_fixed_text(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.link(path, tmp_path / "other.Dockerfile")
    before = os.stat(path)
    r = dlint("fix", "-q", "Dockerfile", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    after = os.stat(path)
    assert path.read_bytes() == fixed_version(GOOD) == (tmp_path / "other.Dockerfile").read_bytes()
    assert (after.st_ino, after.st_nlink) == (before.st_ino, 2)  # written in place: still one file, two names
    assert leftovers(tmp_path) == []


def test_hard_linked_file_shorter_after_fix_is_cut_to_size(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.link(path, tmp_path / "other")
    atomic_write(str(path), b"FROM debian:12\n", expected=GOOD)
    assert path.read_bytes() == b"FROM debian:12\n" == (tmp_path / "other").read_bytes()


def test_user_extended_attributes_are_kept(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    try:
        os.setxattr(path, "user.origin", b"template v2")
    except (AttributeError, OSError):
        pytest.skip("no user extended attributes on this file system")
    before = os.stat(path)
    r = dlint("fix", "-q", "Dockerfile", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    assert path.read_bytes() == fixed_version(GOOD)
    assert os.stat(path).st_ino != before.st_ino  # renamed into place, attributes copied
    assert os.getxattr(path, "user.origin") == b"template v2"
    assert leftovers(tmp_path) == []


def test_append_only_directory_leaves_no_temporary_file(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "Dockerfile"
    path.write_bytes(GOOD)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+a", str(locked)], capture_output=True).returncode:
        pytest.skip("chattr +a is not available here (needs root and a file system that supports it)")
    try:
        r = dlint("fix", "-q", "locked/Dockerfile", cwd=tmp_path)
        names = os.listdir(locked)
    finally:
        subprocess.run(["chattr", "-a", str(locked)], capture_output=True)
    assert r.returncode in (0, 1), r.stderr
    assert names == ["Dockerfile"]
    assert path.read_bytes() == fixed_version(GOOD)


def test_file_changed_since_read_is_skipped(tmp_path, capsys):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    result, write = fix_in_process(path, capsys)
    edited = GOOD + b"# edited meanwhile\n"
    path.write_bytes(edited)
    code, err = write()
    assert code == 2
    assert f"{path}: error: file changed on disk since it was read; not written" in err.splitlines()
    assert path.read_bytes() == edited and leftovers(tmp_path) == []


def test_change_while_writing_is_caught_before_the_rename(tmp_path, capsys, monkeypatch):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    result, write = fix_in_process(path, capsys)
    edited = GOOD + b"# edited while dlint wrote\n"
    real_fsync = os.fsync
    calls = []

    def fsync_then_edit(fd):
        real_fsync(fd)
        if not calls:
            calls.append(fd)
            path.write_bytes(edited)

    monkeypatch.setattr(os, "fsync", fsync_then_edit)
    code, err = write()
    assert calls and code == 2
    assert f"{path}: error: file changed on disk since it was read; not written" in err.splitlines()
    assert path.read_bytes() == edited and leftovers(tmp_path) == []


def test_path_replaced_by_a_link_to_another_file_is_not_written(tmp_path, capsys):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    other = tmp_path / "other"
    other.write_bytes(b"FROM alpine\n")
    result, write = fix_in_process(path, capsys)
    path.unlink()
    os.symlink(other, path)
    code, err = write()
    assert code == 2 and "file changed on disk since it was read; not written" in err
    assert other.read_bytes() == b"FROM alpine\n" and os.path.islink(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_path_replaced_by_a_fifo_is_refused_without_waiting(tmp_path, capsys):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    result, write = fix_in_process(path, capsys)
    path.unlink()
    os.mkfifo(path)
    done = []
    worker = threading.Thread(target=lambda: done.append(write()), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # unblock it, then fail
        with open(path, "wb"):
            pass
        pytest.fail("writing over a FIFO waited for a reader")
    code, err = done[0]
    assert code == 2 and f"{path}: error: not a regular file; not written" in err
    assert stat.S_ISFIFO(os.lstat(path).st_mode) and leftovers(tmp_path) == []


# --- write failures: the original stays, the failure is reported, no temporary file remains ---

@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
                                     OSError(errno.EIO, os.strerror(errno.EIO))], ids=["ENOSPC", "EIO"])
def test_failed_write_leaves_the_original(tmp_path, capsys, monkeypatch, failure):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    result, write = fix_in_process(path, capsys)

    def fail(fd):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    code, err = write()
    assert code == 2
    assert f"{path}: error: not written: {failure.strerror}; the file is unchanged" in err.splitlines()
    assert path.read_bytes() == GOOD and leftovers(tmp_path) == []


def test_interrupt_during_write_removes_the_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(str(path), b"new\n", expected=GOOD)
    assert path.read_bytes() == GOOD and os.listdir(tmp_path) == ["Dockerfile"]


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 64 KiB tmpfs, where it can be mounted (root on Linux); skip otherwise."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_full_disk(tiny_tmpfs, tmp_path):
    padding = b"".join(b"# %05d padding so that the file and its fixed copy do not both fit\n" % i
                       for i in range(600))
    data = GOOD + padding
    path = tiny_tmpfs / "Dockerfile"
    path.write_bytes(data)
    free = os.statvfs(tiny_tmpfs).f_bavail * os.statvfs(tiny_tmpfs).f_frsize
    assert free < len(data)  # the fixed copy cannot be written beside it
    good = tmp_path / "good"
    good.write_bytes(GOOD)
    r = dlint("fix", str(path), str(good), cwd=tmp_path)
    assert r.returncode == 2
    assert errors(r) == [f"{path}: error: not written: No space left on device; the file is unchanged"]
    assert path.read_bytes() == data and leftovers(tiny_tmpfs) == []
    assert good.read_bytes() == fixed_version(GOOD)


# --- read-only files and directories ---

def test_read_only_file(tmp_path):
    preexec = permission_bits_enforced(tmp_path)
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    os.chmod(path, 0o444)
    (tmp_path / "good").write_bytes(GOOD)
    r = dlint("fix", "Dockerfile", "good", cwd=tmp_path, preexec_fn=preexec)
    assert r.returncode == 2
    assert errors(r) == ["Dockerfile: error: file is read-only; not written"]
    assert path.read_bytes() == GOOD and stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert (tmp_path / "good").read_bytes() == fixed_version(GOOD) and leftovers(tmp_path) == []


def test_read_only_directory(tmp_path):
    preexec = permission_bits_enforced(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "Dockerfile"
    path.write_bytes(GOOD)
    os.chmod(locked, 0o555)
    try:
        r = dlint("fix", "locked/Dockerfile", cwd=tmp_path, preexec_fn=preexec)
    finally:
        os.chmod(locked, 0o755)
    assert r.returncode == 2
    assert errors(r) == ["locked/Dockerfile: error: not written: Permission denied; the file is unchanged"]
    assert path.read_bytes() == GOOD and os.listdir(locked) == ["Dockerfile"]


def test_immutable_file(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes(GOOD)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here (needs root and a file system that supports it)")
    try:
        r = dlint("fix", "Dockerfile", cwd=tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    assert r.returncode == 2
    assert errors(r) == ["Dockerfile: error: file is read-only; not written"]
    assert path.read_bytes() == GOOD and leftovers(tmp_path) == []


# --- Ctrl-C ---

def _variant(i: int) -> bytes:
    return (f"FROM debian:12\n# file {i}\nRUN apt-get update\nRUN pip install pkg{i}\n"
            f"RUN apt-get install -y other{i}\nCOPY app{i} /app\n").encode()


def test_interrupted_fix_leaves_each_file_old_or_new(tmp_path):
    """SIGINT at many moments of a run over enough files to use worker processes: afterwards every file is
    byte-equal to its original or to its fully fixed version, and no temporary file is left."""
    work = tmp_path / "work"
    count = 80
    originals = {f"{i:03d}.Dockerfile": _variant(i) for i in range(count)}
    fixed = {name: fixed_version(data, name) for name, data in originals.items()}

    def reset():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, data in originals.items():
            (work / name).write_bytes(data)

    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "dlint", "fix", "-q", "--extend-select", "L008", "."]

    def start():
        return subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    reset()
    began = time.monotonic()
    proc = start()
    proc.communicate(timeout=300)
    whole = time.monotonic() - began
    assert {n: (work / n).read_bytes() for n in originals} == fixed

    rng = random.Random(7)
    delays = [rng.uniform(0, whole) for _ in range(6)] + [None] * 4  # None: the moment writing begins
    mixed = 0
    for delay in delays:
        reset()
        mtimes = {n: os.stat(work / n).st_mtime_ns for n in originals}
        proc = start()
        if delay is not None:
            time.sleep(delay)
        else:  # poll for the first temporary file or rewritten file, then interrupt at once
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                names = os.listdir(work)
                if any(n.startswith(".dlint-") for n in names) or any(
                        os.stat(work / n).st_mtime_ns != mtimes[n] for n in originals if n in names):
                    break
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"dlint fix did not stop after SIGINT (sent after {delay} s)")
        states = []
        for name in originals:
            now = (work / name).read_bytes()
            assert now in (originals[name], fixed[name]), f"{name} is neither old nor new after SIGINT"
            states.append(now == fixed[name])
        mixed += 0 < sum(states) < count
        assert leftovers(work) == [], f"temporary files left after SIGINT at {delay} s"
    # not asserted (timing dependent): how many runs were stopped in the middle of writing
    print(f"{mixed} of {len(delays)} interrupted runs had written some files but not all")


# --- the fix loop: long runs of merges settle, fixes that undo each other leave the file unchanged ---

def test_long_run_of_merges_settles():
    from dlint.fixer import MAX_ROUNDS, fix_text
    from dlint.syntax import parse

    count = MAX_ROUNDS + 20  # one merge per round: more rounds than the fixed minimum
    text = "FROM debian:12\n" + "".join(f"RUN pip install pkg{i}\n" for i in range(count))
    fixed, diags, problem = fix_text("Dockerfile", text, Settings(enabled={"L002"}), unsafe=False)
    assert problem is None
    runs = [i for i in parse(fixed).instructions if i.name == "RUN"]
    assert len(runs) == 1 and all(f"pkg{i}" in runs[0].logical for i in range(count))
    assert not [d for d in diags if d.code == "L002"]


def test_a_run_of_runs_merges_in_about_log2_rounds(monkeypatch):
    """A group's RUNs merge two by two each round: 120 RUNs take 7 merging rounds and one final check,
    not one round per RUN (quadratic on long files)."""
    import dlint.fixer as fixer

    rounds = []
    real = fixer.check_rules
    monkeypatch.setattr(fixer, "check_rules", lambda *a, **k: rounds.append(1) or real(*a, **k))
    text = "FROM debian:12\n" + "".join(f"RUN pip install pkg{i}\n" for i in range(120))
    fixed, _, problem = fixer.fix_text("Dockerfile", text, Settings(enabled={"L002"}), unsafe=False)
    assert problem is None and fixed.count("RUN ") == 1
    assert len(rounds) <= 8


def test_fixes_that_undo_each_other_leave_the_file_unchanged(monkeypatch):
    import dlint.rules
    from dlint.diagnostics import Edit, Fix
    from dlint.fixer import fix_text
    from dlint.rule import SAFE, Rule

    def flip(ctx):  # upper-cases a lower-case keyword and lower-cases an upper-case one, forever
        for ins in ctx.doc.instructions:
            if ins.name == "RUN":
                kw = ins.keyword
                new = kw.lower() if kw.isupper() else kw.upper()
                edit = Edit(ins.start, ins.start + len(kw), new)
                yield ctx.diagnostic(ins.start, ins.start + len(kw), "flip", Fix("flip", "safe", [edit]))

    rule = Rule(code="X999", name="flip", severity="style", summary="", fix=SAFE)
    rule.check = flip
    monkeypatch.setattr(dlint.rules, "ALL_RULES", [rule])
    text = "FROM debian:12\nRUN true\n"
    fixed, diags, problem = fix_text("Dockerfile", text, Settings(enabled={"X999"}), unsafe=False)
    assert fixed == text
    assert problem.render() == "Dockerfile: error: fixes undo each other (X999); file left unchanged"
    assert [d.code for d in diags] == ["X999"]
