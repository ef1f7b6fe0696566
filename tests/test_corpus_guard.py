"""No internal error anywhere in the corpus: ``check``, ``fix --diff`` and ``fix --unsafe-fixes --diff`` on
every file (fixes in process, where the fixed text is checked too; then ``check`` and ``fix --unsafe-fixes
--diff`` through the command, all files in one run), and the files that are not valid Dockerfiles get one
clean line each. Skipped when the corpus is absent."""
import os
import subprocess
import sys

import pytest

from dlint.settings import Settings
from dlint.fixer import fix_source
from dlint.rules import ALL_RULES
from dlint.validation import validate
from dlint.syntax import decode, encode, parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL = Settings(enabled={r.code for r in ALL_RULES})


def assert_clean_problems(path, problems):
    for p in problems:
        line = p.render()
        assert "\n" not in line and line.startswith(path + (f":{p.line}" if p.line else "") + ": error: "), line
        assert "internal error" not in p.message and "nested too" not in p.message, line


@pytest.fixture(scope="module")
def expected_problems(request):
    """Rendered input problems of the corpus files, keyed by file name (checked in process first)."""
    from conftest import corpus_files

    files = corpus_files()
    if not files:
        pytest.skip("corpus not present")
    out = {}
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read()
        _, problems = validate(path, data, decode(data))
        out[os.path.basename(path)] = [p.render().replace(path, os.path.basename(path), 1) for p in problems]
    return out


def test_fix_in_process(corpus):
    """Safe and unsafe fixes of every file (``check`` runs the same rules: the command run below covers it)."""
    invalid = 0
    for path in corpus:
        with open(path, "rb") as fh:
            data = fh.read()
        _, problems = validate(path, data, decode(data))
        invalid += bool(problems)
        expected = [p.render() for p in problems]
        for unsafe in (False, True):
            result = fix_source(path, data, ALL, unsafe=unsafe)
            assert_clean_problems(path, result.problems)
            assert [p.render() for p in result.problems] == expected, path  # no fix was refused as unsafe
            if result.fixed is not None:
                assert not any(p.blocks_fix for p in problems)
                doc = parse(result.fixed)
                assert doc.to_text() == result.fixed
                after = validate(path, encode(result.fixed), result.fixed)[1]
                assert not any(p.blocks_fix for p in after) and len(after) == len(problems)
    assert invalid < len(corpus) // 10  # the corpus is real Dockerfiles, with a few broken on purpose


@pytest.mark.parametrize("args", [["check"], ["fix", "--unsafe-fixes", "--diff"]], ids=["check", "fix-diff"])
def test_command_over_the_whole_corpus(corpus, expected_problems, args):
    directory = os.path.dirname(corpus[0])
    names = sorted(os.path.basename(p) for p in corpus)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), NO_COLOR="1")
    r = subprocess.run([sys.executable, "-m", "dlint", *args, "--extend-select", "L008", *names], cwd=directory,
                       env=env, capture_output=True, timeout=900)
    stdout, stderr = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stdout + stderr and "internal error" not in stdout + stderr, stderr[-3000:]
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert errors == [line for name in names for line in expected_problems[name]]
    assert r.returncode == (2 if errors else 1)
