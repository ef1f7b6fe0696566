"""L005 apt-no-install-recommends: where it reports, what it leaves alone, the fix."""
import pytest
import dockerfile

from snippets import strict_findings, checked_fix


def test_l005_reports_each_install_on_its_run_naming_the_command():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl \\\n"
            "    && apt install -y git\n")
    ds = strict_findings(text, "L005")
    # on the RUN, where hadolint reports DL3015; the message says where each command is
    assert [(d.line, d.column) for d in ds] == [(2, 1), (2, 1)]
    assert "(line 2, column 23)" in ds[0].message and "(line 3, column 8)" in ds[1].message
    assert "apt-get install" in ds[0].message and "apt install" in ds[1].message
    assert all(d.severity == "info" and d.fix.applicability == "unsafe" for d in ds)


def test_l005_fix_inserts_the_option_after_install_and_only_with_unsafe_fixes():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get -q install -y curl\n"
            "RUN sudo apt-get install\\\n"
            "  -y git\n")
    assert checked_fix(text, "L005", unsafe=False) == text
    assert checked_fix(text, "L005") == ("FROM debian:12\n"
                                   "RUN apt-get update && apt-get -q install --no-install-recommends -y curl\n"
                                   "RUN sudo apt-get install --no-install-recommends\\\n"
                                   "  -y git\n")


def test_l005_fix_keeps_everything_else_as_buildkit_reads_it():
    text = ("FROM debian:12\r\n"
            "RUN apt-get install -y a \\\r\n"
            "    # a comment inside the RUN\r\n"
            "    b && apt-get install c\r\n"
            'RUN ["apt-get", "install", "-y", "d"]\r\n')
    new = checked_fix(text, "L005")
    assert new.count("\r\n") == text.count("\r\n") and "\n" not in new.replace("\r\n", "")
    before, after = dockerfile.parse_string(text), dockerfile.parse_string(new)
    assert [i.cmd for i in after] == [i.cmd for i in before]
    assert after[1].value[0] == before[1].value[0].replace("install", "install --no-install-recommends")
    assert after[2].value == ("apt-get", "install", "--no-install-recommends", "-y", "d")


def test_l005_fix_in_a_heredoc_body():
    text = "FROM debian:12\nRUN <<EOF\nset -e\napt-get install -y \\\n  curl\nEOF\n"
    assert checked_fix(text, "L005") == ("FROM debian:12\nRUN <<EOF\nset -e\n"
                                   "apt-get install --no-install-recommends -y \\\n  curl\nEOF\n")


@pytest.mark.parametrize("run", [
    "apt-get install -y --no-install-recommends curl",
    "apt-get install -y -o APT::Install-Recommends=false curl",
    "apt-get -o APT::Install-Recommends=0 install -y curl",
    "apt-get install -y -oAPT::Install-Recommends=no curl",
    "apt-get update",
    "apt-get install -s curl",
    "if apt-get install --simulate curl > /dev/null; then echo ok; fi",
    "apt-get remove -y curl",
    "aptitude install -y curl",
    "echo apt-get install curl",
])
def test_l005_quiet(run):
    assert not strict_findings(f"FROM debian:12\nRUN {run}\n", "L005")


def test_l005_apt_configuration_written_earlier_counts():
    conf = "RUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\n"
    assert not strict_findings("FROM debian:12\n" + conf + "RUN apt-get install -y curl\n", "L005")
    # in a stage this one builds on
    assert not strict_findings("FROM debian:12 AS base\n" + conf + "FROM base\nRUN apt-get install -y curl\n", "L005")
    # a copied configuration file: its content is not known, so it is trusted
    assert not strict_findings("FROM debian:12\nCOPY norecommends /etc/apt/apt.conf.d/\nRUN apt-get install -y curl\n",
                        "L005")
    # after the install it does not help
    assert len(strict_findings("FROM debian:12\nRUN apt-get install -y curl\n" + conf, "L005")) == 1
    # in the same RUN: the commands after it see it, those before do not
    same = ("FROM debian:12\nRUN apt-get install -y a && echo 'APT::Install-Recommends \"false\";' "
            "> /etc/apt/apt.conf.d/00x && apt-get install -y b\n")
    ds = strict_findings(same, "L005")
    assert len(ds) == 1 and "(line 2, column 5)" in ds[0].message
    # an option that only mentions the setting is not a configuration file
    other = "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y a\nRUN apt-get install -y b\n"
    assert [d.line for d in strict_findings(other, "L005")] == [3]


def test_l005_only_in_stages_that_ship():
    text = ("FROM debian:12 AS build\n"
            "RUN apt-get install -y gcc\n"
            "FROM debian:12 AS base\n"
            "RUN apt-get install -y wget\n"
            "FROM base\n"
            "RUN apt-get install -y curl\n")
    assert [d.line for d in strict_findings(text, "L005")] == [4, 6]
    assert [d.line for d in strict_findings(text, "L005", target="build")] == [2]


def test_l005_option_from_a_variable():
    text = ("FROM debian:12\nENV APT_OPTS=--no-install-recommends\nRUN apt-get install -y $APT_OPTS curl\n"
            "RUN apt-get install -y wget\n")
    assert [d.line for d in strict_findings(text, "L005")] == [4]


def test_l005_hadolint_ignore_comment():
    text = "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y curl\n"
    assert not strict_findings(text, "L005")


def test_l005_install_purged_with_autoremove_in_the_same_run_is_quiet():
    purged = ("FROM debian:12\nRUN apt-get update && apt-get install -y $DEPS sqlite3 && make "
              "&& apt-get purge -y $DEPS sqlite3 && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*\n")
    assert not strict_findings(purged, "L005")
    auto = "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n"
    assert not strict_findings(auto, "L005")
    # a package that stays, or a purge that leaves the automatic packages behind, keeps the finding
    stays = "FROM debian:12\nRUN apt-get install -y gcc curl && make && apt-get purge -y --auto-remove gcc\n"
    assert len(strict_findings(stays, "L005")) == 1
    no_auto = "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n"
    assert len(strict_findings(no_auto, "L005")) == 1
    before = "FROM debian:12\nRUN apt-get purge -y --auto-remove gcc && apt-get install -y gcc\n"
    assert len(strict_findings(before, "L005")) == 1
