import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dockerfiles")


def corpus_files():
    if not os.path.isdir(CORPUS):
        return []
    return sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS))


@pytest.fixture
def corpus():
    files = corpus_files()
    if not files:
        pytest.skip("corpus not present")
    return files


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """The shell sandbox a module's fixes are run in, before and after (needs root)."""
    from option_fix_proof import make_box
    from shell_sandbox import available

    if not available():
        pytest.skip("the shell sandbox needs root")
    return make_box(tmp_path_factory)
