"""D005: ADD of local files or folders."""
import dockerfile
import pytest

from dlint.inputs import read_context
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "D005")]


@pytest.mark.parametrize("add", ["ADD app.jar /app/", "ADD . /src", "ADD [\"a b\", \"/x/\"]", "ADD <<EOF /etc/motd\nhi\nEOF",
                                 "ADD --chown=app a /a", "ADD $JAR /app.jar", "ADD git@github.com:x/y.git local.txt /y/"])
def test_local_sources_are_reported(add):
    assert lines(f"FROM debian:12\n{add}\n") == [2]


@pytest.mark.parametrize("add", ["ADD https://example.com/a.txt /a", "ADD http://x/y.tar.gz /", "ADD app.tar.gz /opt/",
                                 "ADD rootfs.tar.xz /", "ADD git@github.com:moby/buildkit.git /src",
                                 "ADD https://github.com/moby/buildkit.git#v0.1 /src", "ADD data.tgz data.gz /d/"])
def test_urls_git_and_archives_are_not_reported(add):
    assert not lines(f"FROM debian:12\n{add}\n")


def test_the_fix_replaces_only_the_keyword():
    text = "FROM debian:12\nADD --chown=1:1 --chmod=644 conf.ini /etc/app/\nadd [\"a\", \"/a\"]\nAdd b \\\n  /b\n"
    assert fixed(text, "D005") == text  # a file may be a tar archive, which ADD unpacks: unsafe
    new = fixed(text, "D005", unsafe=True)
    assert new == "FROM debian:12\nCOPY --chown=1:1 --chmod=644 conf.ini /etc/app/\ncopy [\"a\", \"/a\"]\nCopy b \\\n  /b\n"
    dockerfile.parse_string(new)
    assert not findings(new, "D005")


def test_directories_are_safe(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "app.jar").write_text("")
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    text = "FROM debian:12\nADD . /src\nADD conf /etc/conf\nADD app.jar /app.jar\n"
    [a, b, c] = findings(text, "D005", context=ctx)
    assert (a.fix.applicability, b.fix.applicability, c.fix.applicability) == ("safe", "safe", "unsafe")
    assert fixed(text, "D005", context=ctx) == "FROM debian:12\nCOPY . /src\nCOPY conf /etc/conf\nADD app.jar /app.jar\n"


def test_no_fix_for_add_only_flags_heredocs_patterns_and_mixed_sources():
    for add in ("ADD --checksum=sha256:0123 a /a", "ADD --keep-git-dir=true a /a", "ADD <<EOF /etc/motd\nhi\nEOF",
                "ADD *.conf /etc/", "ADD $FILE /f"):
        [d] = findings(f"FROM debian:12\n{add}\n", "D005")
        assert d.fix is None and d.no_fix_reason
    [d] = findings("FROM debian:12\nADD https://example.com/x.txt local.txt /d/\n", "D005")
    assert d.fix is None and "`local.txt`" in d.message


def test_onbuild_add_is_left_alone_and_escape_is_read():
    assert not lines("FROM debian:12\nONBUILD ADD . /app\n")
    assert fixed("# escape=`\nFROM debian:12\nADD a `\n  /a\n", "D005", unsafe=True) == (
        "# escape=`\nFROM debian:12\nCOPY a `\n  /a\n")


def test_a_variable_that_names_a_url_or_an_archive_is_not_local():
    text = ("FROM debian:12\nARG SRC=\"https://example.com/y.txt\"\nENV PKG=tool.tar.gz\nADD $URL /a\nADD ${SRC} /b\n"
            "ADD $PKG /c\nADD $JAR /d\nADD ${DOWNLOAD_URL} /e\n")
    assert lines(text) == [7]
