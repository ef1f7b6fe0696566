"""The .dockerignore matcher: BuildKit's documented cases, and agreement with two independent
implementations where their semantics are the same as BuildKit's.

- docker-py (``docker.utils.build.PatternMatcher``, the Python client's port of the older Docker matcher):
  the same translation of ``*``, ``?`` and ``**``, the same last-match-wins exceptions and parent test.
  It differs in three ways, kept out of the compared cases: it lower-cases pattern and path; it tests
  only the one parent directory with as many components as the pattern (so ``a/**/b`` against a path
  under ``a/x/y/b`` differs); it has no ``\\`` escapes and reads ``[!x]`` as a negated class.
- pathspec's gitwildmatch, for patterns with ``**``: gitignore anchors a pattern only when it holds a
  ``/`` before its end, and cannot re-include a file under an excluded directory, so only anchored
  patterns without exceptions are compared.
"""
import pytest
from hypothesis import given, settings, strategies as st

from dlint.dockerignore import IgnoreError, Matcher, clean, read_patterns

docker_build = pytest.importorskip("docker.utils.build")


def ignoring(patterns):
    """The matcher of a .dockerignore holding these lines (the file reader drops a leading "/")."""
    return Matcher.from_text("".join(p + "\n" for p in patterns))

pathspec = pytest.importorskip("pathspec")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pathspec names gitwildmatch old


# Cases from BuildKit's matcher documentation and behaviour (pattern, path, excluded).
CASES = [
    ("**", "file", True), ("**/", "dir/file", True), ("dir/**", "dir/file", True), ("dir/**", "dir", False),
    ("**/dir", "dir", True), ("**/dir", "dir/file", True), ("**/dir2/*", "dir/dir2/file", True),
    ("**file", "dir/dir/file", True), ("**file", "dir/barfile", True),  # BuildKit's suffix shortcut
    ("**/file", "dir/barfile", False), ("**/file*.txt", "dir/dir/file.txt", True),
    ("**/**/*.txt2", "dir/dir/file.txt", False), ("**/*.txt", "file.txt", True),
    ("a**/*.txt", "a/dir/dir/file.txt", True), ("a**", "ab/c", True),  # the prefix shortcut
    ("a/*.txt", "a/dir/file.txt", False), ("a/*.txt", "a/file.txt", True), ("a/*.txt**", "a/file.txt", True),
    ("a[b-d]e", "ace", True), ("a[b-d]e", "aae", False), ("a[^b-d]e", "aze", True),
    (".*", ".foo", True), (".*", "foo", False), ("abc.def", "abcdef", False), ("abc?def", "abcZdef", True),
    ("abc?def", "abc/def", False), ("a\\*b", "a*b", True), ("a\\*b", "axb", False),
    ("a(b)c/def", "a(b)c/def", True), ("a.|)$(}+{bc", "a.|)$(}+{bc", True),
    ("*", "a/b/c", True),  # a directory that matches takes its whole tree
    ("*.pem", "certs/key.pem", False),  # patterns are anchored at the context root
    ("/node_modules", "node_modules/x/index.js", True), ("./node_modules", "node_modules", True),
    ("node_modules/", "node_modules/x", True), ("a/../b", "b", True), ("a/../b", "a/b", False),
]


@pytest.mark.parametrize("pattern,path,excluded", CASES)
def test_buildkit_cases(pattern, path, excluded):
    assert ignoring([pattern]).excluded(path) is excluded


@pytest.mark.parametrize("patterns,path,excluded", [
    (["docs", "!docs/README.md"], "docs/README.md", False),
    (["docs", "!docs/README.md"], "docs/other.md", True),
    (["docs/*", "!docs/README.md"], "docs/README.md", False),
    (["*.go", "!fileutils.go"], "fileutils.go", False),
    (["!fileutils.go", "*.go"], "fileutils.go", True),  # the last pattern that matches decides
    (["**", "!util/web"], "util/web/foo", False),  # an exception on a directory re-includes its tree
    (["**", "!util/web", "util/web/foo"], "util/web/foo", True),
    (["dir", "!dir/keep"], "dir/keep/inner", False),
    (["*", "!src", "src/*.tmp"], "src/a.tmp", True),
])
def test_exceptions_last_match_wins(patterns, path, excluded):
    assert ignoring(patterns).excluded(path) is excluded


def test_reading_the_file():
    text = "\ufeff# comment\n /a/b/ \n! ./x\n  #not a comment\r\n\n\t\n!/y/../z\n"
    assert read_patterns(text) == ["a/b", "!x", "#not a comment", "!z"]


def test_a_leading_slash_is_dropped_by_the_file_reader_only():
    assert Matcher(["/a"]).excluded("a") is False  # as BuildKit's matcher given the pattern itself
    assert ignoring(["/a"]).excluded("a") is True


def test_the_root_itself_is_never_excluded():
    assert Matcher(["*"]).excluded(".") is False
    assert Matcher(["**"]).excluded("./") is False


@pytest.mark.parametrize("patterns", [["!"], ["["], ["a\\"], ["[]a]"], ["x[a-]"], ["!/"]])
def test_patterns_the_build_refuses(patterns):
    with pytest.raises(IgnoreError):
        Matcher.from_text("\n".join(patterns) + "\n")


def test_clean_is_gos_path_clean():
    assert [clean(p) for p in ["", "./a", "a//b/", "/../a", "../a/..", "//x", "a/./b/.."]] == \
        [".", "a", "a/b", "/a", "..", "/x", "a"]


# -------------------------------------------------------------------------------------------- oracles

_SEGMENT = st.sampled_from(["a", "b", "ab", "*", "a*", "*b", "?b", "*.c", "a.c"])
_PATH_SEGMENT = st.sampled_from(["a", "b", "ab", "a.c", "b.c", "aa", "bb"])
_PATHS = st.lists(_PATH_SEGMENT, min_size=1, max_size=4).map("/".join)


@st.composite
def _plain_pattern(draw):
    body = "/".join(draw(st.lists(_SEGMENT, min_size=1, max_size=3)))
    lead = draw(st.sampled_from(["", "/", "./"]))
    trail = draw(st.sampled_from(["", "", "/"]))
    bang = draw(st.sampled_from(["", "", "!"]))
    return bang + lead + body + trail


@settings(max_examples=400, deadline=None)
@given(st.lists(_plain_pattern(), min_size=1, max_size=5), st.lists(_PATHS, min_size=1, max_size=6))
def test_agrees_with_docker_py_without_double_stars(patterns, paths):
    ours = ignoring(patterns)
    theirs = docker_build.PatternMatcher(list(patterns))
    for path in paths:
        assert ours.excluded(path) == theirs.matches(path), (patterns, path)


_DOUBLE = st.sampled_from(["**/{0}", "{0}/**", "{0}/**/{1}", "**/{0}/{1}", "{0}/*/{1}"])
_LITERAL = st.sampled_from(["a", "b", "ab", "a.c", "*.c", "a*"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_DOUBLE, _LITERAL, _LITERAL), min_size=1, max_size=3), st.lists(_PATHS, min_size=1, max_size=6))
def test_agrees_with_gitwildmatch_on_anchored_double_stars(shapes, paths):
    patterns = [shape.format(x, y) for shape, x, y in shapes]
    ours = ignoring(patterns)
    theirs = pathspec.PathSpec.from_lines("gitwildmatch", patterns)
    for path in paths:
        assert ours.excluded(path) == theirs.match_file(path), (patterns, path)


@settings(max_examples=300, deadline=None)
@given(st.lists(_plain_pattern(), max_size=5), _PATHS, _PATH_SEGMENT)
def test_an_excluded_directory_excludes_its_children(patterns, path, child):
    m = ignoring([p for p in patterns if not p.startswith("!")])
    if m.excluded(path):
        assert m.excluded(path + "/" + child)


@settings(max_examples=300, deadline=None)
@given(st.lists(_plain_pattern(), max_size=5), _PATHS)
def test_a_last_literal_pattern_decides(patterns, path):
    assert ignoring(patterns + [path]).excluded(path) is True
    assert ignoring(patterns + ["!" + path]).excluded(path) is False
    assert ignoring(patterns + ["/" + path]).excluded(path) is True
    assert ignoring(patterns + ["!./" + path]).excluded(path) is False


@settings(max_examples=200, deadline=None)
@given(st.lists(_plain_pattern(), min_size=1, max_size=5), _PATHS)
def test_reading_a_file_gives_the_same_patterns(patterns, path):
    text = "# header\n" + "\n".join("  " + p + " " for p in patterns) + "\n"
    assert Matcher.from_text(text).excluded(path) == ignoring(patterns).excluded(path)
