"""Every kind of bad input through the real command: one line naming the file (and line), exit code 2, no
traceback, and the other files of the same run still checked (or fixed).

Inputs BuildKit refuses (and a few dlint refuses: no FROM, unknown instructions, files over 2 MiB) are not
rewritten. Inputs BuildKit builds but that are most likely mistakes (bytes that are not UTF-8, an argument
that looks like exec form but is not valid JSON, a continuation at the end of the file) get their line and
exit code 2 too, but are checked and fixed as usual, every byte outside the fix kept.
"""
import os
import re
import stat

import dockerfile
import pytest
from permissions import permission_bits_enforced
from run_dlint import GOOD, assert_no_crash, dlint, errors, out

GOOD_FINDING = re.compile(r"^good:2:1: L001 ", re.M)



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
    ("long-line", b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y" + b" pkg" * 300_000 + b"\n",
     "long-line:3: error: line 3 is longer than 65,535 bytes (BuildKit refuses it: dockerfile line greater than "
     "max allowed size of 65535)"),
    ("huge", b"FROM debian:12\n" + b"RUN echo hello\n" * (10 * 1024 * 1024 // 15),
     "huge: error: file is too large for a Dockerfile (10.0 MiB; dlint's limit is 2 MiB)"),
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
    assert fix_beside_good(tmp_path, name, data, message) == data


def fix_beside_good(tmp_path, name, data, message) -> bytes:
    """`dlint fix` of a bad file given with a good one: exit 2, exactly ``message``, the good file fixed.
    Returns what the bad file holds afterwards."""
    bad = write(tmp_path / name, data)
    good = write(tmp_path / "good", GOOD)
    r = dlint("fix", "good", name, cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == [message]
    assert good.read_bytes() != GOOD and b"apt-get update && " in good.read_bytes()
    return bad.read_bytes()


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


# --- inputs BuildKit builds, most likely by mistake: one line and exit code 2, but checked and fixed ---

PAIR = b"RUN apt-get update\nRUN apt-get install -y curl\n"  # L001 on its first line; `dlint fix` merges it

# (file name, content, the one error line for it, line of its L001 finding)
CHECKED_PROBLEMS = [
    ("latin1", b"FROM debian:12\nLABEL description=\"caf\xe9 cr\xe8me\"\n" + PAIR,
     "latin1:2: error: not valid UTF-8 (byte 0xe9 at line 2, column 23): checked with the bytes kept as they are", 3),
    ("not-utf8", b"FROM debian:12\n" + PAIR + b"COPY \xff\xfe\xc3.conf /etc/\n",
     "not-utf8:4: error: not valid UTF-8 (byte 0xff at line 4, column 6): checked with the bytes kept as they are", 2),
    ("json-unterminated", b"FROM debian:12\n" + PAIR + b'CMD ["curl", "--help"\n',
     'json-unterminated:4: error: CMD ["curl", "--help": looks like JSON (exec) form but is not valid JSON '
     "(unterminated array), so it runs as a shell command", 2),
    ("json-single-quotes", b"FROM debian:12\n" + PAIR + b"ENTRYPOINT ['/usr/bin/curl']\n",
     "json-single-quotes:4: error: ENTRYPOINT ['/usr/bin/curl']: looks like JSON (exec) form but is not valid "
     "JSON (single quotes; JSON strings take double quotes), so it runs as a shell command", 2),
    ("continuation", b"FROM debian:12\n" + PAIR + b"COPY app /app \\\n\n# the end\n",
     'continuation:4: error: the file ends inside a line continuation (line 4 ends with "\\")', 2),
]


def fixed_pair(tmp_path) -> bytes:
    """What `dlint fix` makes of PAIR (in GOOD)."""
    write(tmp_path / "reference", GOOD)
    dlint("fix", "reference", cwd=tmp_path)
    fixed = (tmp_path / "reference").read_bytes()
    assert GOOD.endswith(PAIR) and fixed != GOOD
    return fixed[len(GOOD) - len(PAIR):]


@OPTIONS
@pytest.mark.parametrize("name,data,message,line", CHECKED_PROBLEMS, ids=[p[0] for p in CHECKED_PROBLEMS])
def test_checked_problem_check(tmp_path, name, data, message, line, options):
    dockerfile.parse_string(data.decode("utf-8", "replace"))  # BuildKit builds it
    write(tmp_path / name, data)
    write(tmp_path / "good", GOOD)
    r = dlint("check", *options, name, "good", cwd=tmp_path)
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == [message]
    assert re.search(rf"^{name}:{line}:1: L001 ", out(r)[0], re.M), out(r)  # its own findings
    assert GOOD_FINDING.search(out(r)[0]), out(r)


@pytest.mark.parametrize("name,data,message,line", CHECKED_PROBLEMS, ids=[p[0] for p in CHECKED_PROBLEMS])
def test_checked_problem_fix_keeps_every_other_byte(tmp_path, name, data, message, line):
    expected = data.replace(PAIR, fixed_pair(tmp_path))
    assert fix_beside_good(tmp_path, name, data, message) == expected


def test_exec_form_lookalikes_are_what_buildkit_runs_as_shell(tmp_path):
    for _, data, _, _ in CHECKED_PROBLEMS:
        if b"[" in data:
            *_, last = dockerfile.parse_string(data.decode())
            assert last.json is False and last.value[0].startswith("[")


NOT_UTF8 = (b"FROM debian:12\n"
            b"LABEL description=\"caf\xe9 cr\xe8me\"\n"  # Latin-1
            b"RUN apt-get update\n"
            b"RUN echo \xff\xfe\xc3 && apt-get install -y curl\n"  # bytes that are no text at all
            b"# \xed\xa0\x80 (an encoded surrogate)\n")


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
    assert r.returncode == 2
    assert errors(r) == ["latin1:2: error: not valid UTF-8 (byte 0xe9 at line 2, column 23): checked with the "
                         "bytes kept as they are"]
    expected = (tmp_path / "ascii").read_bytes()
    assert expected != ascii_version  # something was fixed
    for raw, stand_in in stand_ins.items():
        expected = expected.replace(stand_in, raw)
    assert (tmp_path / "latin1").read_bytes() == expected


def test_shell_tests_in_brackets_are_no_problem(tmp_path):
    data = (b'FROM debian:12\nRUN [ -f /etc/os-release ] && echo yes\nRUN [ "$X" = 1 ] || exit 1\n'
            b'RUN [ ! -z "$(getcap /bin/ping)" ]\nCMD [ -d /x ]\n')
    write(tmp_path / "tests", data)
    r = dlint("check", "tests", cwd=tmp_path)
    assert_no_crash(r)
    assert errors(r) == [] and r.returncode in (0, 1)


def test_continuation_at_end_of_file_fixed_as_buildkit_reads_it(tmp_path):
    data = b"FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl \\\n"
    dockerfile.parse_string(data.decode())
    write(tmp_path / "cont", data)
    r = dlint("fix", "cont", cwd=tmp_path)
    assert_no_crash(r)
    assert errors(r) == ['cont:3: error: the file ends inside a line continuation (line 3 ends with "\\")']
    fixed = (tmp_path / "cont").read_text()
    assert fixed != data.decode() and "apt-get update && " in fixed
    runs = [c for c in dockerfile.parse_string(fixed) if c.cmd == "RUN"]
    assert len(runs) == 1 and "apt-get install -y curl" in runs[0].value[0]


# --- size: files over 2 MiB and lines over 65,535 bytes are refused; anything smaller is checked ---

def big_dockerfile(size: int) -> str:
    """Many build stages of typical instructions, then a shipping stage with layer waste."""
    parts, n, k = [], 0, 0
    tail = ("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
            "COPY --from=build1 /src/bin /usr/local/bin\n")
    while True:
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
        if n + len(block) + len(tail) > size:
            break
        parts.append(block)
        n += len(block)
    parts.append(tail)
    return "".join(parts)


def test_largest_accepted_file_is_checked(tmp_path):
    from dlint.inputs import MAX_BYTES

    text = big_dockerfile(MAX_BYTES)
    assert MAX_BYTES - 1000 < len(text.encode()) <= MAX_BYTES
    write(tmp_path / "big", text.encode())
    write(tmp_path / "good", GOOD)
    last_update = text.count("\n") - 3 + 1
    r = dlint("check", "big", "good", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    assert r.returncode == 1 and errors(r) == []
    assert re.search(rf"^big:{last_update}:1: L001 ", out(r)[0], re.M), out(r)[0][-2000:]
    assert GOOD_FINDING.search(out(r)[0])


def test_longest_accepted_line_is_checked_and_fixed(tmp_path):
    install = b"RUN apt-get install -y"
    packages = b" pkg" * ((65535 - len(install)) // 4)
    line = install + packages + b"x" * (65535 - len(install) - len(packages))
    assert len(line) == 65535
    data = b"FROM debian:12\nRUN apt-get update\n" + line + b"\n# " + b"c" * 65533 + b"\n"
    dockerfile.parse_string(data.decode())  # BuildKit builds it
    write(tmp_path / "long", data)
    r = dlint("check", "long", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    assert r.returncode == 1 and errors(r) == []
    assert re.search(r"^long:2:1: L001 ", out(r)[0], re.M)
    r = dlint("fix", "long", cwd=tmp_path, timeout=600)
    assert_no_crash(r)
    fixed = (tmp_path / "long").read_bytes()
    assert b"apt-get update && " in fixed and packages in fixed and fixed.endswith(b"c" * 65533 + b"\n")


def test_size_is_known_before_reading(tmp_path, monkeypatch):
    from dlint import inputs as runner

    path = tmp_path / "huge"
    with open(path, "wb") as fh:
        fh.truncate(10 * 1024 * 1024)  # sparse: 10 MiB without writing them

    def no_open(*args, **kwargs):
        raise AssertionError("opened a file already known to be too large")

    monkeypatch.setattr(runner.os, "open", no_open)
    data, problem = runner.read_path(str(path))
    assert data is None
    assert problem.render() == f"{path}: error: file is too large for a Dockerfile (10.0 MiB; dlint's limit is 2 MiB)"


def test_file_grown_after_its_size_was_read_is_refused(tmp_path, monkeypatch):
    from dlint import inputs as runner

    path = tmp_path / "growing"
    path.write_bytes(b"FROM debian:12\n" + b"#" * runner.MAX_BYTES)
    real_stat = os.stat

    def stat_when_it_was_small(p, *args, **kwargs):
        st = real_stat(p, *args, **kwargs)
        if os.fspath(p) == str(path):
            fields = list(st)
            fields[stat.ST_SIZE] = 15
            return os.stat_result(fields)
        return st

    monkeypatch.setattr(runner.os, "stat", stat_when_it_was_small)
    data, problem = runner.read_path(str(path))
    assert data is None
    assert problem.message == "file is too large for a Dockerfile (more than 2 MiB; dlint's limit is 2 MiB)"


def test_stdin_has_the_same_size_limit(tmp_path):
    r = dlint("check", "--stdin-filename", "piped", "-", cwd=tmp_path,
              input=b"FROM debian:12\n" + b"RUN true\n" * (3 * 1024 * 1024 // 9))
    assert_no_crash(r)
    assert r.returncode == 2
    assert errors(r) == ["piped: error: file is too large for a Dockerfile (more than 2 MiB; dlint's limit is 2 MiB)"]
