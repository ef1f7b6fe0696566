"""Every kind of bad input through the real command: one line naming the file (and line), exit code 2, no
traceback, and the other files of the same run still checked (or fixed).

Inputs BuildKit builds (bytes that are not UTF-8, a ``[`` that is not a JSON array, a continuation at the end
of the file) are no input problem: they are checked like any other file and their bytes kept on fix.
"""
import os
import re
import stat
import subprocess
import sys

import dockerfile
import pytest
from permissions import permission_bits_enforced

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOOD = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
GOOD_FINDING = re.compile(r"^good:2:1: L001 ", re.M)


def dlint(*args, cwd, timeout=300, **kwargs):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")
    try:
        return subprocess.run([sys.executable, "-m", "dlint", *args], cwd=cwd, env=env, capture_output=True,
                              timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        pytest.fail(f"dlint {' '.join(args)} did not finish within {timeout} s")


def out(proc):
    return proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def errors(proc):
    return [line for line in out(proc)[1].splitlines() if ": error: " in line]


def assert_no_crash(proc):
    stdout, stderr = out(proc)
    assert "Traceback" not in stdout + stderr, stderr
    assert "internal error" not in stdout + stderr, stderr


def write(path, data: bytes):
    path.write_bytes(data)
    return path


# (file name, content, the one error line `dlint check` prints for it)
PROBLEMS = [
    ("empty", b"", "empty: error: empty file: not a Dockerfile"),
    ("only-comments", b"# a comment\n\n  # another one\n",
     "only-comments: error: no instructions (only comments or blank lines): not a Dockerfile"),
    ("no-from", b"# base comes later\nRUN echo hi\nFROM debian:12\n",
     "no-from:2: error: no FROM before the first instruction (only ARG may precede FROM)"),
    ("binary", b"FROM debian:12\nRUN echo \x00\x01\x02\xff\n",
     "binary:2: error: binary file (contains NUL bytes): not a Dockerfile"),
    ("heredoc", b"FROM debian:12\nRUN <<EOF\necho hi\n", "heredoc:2: error: unterminated heredoc 'EOF'"),
    ("unknown", b"FROM debian:12\nRUN true\nFOO bar\n", "unknown:3: error: unknown instruction 'FOO'"),
]


# ``dlint check FILE...`` runs without the option parser; any option goes through it: both are tested.
OPTIONS = pytest.mark.parametrize("options", [[], ["-q"]], ids=["plain", "with-options"])


@OPTIONS
@pytest.mark.parametrize("name,data,message", PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_input_problem_check(tmp_path, name, data, message, options):
    write(tmp_path / name, data)
    write(tmp_path / "good", GOOD)
    r = dlint("check", *options, name, "good", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == [message]
    assert GOOD_FINDING.search(out(r)[0]), out(r)


@pytest.mark.parametrize("name,data,message", PROBLEMS, ids=[p[0] for p in PROBLEMS])
def test_input_problem_fix_leaves_file_and_fixes_others(tmp_path, name, data, message):
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "good", GOOD)
    r = dlint("fix", "good", name, cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == [message]
    assert bad.read_bytes() == data
    assert good.read_bytes() != GOOD and b"apt-get update && " in good.read_bytes()


def test_missing_path_and_broken_link(tmp_path):
    write(tmp_path / "good", GOOD)
    os.symlink("nowhere", tmp_path / "dangling")
    r = dlint("check", "missing", "good", "dangling", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == ["missing: error: no such file", "dangling: error: broken symbolic link"]
    assert GOOD_FINDING.search(out(r)[0])


# --- permissions: root reads everything, so the command runs without the capabilities that allow it ---

@OPTIONS
def test_directory_without_read_permission(tmp_path, options):
    preexec = permission_bits_enforced(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked / "Dockerfile", GOOD)
    (tmp_path / "open").mkdir()
    write(tmp_path / "open" / "Dockerfile", GOOD)
    os.chmod(locked, 0)
    try:
        r = dlint("check", *options, ".", cwd=tmp_path, preexec_fn=preexec)
        # the same directory named on the command line
        named = dlint("check", *options, "locked", "open", cwd=tmp_path, preexec_fn=preexec)
    finally:
        os.chmod(locked, 0o755)
    for proc, where in ((r, "./locked"), (named, "locked")):
        assert_no_crash(proc)
        assert proc.returncode == 2
        assert errors(proc) == [f"{where}: error: cannot read directory: Permission denied"]
        assert re.search(r"^(\./)?open/Dockerfile:2:1: L001 ", out(proc)[0], re.M), out(proc)


@OPTIONS
def test_file_without_read_permission(tmp_path, options):
    preexec = permission_bits_enforced(tmp_path)
    write(tmp_path / "secret", GOOD)
    write(tmp_path / "good", GOOD)
    os.chmod(tmp_path / "secret", 0)
    r = dlint("check", *options, "secret", "good", cwd=tmp_path, preexec_fn=preexec)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == ["secret: error: cannot read: Permission denied"]
    assert GOOD_FINDING.search(out(r)[0])


# --- symbolic links ---

def test_symlink_is_checked_and_fix_writes_its_target(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    target = write(real / "Dockerfile", GOOD)
    links = tmp_path / "links"
    links.mkdir()
    os.symlink(os.path.join("..", "real", "Dockerfile"), links / "Dockerfile")
    r = dlint("check", "links/Dockerfile", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 1
    assert re.search(r"^links/Dockerfile:2:1: L001 ", out(r)[0], re.M)

    r = dlint("fix", "links/Dockerfile", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode in (0, 1), out(r)
    assert os.path.islink(links / "Dockerfile")
    assert os.readlink(links / "Dockerfile") == os.path.join("..", "real", "Dockerfile")
    assert b"apt-get update && " in target.read_bytes()
    assert sorted(os.listdir(real)) == ["Dockerfile"] and sorted(os.listdir(links)) == ["Dockerfile"]


# --- FIFOs and devices: refused without opening them, so nothing waits for a writer ---

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", ["check", "fix"])
def test_fifo_is_refused_promptly(tmp_path, command):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "dir" / "Dockerfile")  # found by directory search
    write(tmp_path / "good", GOOD)
    r = dlint(command, "fifo", "dir", "good", cwd=tmp_path, timeout=60)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == ["fifo: error: not a regular file (FIFO): refused",
                         "dir/Dockerfile: error: not a regular file (FIFO): refused"]
    if command == "check":
        assert GOOD_FINDING.search(out(r)[0])
    else:
        assert b"apt-get update && " in (tmp_path / "good").read_bytes()
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/null") or os.name != "posix", reason="no /dev/null")
def test_device_is_refused(tmp_path):
    write(tmp_path / "good", GOOD)
    r = dlint("fix", "/dev/null", "good", cwd=tmp_path, timeout=60)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == ["/dev/null: error: not a regular file (character device): refused"]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- inputs BuildKit builds: checked as far as possible, no input problem, bytes kept on fix ---

NOT_UTF8 = (b"FROM debian:12\n"
            b"LABEL description=\"caf\xe9 cr\xe8me\"\n"  # Latin-1
            b"RUN apt-get update\n"
            b"RUN echo \xff\xfe\xc3 && apt-get install -y curl\n"  # bytes that are no text at all
            b"# \xed\xa0\x80 (an encoded surrogate)\n")


def test_not_utf8_is_checked(tmp_path):
    write(tmp_path / "latin1", NOT_UTF8)
    write(tmp_path / "good", GOOD)
    dockerfile.parse_string(NOT_UTF8.decode("utf-8", "replace"))  # BuildKit builds it
    r = dlint("check", "latin1", "good", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 1, out(r)
    assert errors(r) == []
    assert re.search(r"^latin1:3:1: L001 ", out(r)[0], re.M), out(r)
    assert GOOD_FINDING.search(out(r)[0])


def test_not_utf8_bytes_are_kept_on_fix(tmp_path):
    # The same file with ASCII stand-ins for the odd bytes is fixed the same way, stand-ins put back.
    stand_ins = {b"\xe9": b"QQE9", b"\xe8": b"QQE8", b"\xff\xfe\xc3": b"QQFF", b"\xed\xa0\x80": b"QQED"}
    ascii_version = NOT_UTF8
    for raw, stand_in in stand_ins.items():
        ascii_version = ascii_version.replace(raw, stand_in)
    write(tmp_path / "ascii", ascii_version)
    write(tmp_path / "latin1", NOT_UTF8)
    r = dlint("fix", "--unsafe-fixes", "ascii", "latin1", cwd=tmp_path)
    assert_no_crash(r)
    assert errors(r) == []
    expected = (tmp_path / "ascii").read_bytes()
    assert expected != ascii_version  # something was fixed
    for raw, stand_in in stand_ins.items():
        expected = expected.replace(stand_in, raw)
    assert (tmp_path / "latin1").read_bytes() == expected


def test_unterminated_json_array_is_shell_form(tmp_path):
    data = b'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nCMD ["curl", "--help"\n'
    (cmd,) = [c for c in dockerfile.parse_string(data.decode()) if c.cmd == "CMD"]
    assert cmd.json is False  # BuildKit runs it through the shell as text
    write(tmp_path / "json", data)
    write(tmp_path / "good", GOOD)
    r = dlint("check", "json", "good", cwd=tmp_path)
    assert_no_crash(r)
    assert errors(r) == [] and r.returncode == 1
    assert re.search(r"^json:2:1: L001 ", out(r)[0], re.M) and GOOD_FINDING.search(out(r)[0])
    r = dlint("fix", "json", cwd=tmp_path)
    assert_no_crash(r)
    fixed = (tmp_path / "json").read_bytes()
    assert fixed.endswith(b'CMD ["curl", "--help"\n') and b"apt-get update && " in fixed


def test_continuation_at_end_of_file(tmp_path):
    data = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl \\\n"
    dockerfile.parse_string(data.decode())
    write(tmp_path / "cont", data)
    write(tmp_path / "good", GOOD)
    r = dlint("check", "cont", "good", cwd=tmp_path)
    assert_no_crash(r)
    assert errors(r) == [] and r.returncode == 1
    assert re.search(r"^cont:2:1: L001 ", out(r)[0], re.M)
    r = dlint("fix", "cont", cwd=tmp_path)
    assert_no_crash(r)
    fixed = (tmp_path / "cont").read_text()
    assert fixed != data.decode() and "apt-get update && " in fixed
    runs = [c for c in dockerfile.parse_string(fixed) if c.cmd == "RUN"]
    assert len(runs) == 1 and "apt-get install -y curl" in runs[0].value[0]


# --- size: a big file and a long line finish (a pytest-level timeout guards against blow-ups) ---

def big_dockerfile(size: int) -> str:
    """Many build stages of typical instructions, then a shipping stage with layer waste."""
    parts, n, k = [], 0, 0
    while n < size:
        k += 1
        block = (f"FROM debian:12 AS build{k}\n"
                 f"# stage {k}\n"
                 f"ARG VERSION{k}=1.{k}\n"
                 f"ENV PATH=/opt/tool{k}/bin:$PATH \\\n    LANG=C.UTF-8\n"
                 f"RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
                 f"        build-essential curl{k} \\\n    && rm -rf /var/lib/apt/lists/*\n"
                 f"COPY --chown=1000:1000 src{k}/ /src/\n"
                 f"RUN <<EOF\nset -e\ncd /src && make -j2 VERSION=$VERSION{k}\nEOF\n"
                 f"WORKDIR /src/{k}\n"
                 f'CMD ["/src/bin/tool{k}", "--serve"]\n\n')
        parts.append(block)
        n += len(block)
    parts.append("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
                 "COPY --from=build1 /src/bin /usr/local/bin\n")
    return "".join(parts)


def test_ten_megabyte_file(tmp_path):
    text = big_dockerfile(10 * 1024 * 1024)
    write(tmp_path / "big", text.encode())
    write(tmp_path / "good", GOOD)
    last_update = text.count("\n") - 3 + 1
    r = dlint("check", "big", "good", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    assert r.returncode == 1 and errors(r) == []
    assert re.search(rf"^big:{last_update}:1: L001 ", out(r)[0], re.M), out(r)[0][-2000:]
    assert GOOD_FINDING.search(out(r)[0])


def test_one_megabyte_line(tmp_path):
    packages = " ".join(f"package-{i}" for i in range(95000))
    assert len(packages) > 1024 * 1024
    data = f"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y {packages}\n# {'x' * 1024 * 1024}\n".encode()
    write(tmp_path / "long", data)
    write(tmp_path / "good", GOOD)
    r = dlint("check", "long", "good", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    assert r.returncode == 1 and errors(r) == []
    assert re.search(r"^long:2:1: L001 ", out(r)[0], re.M) and GOOD_FINDING.search(out(r)[0])
    r = dlint("fix", "--unsafe-fixes", "long", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    fixed = (tmp_path / "long").read_bytes()
    assert b"apt-get update && " in fixed and packages.encode() in fixed
    assert fixed.endswith(b"# " + b"x" * 1024 * 1024 + b"\n")
