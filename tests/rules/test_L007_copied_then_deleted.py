"""L007 copied-then-deleted: files copied in and deleted by a later RUN."""
import pytest

from snippets import strict_findings, checked_fix


@pytest.mark.parametrize("text,line,path", [
    ("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n",
     2, "/tmp/app.tar.gz"),
    ("FROM debian:12\nWORKDIR /tmp\nCOPY app.deb .\nRUN dpkg -i app.deb && rm -f app.deb\n", 3, "/tmp/app.deb"),
    ("FROM debian:12\nCOPY app.deb /opt/pkgs/\nRUN cd /opt/pkgs && dpkg -i app.deb && rm app.deb\n", 2,
     "/opt/pkgs/app.deb"),
    ("FROM debian:12\nCOPY install.bin /tmp/\nRUN sh /tmp/install.bin\nRUN rm -rf /tmp/*\n", 2, "/tmp/install.bin"),
    ("FROM debian:12\nCOPY . /src\nRUN make -C /src install && rm -rf /src\n", 2, "the directory /src"),
    # a cd holds inside the subshell it ran in, nested ones included
    ("FROM debian:12\nCOPY app.deb /opt/pkgs/\nRUN (cd /opt/pkgs && (dpkg -i app.deb; rm app.deb))\n", 2,
     "/opt/pkgs/app.deb"),
    ("FROM debian:12\nCOPY app.deb /opt/pkgs/\nRUN cd /opt/pkgs && (rm app.deb)\n", 2, "/opt/pkgs/app.deb"),
    ("FROM debian:12\nCOPY scripts/ /tmp/scripts/\nRUN /tmp/scripts/setup.sh && rm -rf /tmp\n", 2,
     "the directory /tmp/scripts"),
])
def test_l007_reports_at_the_copy(text, line, path):
    [d] = strict_findings(text, "L007")
    assert d.line == line and d.rendered_message.startswith(path + " copied here")
    assert d.fix is None and d.severity == "warning"
    assert "--mount=type=bind" in d.rendered_message and "build stage" in d.rendered_message
    assert checked_fix(text, "L007") == text


def test_l007_alternatives_fit_the_source():
    archive = "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"
    [d] = strict_findings(archive, "L007")
    assert "source=app.tar.gz,target=/tmp/app.tar.gz" in d.rendered_message and "ADD app.tar.gz" in d.rendered_message
    stage = "FROM debian:12\nCOPY --from=build /out/app.deb /tmp/\nRUN dpkg -i /tmp/app.deb && rm /tmp/app.deb\n"
    [d] = strict_findings(stage, "L007")
    assert "from=build,source=/out/app.deb,target=/tmp/app.deb" in d.rendered_message and "ADD" not in d.rendered_message
    url = "FROM debian:12\nADD https://example.com/get-tool /tmp/\nRUN sh /tmp/get-tool && rm /tmp/get-tool\n"
    [d] = strict_findings(url, "L007")
    assert "curl or wget" in d.rendered_message and "--mount" not in d.rendered_message


@pytest.mark.parametrize("text", [
    # a build stage
    "FROM debian:12 AS build\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"
    "FROM debian:12\nCOPY --from=build /opt /opt\n",
    # another file
    "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN rm /tmp/other.tar.gz\n",
    # a part of a copied directory
    "FROM debian:12\nCOPY . /app\nRUN rm -rf /app/tests\n",
    # a directory without -r
    "FROM debian:12\nCOPY . /app\nRUN rm /app\n",
    # ADD unpacks a local archive: its name is not in the image
    "FROM debian:12\nADD app.tar.gz /opt/\nRUN rm -f /opt/app.tar.gz\n",
    # the cd happened in a subshell that ended
    "FROM debian:12\nWORKDIR /srv\nCOPY a.bin /tmp/\nRUN (cd /tmp && ls) && rm a.bin\n",
    # ... also when the rm is in a subshell of its own at the same depth
    "FROM debian:12\nWORKDIR /srv\nCOPY a.bin /tmp/\nRUN (cd /tmp && ls) && (rm a.bin)\n",
    "FROM debian:12\nWORKDIR /srv\nCOPY a.bin /tmp/\nRUN cd /tmp | true && rm a.bin\n",
    # a glob does not match dot files
    "FROM debian:12\nCOPY .blob /tmp/\nRUN rm -f /tmp/*\n",
    # quoted wildcard is a literal name
    "FROM debian:12\nCOPY a.bin /tmp/\nRUN rm -f '/tmp/*'\n",
])
def test_l007_quiet(text):
    assert not strict_findings(text, "L007")


def test_l007_a_later_copy_to_the_same_path_is_the_one_deleted():
    text = "FROM debian:12\nCOPY a.bin /tmp/a.bin\nCOPY b.bin /tmp/a.bin\nRUN rm /tmp/a.bin\n"
    assert [d.line for d in strict_findings(text, "L007")] == [3]


def test_l007_suppressed_by_an_ignore_comment():
    text = "FROM debian:12\n# dlint: ignore=L007\nCOPY a.bin /tmp/\nRUN rm /tmp/a.bin\n"
    assert not strict_findings(text, "L007")


@pytest.mark.parametrize("name", ["no-pic.patch", "install-deps.sh", "app.conf", "settings.json", "key.pem"])
def test_l007_a_small_text_file_is_not_worth_a_finding(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN cat /tmp/{name} && rm /tmp/{name}\n"
    assert not strict_findings(text, "L007")
    # the same file in a copied directory that is deleted whole is reported (the directory may be large)
    text = f"FROM debian:12\nCOPY files/ /tmp/files/\nRUN cat /tmp/files/{name} && rm -rf /tmp/files\n"
    assert [d.line for d in strict_findings(text, "L007")] == [2]


@pytest.mark.parametrize("name", ["Miniconda3-latest-Linux-x86_64.sh", "app.tar.gz", "tool", "app.jar"])
def test_l007_files_that_may_be_large_are_reported(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN sh /tmp/{name} && rm /tmp/{name}\n"
    assert [d.line for d in strict_findings(text, "L007")] == [2]


@pytest.mark.parametrize("name", ["CMakeLists.txt.tmp", "nginx.conf.orig", "app.ini.example"])
def test_l007_a_copy_of_a_small_text_file_keeps_its_kind(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN cat /tmp/{name} && rm /tmp/{name}\n"
    assert not strict_findings(text, "L007")
    # an archive with such a suffix is still an archive
    big = "FROM debian:12\nCOPY app.tar.gz.tmp /tmp/\nRUN tar -xzf /tmp/app.tar.gz.tmp && rm /tmp/app.tar.gz.tmp\n"
    assert [d.line for d in strict_findings(big, "L007")] == [2]
