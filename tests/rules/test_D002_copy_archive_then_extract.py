"""D002: an archive copied in and then extracted by a RUN of the same stage."""
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "D002")]


def test_copy_then_tar_x_is_reported_on_the_copy():
    text = "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"
    [d] = findings(text, "D002")
    assert d.line == 2 and "line 3" in d.message
    assert fixed(text, "D002") == text


def test_other_extractors_and_forms():
    assert lines("FROM debian:12\nCOPY x.zip.gz /t/\nRUN gunzip /t/x.zip.gz\n") == [2]
    assert lines("FROM debian:12\nCOPY a.tgz /t/\nRUN tar xzf /t/a.tgz\n") == [2]  # old-style flags
    assert lines("FROM debian:12\nCOPY a.tar /t/\nRUN tar --extract -f /t/a.tar\n") == [2]
    assert lines("FROM debian:12\nCOPY dist /t/pkg.tar\nRUN [\"tar\", \"-xf\", \"/t/pkg.tar\"]\n") == [2]
    assert lines("FROM debian:12\nCOPY a.tar.xz /t/\nRUN sh -c 'tar -xJf /t/a.tar.xz'\n") == [2]


def test_heredoc_run_and_onbuild_copy():
    text = "FROM debian:12\nCOPY a.tar.gz /t/\nRUN <<EOF\nset -e\ntar -xzf /t/a.tar.gz\nEOF\n"
    assert lines(text) == [2]
    assert not lines("FROM debian:12\nONBUILD COPY a.tar.gz /t/\nRUN tar -xzf /t/a.tar.gz\n")


def test_not_reported():
    # created, listed, another file, another stage, from another stage, --exclude is no extract flag
    assert not lines("FROM debian:12\nCOPY a.tar.gz /t/\nRUN tar -tzf /t/a.tar.gz\n")
    assert not lines("FROM debian:12\nCOPY a.tar.gz /t/\nRUN tar -czf /t/b.tar.gz /src --exclude=x\n")
    assert not lines("FROM debian:12\nCOPY a.tar.gz /t/\nRUN tar --exclude=y -f /t/a.tar.gz -c\n")
    assert not lines("FROM debian:12\nCOPY a.tar.gz /t/\nFROM debian:12\nRUN tar -xzf /t/a.tar.gz\n")
    assert not lines("FROM debian:12\nCOPY --from=build /a.tar.gz /t/\nRUN tar -xzf /t/a.tar.gz\n")
    assert not lines("FROM debian:12\nCOPY app.jar /t/\nRUN unzip /t/app.jar\n")


def test_one_finding_per_copy():
    text = "FROM debian:12\nCOPY a.tgz b.tgz /t/\nRUN tar -xzf /t/a.tgz && tar -xzf /t/b.tgz\n"
    assert lines(text) == [2]
