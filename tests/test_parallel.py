"""Many files are checked on a process pool: results, their order and the output are the same as one by one."""
import io
import json

import pytest
from click.testing import CliRunner

from dlint import commands, parallel
from dlint.cli import main

VARIANTS = [
    # findings with fixes
    "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n",
    "FROM debian:12\nRUN apt-get update && apt-get install -y git\nRUN apt-get install -y make\n",
    # clean
    "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl "
    "&& rm -rf /var/lib/apt/lists/*\n",
    # input problems: reported in place, the other files still checked
    "",
    "FROM alpine:3.20\nFROBNICATE now\n",
    "RUN echo no FROM\n",
    # multi-stage, heredoc, exec form, CRLF
    "FROM node:20 AS build\nRUN npm ci && npm run build\nFROM gcr.io/distroless/nodejs20-debian12\n"
    "COPY --from=build /app /app\nCMD [\"/app/server.js\"]\n",
    "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n",
    "FROM python:3.12\r\nRUN pip install flask\r\nCMD python app.py\r\n",
]


def _files(tmp_path, count=150):
    paths = []
    for i in range(count):
        path = tmp_path / f"f{i:03d}.dockerfile"
        text = VARIANTS[i % len(VARIANTS)]
        # Vary each file a little so that no two results are the same object or text.
        path.write_bytes((text + (f"# file {i}\n" if text else "")).encode())
        paths.append(str(path))
    return paths


def _check_all(paths, monkeypatch, workers, fix_mode=None):
    monkeypatch.setattr(parallel, "worker_count", lambda jobs: workers)
    run = commands.Invocation(None, (), (), (), (), None, None)
    return commands.check_all(run, paths, fix_mode=fix_mode)


def _square(x):
    return x * x


def test_run_ordered_keeps_the_input_order():
    jobs = list(range(500))
    assert parallel.map_ordered(_square, jobs, workers=2) == [x * x for x in jobs]
    assert parallel.map_ordered(_square, jobs, workers=1) == [x * x for x in jobs]


def test_few_files_are_checked_in_this_process():
    assert parallel.worker_count(1) == 1
    assert parallel.worker_count(parallel.MIN_FILES_FOR_POOL - 1) == 1
    assert parallel.worker_count(100_000) == parallel.available_cores()


def test_pool_and_serial_give_the_same_results(tmp_path, monkeypatch):
    paths = _files(tmp_path)
    serial = _check_all(paths, monkeypatch, 1)
    pooled = _check_all(paths, monkeypatch, 2)
    assert [r.path for r in pooled] == paths
    assert pooled == serial
    # the set really mixes findings, fixes and input problems
    assert any(d.fix for r in serial for d in r.diagnostics)
    assert any(r.problems for r in serial)
    assert any(not r.problems and not r.diagnostics for r in serial)


def test_pool_and_serial_give_the_same_fixes(tmp_path, monkeypatch):
    paths = _files(tmp_path)
    serial = _check_all(paths, monkeypatch, 1, fix_mode="safe")
    pooled = _check_all(paths, monkeypatch, 2, fix_mode="safe")
    assert pooled == serial
    assert any(r.fixed is not None for r in serial)


def test_stdin_keeps_its_place_among_files(tmp_path, monkeypatch):
    paths = _files(tmp_path, 80)
    mixed = paths[:40] + ["-"] + paths[40:]
    stdin = VARIANTS[0].encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    serial = _check_all(mixed, monkeypatch, 1)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    pooled = _check_all(mixed, monkeypatch, 2)
    assert pooled == serial
    assert [r.from_stdin for r in pooled].index(True) == 40


@pytest.mark.parametrize("args", [[], ["--format", "json"], ["--statistics"]])
def test_command_output_is_the_same_with_a_pool(tmp_path, monkeypatch, args):
    _files(tmp_path)
    outputs = []
    for workers in (1, 2):
        monkeypatch.setattr(parallel, "worker_count", lambda jobs, w=workers: w)
        r = CliRunner().invoke(main, ["check", *args, str(tmp_path)])
        outputs.append((r.exit_code, r.stdout, r.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 2  # the input problems
    assert outputs[0][2].count("error:") >= 150 // len(VARIANTS) * 3  # every file with a problem
    if args == ["--format", "json"]:
        assert json.loads(outputs[0][1])


def test_corpus_pool_and_serial_give_the_same_results(corpus, monkeypatch):
    some = corpus[::2]
    serial = _check_all(some, monkeypatch, 1)
    pooled = _check_all(some, monkeypatch, 2)
    assert [r.path for r in pooled] == some
    assert pooled == serial


def test_corpus_pool_and_serial_give_the_same_fixes(corpus, monkeypatch):
    some = corpus[1::6]
    assert _check_all(some, monkeypatch, 2, fix_mode="unsafe") == _check_all(some, monkeypatch, 1, fix_mode="unsafe")


# --- one long file: some rules run in a forked helper process ----------------------------------------

def _long_file(blocks=400) -> str:
    """Findings of every kind the helper's rules (L003, L006, L007) and the others report, repeated."""
    out = ["FROM debian:12", "WORKDIR /app"]
    for i in range(blocks):
        out += [
            "RUN apt-get update",
            f"RUN apt-get install -y pkg{i}",
            "RUN rm -rf /var/lib/apt/lists/*",
            f"COPY tool{i} /usr/local/bin/tool{i}",
            f"RUN chmod +x /usr/local/bin/tool{i}",
            f"COPY pkg{i}.tar.gz /tmp/",
            f"RUN tar -xzf /tmp/pkg{i}.tar.gz -C /opt && rm /tmp/pkg{i}.tar.gz",
            f"ENV V{i}=1",
        ]
    return "\n".join(out) + "\n"


def _findings(text, spare_core):
    from dlint.settings import Settings
    from dlint.engine import check_rules
    from dlint.rules import ALL_RULES
    from dlint.syntax import parse

    settings = Settings(enabled={rule.code for rule in ALL_RULES}, spare_core=spare_core)  # every rule
    return [d.to_json() for d in check_rules("Dockerfile", parse(text), settings, ALL_RULES)]


def test_a_long_file_split_over_a_helper_process_gives_the_same_findings():
    text = _long_file()
    assert len(text.splitlines()) >= 3000
    split, alone = _findings(text, True), _findings(text, False)
    assert split == alone
    assert {d["code"] for d in split} >= {"L001", "L003", "L006", "L007"}


def test_a_failing_helper_process_leaves_its_rules_to_this_one(monkeypatch):
    import os

    from dlint.rules import copy_then_chmod

    parent = os.getpid()
    real = copy_then_chmod.check

    def check_failing_in_the_helper(ctx):
        if os.getpid() != parent:
            raise RuntimeError("helper failure")
        return real(ctx)

    monkeypatch.setattr(copy_then_chmod, "check", check_failing_in_the_helper)
    text = _long_file()
    assert _findings(text, True) == _findings(text, False)
