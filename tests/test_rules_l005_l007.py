"""L005 apt-no-install-recommends, L006 copy-then-chmod, L007 copied-then-deleted: findings, fixes, corpus."""
import difflib
import itertools

import dockerfile
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source
from dlint.syntax import decode, parse

from conftest import corpus_files


def findings(text, code, **settings):
    result = check_source("Dockerfile", text.encode(), Settings(enabled={code}, **settings))
    assert not result.problems, [p.render() for p in result.problems]
    return [d for d in result.diagnostics if d.code == code]


def fixed(text, code, unsafe=True):
    """The text after `dlint fix --select code` (BuildKit must accept it; a second fix changes nothing)."""
    settings = Settings(enabled={code})
    new, _, problem = fix_text("Dockerfile", text, settings, unsafe)
    assert problem is None, problem.render()
    if new != text:
        dockerfile.parse_string(new)
        again, _, _ = fix_text("Dockerfile", new, settings, unsafe)
        assert again == new, "a second fix changed the file"
    return new


# ------------------------------------------------------------------------------------------- L005

def test_l005_reports_apt_get_and_apt_install_at_the_command():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl \\\n"
            "    && apt install -y git\n")
    ds = findings(text, "L005")
    assert [(d.line, d.column) for d in ds] == [(2, 23), (3, 8)]
    assert "apt-get install" in ds[0].message and "apt install" in ds[1].message
    assert all(d.severity == "info" and d.fix.applicability == "unsafe" for d in ds)


def test_l005_fix_inserts_the_option_after_install_and_only_with_unsafe_fixes():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get -q install -y curl\n"
            "RUN sudo apt-get install\\\n"
            "  -y git\n")
    assert fixed(text, "L005", unsafe=False) == text
    assert fixed(text, "L005") == ("FROM debian:12\n"
                                   "RUN apt-get update && apt-get -q install --no-install-recommends -y curl\n"
                                   "RUN sudo apt-get install --no-install-recommends\\\n"
                                   "  -y git\n")


def test_l005_fix_keeps_everything_else_as_buildkit_reads_it():
    text = ("FROM debian:12\r\n"
            "RUN apt-get install -y a \\\r\n"
            "    # a comment inside the RUN\r\n"
            "    b && apt-get install c\r\n"
            'RUN ["apt-get", "install", "-y", "d"]\r\n')
    new = fixed(text, "L005")
    assert new.count("\r\n") == text.count("\r\n") and "\n" not in new.replace("\r\n", "")
    before, after = dockerfile.parse_string(text), dockerfile.parse_string(new)
    assert [i.cmd for i in after] == [i.cmd for i in before]
    assert after[1].value[0] == before[1].value[0].replace("install", "install --no-install-recommends")
    assert after[2].value == ("apt-get", "install", "--no-install-recommends", "-y", "d")


def test_l005_fix_in_a_heredoc_body():
    text = "FROM debian:12\nRUN <<EOF\nset -e\napt-get install -y \\\n  curl\nEOF\n"
    assert fixed(text, "L005") == ("FROM debian:12\nRUN <<EOF\nset -e\n"
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
    assert not findings(f"FROM debian:12\nRUN {run}\n", "L005")


def test_l005_apt_configuration_written_earlier_counts():
    conf = "RUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/99norecommends\n"
    assert not findings("FROM debian:12\n" + conf + "RUN apt-get install -y curl\n", "L005")
    # in a stage this one builds on
    assert not findings("FROM debian:12 AS base\n" + conf + "FROM base\nRUN apt-get install -y curl\n", "L005")
    # a copied configuration file: its content is not known, so it is trusted
    assert not findings("FROM debian:12\nCOPY norecommends /etc/apt/apt.conf.d/\nRUN apt-get install -y curl\n",
                        "L005")
    # after the install it does not help
    assert len(findings("FROM debian:12\nRUN apt-get install -y curl\n" + conf, "L005")) == 1
    # in the same RUN: the commands after it see it, those before do not
    same = ("FROM debian:12\nRUN apt-get install -y a && echo 'APT::Install-Recommends \"false\";' "
            "> /etc/apt/apt.conf.d/00x && apt-get install -y b\n")
    ds = findings(same, "L005")
    assert len(ds) == 1 and ds[0].column == 5
    # an option that only mentions the setting is not a configuration file
    other = "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y a\nRUN apt-get install -y b\n"
    assert [d.line for d in findings(other, "L005")] == [3]


def test_l005_only_in_stages_that_ship():
    text = ("FROM debian:12 AS build\n"
            "RUN apt-get install -y gcc\n"
            "FROM debian:12 AS base\n"
            "RUN apt-get install -y wget\n"
            "FROM base\n"
            "RUN apt-get install -y curl\n")
    assert [d.line for d in findings(text, "L005")] == [4, 6]
    assert [d.line for d in findings(text, "L005", target="build")] == [2]


def test_l005_option_from_a_variable():
    text = ("FROM debian:12\nENV APT_OPTS=--no-install-recommends\nRUN apt-get install -y $APT_OPTS curl\n"
            "RUN apt-get install -y wget\n")
    assert [d.line for d in findings(text, "L005")] == [4]


def test_l005_hadolint_ignore_comment():
    text = "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y curl\n"
    assert not findings(text, "L005")


# ------------------------------------------------------------------------------------------- L006

def test_l006_octal_chmod_moves_into_copy():
    text = ("FROM python:3.13-slim\n"
            "COPY entrypoint.sh /usr/local/bin/\n"
            "# make it runnable\n"
            "RUN chmod 0755 /usr/local/bin/entrypoint.sh\n"
            'ENTRYPOINT ["entrypoint.sh"]\n')
    [d] = findings(text, "L006")
    assert d.line == 4 and d.severity == "warning" and d.fix.applicability == "safe"
    assert "line 2" in d.rendered_message and "COPY --chmod=0755" in d.rendered_message
    assert fixed(text, "L006", unsafe=False) == ("FROM python:3.13-slim\n"
                                                 "COPY --chmod=0755 entrypoint.sh /usr/local/bin/\n"
                                                 "# make it runnable\n"
                                                 'ENTRYPOINT ["entrypoint.sh"]\n')


def test_l006_chown_and_chmod_after_existing_flags():
    text = ("FROM debian:12\n"
            "WORKDIR /etc/app\n"
            "COPY --from=build --link app.conf /etc/app/app.conf\n"
            "RUN chown app:app /etc/app/app.conf && chmod 600 /etc/app/app.conf\n")
    new = fixed(text, "L006")
    assert new == ("FROM debian:12\nWORKDIR /etc/app\n"
                   "COPY --from=build --link --chown=app:app --chmod=600 app.conf /etc/app/app.conf\n")
    assert dockerfile.parse_string(new)[2].flags == ("--from=build", "--link", "--chown=app:app", "--chmod=600")


@pytest.mark.parametrize("before,fixable", [
    ("", False),  # the COPY would create /opt/app, owned by app with --chown
    ("WORKDIR /opt/app\n", True),
    ("WORKDIR /opt/app/sub\n", True),
    ("RUN mkdir -p /opt/app\n", True),
    ("COPY other.conf /opt/app/\n", True),
])
def test_l006_chown_only_when_the_directory_exists(before, fixable):
    text = f"FROM debian:12\n{before}COPY app.conf /opt/app/app.conf\nRUN chown app /opt/app/app.conf\n"
    [d] = findings(text, "L006")
    assert (d.fix is not None) == fixable, d.rendered_message
    if not fixable:
        assert "may create /opt/app" in d.rendered_message
    # a mode alone does not matter: COPY creates missing directories with mode 755 whatever --chmod says
    assert findings(text.replace("chown app", "chmod 600"), "L006")[0].fix is not None


def test_l006_chown_of_a_user_keeps_the_group():
    text = "FROM debian:12\nCOPY app.conf /etc/app.conf\nRUN chown 1000 /etc/app.conf\n"
    # COPY --chown=1000 would also set the group to 1000; chown leaves it at 0
    assert fixed(text, "L006") == "FROM debian:12\nCOPY --chown=1000:0 app.conf /etc/app.conf\n"


def test_l006_identical_flag_is_kept_and_a_conflicting_one_blocks_the_fix():
    same = "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\nRUN chown app:app /run.sh\n"
    assert fixed(same, "L006") == "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\n"
    other = "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\nRUN chown root:root /run.sh\n"
    [d] = findings(other, "L006")
    assert d.fix is None and "already has --chown=app:app" in d.rendered_message


@pytest.mark.parametrize("copy,run,why", [
    ("COPY run.sh /run.sh", "RUN chmod u+x /run.sh", "symbolic"),
    ("COPY run.sh /run.sh", "RUN chmod u+x,g+x /run.sh", "symbolic"),
    ("COPY . /app", "RUN chown -R app:app /app", "recursive change of a directory"),
    ("COPY a.sh b.sh /bin/", "RUN chmod 755 /bin/a.sh /bin/b.sh", "more than one path"),
    ("COPY runner /opt/tool/runner", "RUN chmod 755 /opt/tool/runner", "file or a directory"),
    ("COPY run.sh /run.sh", "RUN chmod 755 /run.sh /etc/other", "more than one path"),
    ("COPY run.sh /run.sh", "RUN chmod 755 /run.sh || true", "other than &&"),
    ("COPY run.sh /run.sh", "RUN chmod 4755 /run.sh", "cannot be set exactly"),
    ("COPY run.sh /run.sh", "RUN chown -h app /run.sh", "no COPY equivalent"),
    ("COPY run.sh /run.sh", "RUN chown app: /run.sh", "not a plain user"),
    ("COPY run.sh /run.sh", "RUN chgrp staff /run.sh", "chgrp"),
])
def test_l006_reported_without_fix(copy, run, why):
    text = f"FROM debian:12\n{copy}\n{run}\n"
    [d] = findings(text, "L006")
    assert d.fix is None and why in d.no_fix_reason, d.rendered_message
    assert fixed(text, "L006") == text


def test_l006_mode_without_execute_bits_is_a_file():
    text = "FROM debian:12\nADD crontab /etc/crontab\nRUN chmod 644 /etc/crontab\n"
    assert fixed(text, "L006") == "FROM debian:12\nADD --chmod=644 crontab /etc/crontab\n"


@pytest.mark.parametrize("copy,run,result", [
    ("COPY <<EOF /start.sh\n#!/bin/sh\nexec app\nEOF", "RUN chmod 755 /start.sh",
     "COPY --chmod=755 <<EOF /start.sh\n#!/bin/sh\nexec app\nEOF"),
    ("ADD https://example.com/tool /usr/local/bin/tool", 'RUN ["chmod", "755", "/usr/local/bin/tool"]',
     "ADD --chmod=755 https://example.com/tool /usr/local/bin/tool"),
    ('COPY ["start.sh", "/"]', "RUN chmod 700 /start.sh", 'COPY --chmod=700 ["start.sh", "/"]'),
    ("copy \\\n    start.sh /srv/", "run chmod 700 start.sh", "copy --chmod=700 \\\n    start.sh /srv/"),
])
def test_l006_fix_forms(copy, run, result):
    text = f"FROM debian:12\nWORKDIR /srv\n{copy}\n{run}\nCMD [\"/start.sh\"]\n"
    assert fixed(text, "L006") == f"FROM debian:12\nWORKDIR /srv\n{result}\nCMD [\"/start.sh\"]\n"


def test_l006_deleted_run_keeps_its_inner_comments_and_crlf():
    text = "FROM debian:12\r\nCOPY a.py /app/\r\nRUN chmod 640 \\\r\n# owner only\r\n  /app/a.py\r\nUSER app\r\n"
    assert fixed(text, "L006") == "FROM debian:12\r\nCOPY --chmod=640 a.py /app/\r\n# owner only\r\nUSER app\r\n"


def test_l006_paths_through_workdir_and_variables():
    text = ("FROM debian:12\n"
            "ENV APP_HOME=/opt/app\n"
            "WORKDIR $APP_HOME\n"
            "COPY run.sh ${APP_HOME}/bin/\n"
            "WORKDIR bin\n"
            'RUN chmod 755 "$APP_HOME/bin/run.sh"\n')
    assert fixed(text, "L006").splitlines()[3] == "COPY --chmod=755 run.sh ${APP_HOME}/bin/"
    relative = "FROM debian:12\nWORKDIR /app\nCOPY run.sh .\nRUN chmod 755 ./run.sh\n"
    assert fixed(relative, "L006") == "FROM debian:12\nWORKDIR /app\nCOPY --chmod=755 run.sh .\n"


def test_l006_later_run_when_nothing_between_touches_the_file():
    text = ("FROM debian:12\n"
            "COPY run.sh /run.sh\n"
            "RUN apt-get update\n"
            "RUN chmod 755 /run.sh\n")
    [d] = findings(text, "L006")
    assert d.fix is None and "stand between" in d.rendered_message
    # a RUN that names the file may rewrite it: the chmod is then about that file
    touched = "FROM debian:12\nCOPY run.sh /run.sh\nRUN sed -i s/a/b/ /run.sh\nRUN chmod 755 /run.sh\n"
    assert not findings(touched, "L006")


def test_l006_recursive_change_lists_every_copy_under_it():
    text = ("FROM node:22-slim\n"
            "WORKDIR /app\n"
            "COPY package.json package-lock.json ./\n"
            "RUN npm ci\n"
            "COPY . .\n"
            "RUN chown -R node:node /app\n")
    [d] = findings(text, "L006")
    assert d.line == 6 and "lines 3 and 5" in d.rendered_message and "COPY --chown=node:node" in d.rendered_message
    removed = text.replace("RUN npm ci\n", "RUN npm ci && rm -rf /app\n")
    assert [d.rendered_message for d in findings(removed, "L006")][0].count("line 5") == 1


@pytest.mark.parametrize("text", [
    # a build stage: its layers do not ship
    "FROM debian:12 AS build\nCOPY run.sh /run.sh\nRUN chmod 755 /run.sh\n"
    "FROM debian:12\nCOPY --from=build /run.sh /\n",
    # another path
    "FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod 755 /other.sh\n",
    # the RUN does more than change modes
    "FROM debian:12\nCOPY run.sh /run.sh\nRUN chmod 755 /run.sh && /run.sh\n",
    # only the directory itself changes
    "FROM debian:12\nCOPY . /app\nRUN chown app /app\n",
    "FROM debian:12\nCOPY --from=build /app/dist /var/www/html\nRUN chown nginx /var/www/html\n",
    # a file inside a copied directory, but a RUN in between may have made it
    "FROM debian:12\nCOPY . /app\nRUN make -C /app\nRUN chmod 755 /app/out/tool\n",
    # a mount: the change may be of the mounted files
    "FROM debian:12\nCOPY run.sh /run.sh\nRUN --mount=type=cache,target=/x chmod 755 /run.sh\n",
    # a later COPY of a directory may have replaced the file, and a RUN after it may have too
    "FROM debian:12\nCOPY run.sh /srv/run.sh\nCOPY srv /srv/\nRUN apt-get update\nRUN chmod 755 /srv/run.sh\n",
])
def test_l006_quiet(text):
    assert not findings(text, "L006")


@pytest.mark.parametrize("text", [
    "FROM debian:12\nCOPY . /usr/config\nRUN set -e && chmod +x /usr/config/entrypoint.sh\n",
    "FROM debian:12\nCOPY a.sh b.sh /bin/\nRUN chmod 755 /bin/a.sh\n",
])
def test_l006_part_of_a_broad_copy_is_not_reported(text):
    """COPY --chmod would change every other file the COPY wrote, and the bytes stored again are a few files
    out of many: not worth a finding."""
    assert not findings(text, "L006")


# ------------------------------------------------------------------------------------------- L007

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
    [d] = findings(text, "L007")
    assert d.line == line and d.rendered_message.startswith(path + " copied here")
    assert d.fix is None and d.severity == "warning"
    assert "--mount=type=bind" in d.rendered_message and "build stage" in d.rendered_message
    assert fixed(text, "L007") == text


def test_l007_alternatives_fit_the_source():
    archive = "FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"
    [d] = findings(archive, "L007")
    assert "source=app.tar.gz,target=/tmp/app.tar.gz" in d.rendered_message and "ADD app.tar.gz" in d.rendered_message
    stage = "FROM debian:12\nCOPY --from=build /out/app.deb /tmp/\nRUN dpkg -i /tmp/app.deb && rm /tmp/app.deb\n"
    [d] = findings(stage, "L007")
    assert "from=build,source=/out/app.deb,target=/tmp/app.deb" in d.rendered_message and "ADD" not in d.rendered_message
    url = "FROM debian:12\nADD https://example.com/get-tool /tmp/\nRUN sh /tmp/get-tool && rm /tmp/get-tool\n"
    [d] = findings(url, "L007")
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
    assert not findings(text, "L007")


def test_l007_a_later_copy_to_the_same_path_is_the_one_deleted():
    text = "FROM debian:12\nCOPY a.bin /tmp/a.bin\nCOPY b.bin /tmp/a.bin\nRUN rm /tmp/a.bin\n"
    assert [d.line for d in findings(text, "L007")] == [3]


def test_l007_suppressed_by_an_ignore_comment():
    text = "FROM debian:12\n# dlint: ignore=L007\nCOPY a.bin /tmp/\nRUN rm /tmp/a.bin\n"
    assert not findings(text, "L007")


# ------------------------------------------------------------------------------------------- corpus

@pytest.fixture(scope="module")
def corpus_findings():
    """(path, text, L005-L007 findings) for every corpus file that parses."""
    files = corpus_files()
    if not files:
        pytest.skip("corpus not present")
    out = []
    for path in files:
        data = open(path, "rb").read()
        text = decode(data)
        try:
            parse(text)
        except ValueError:
            continue
        result = check_source(path, data, Settings(enabled={"L005", "L006", "L007"}))
        out.append((path, text, result.diagnostics))
    return out


def _only_inserted(before: str, after: str, piece: str) -> bool:
    """Whether ``after`` is ``before`` with copies of ``piece`` inserted and nothing else changed."""
    spots = [i for i in range(len(after)) if after.startswith(piece, i)]
    extra = (len(after) - len(before)) // len(piece)
    for chosen in itertools.combinations(spots, extra):
        out, pos = [], 0
        for i in chosen:
            out.append(after[pos:i])
            pos = i + len(piece)
        if "".join(out) + after[pos:] == before:
            return True
    return False


def _key(ins):
    """An instruction with what the fixes may add left out (to pair instructions before and after a fix)."""
    if ins.cmd == "RUN":
        value = tuple(v.replace(" --no-install-recommends", "") for v in ins.value if v != "--no-install-recommends")
        return ins.cmd, ins.flags, value
    if ins.cmd in ("COPY", "ADD"):
        return ins.cmd, tuple(f for f in ins.flags if not f.startswith(("--chmod=", "--chown="))), ins.value
    return ins.cmd, ins.flags, ins.value


def test_corpus_fixes_change_only_what_they_mean_to(corpus_findings):
    """Over the corpus, with --unsafe-fixes and only these rules: BuildKit reads each fixed file as the same
    instructions, except for the option L005 inserts, the flags L006 adds to COPY/ADD and the chmod/chown
    RUNs it deletes; a second fix changes nothing."""
    settings = Settings(enabled={"L005", "L006", "L007"})
    changed = deleted = 0
    for path, text, diags in corpus_findings:
        if not any(d.fix for d in diags):
            continue
        new, _, problem = fix_text(path, text, settings, True)
        assert problem is None, problem.render()
        if new == text:
            continue
        changed += 1
        before, after = list(dockerfile.parse_string(text)), list(dockerfile.parse_string(new))
        assert fix_text(path, new, settings, True)[0] == new, path
        ops = difflib.SequenceMatcher(None, [_key(i) for i in before], [_key(i) for i in after],
                                      autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in ops:
            if op == "delete":
                for ins in before[i1:i2]:
                    words = " ".join(ins.value).split()
                    assert ins.cmd == "RUN" and words[0] in ("chmod", "chown", "set"), (path, ins.original)
                    deleted += 1
                continue
            assert op == "equal", (path, op, [i.original for i in before[i1:i2]], [i.original for i in after[j1:j2]])
            for ins, other in zip(before[i1:i2], after[j1:j2]):
                if ins.cmd in ("COPY", "ADD"):
                    assert other.value == ins.value and set(ins.flags) <= set(other.flags), path
                    assert all(f.startswith(("--chmod=", "--chown=")) for f in set(other.flags) - set(ins.flags))
                elif ins.cmd == "RUN" and not ins.json:
                    assert _only_inserted(ins.value[0], other.value[0], " --no-install-recommends"), path
                else:
                    assert other == ins._replace(original=other.original, start_line=other.start_line,
                                                 end_line=other.end_line) or (
                        ins.cmd == "RUN" and tuple(v for v in other.value if v != "--no-install-recommends")
                        == ins.value), path
    assert changed > 0 and deleted > 0


def test_corpus_findings_are_where_the_rules_say(corpus_findings):
    """Every finding is in a stage that ships, on the instruction kind the rule reports on."""
    from dlint.stages import StageGraph

    seen = set()
    for path, text, diags in corpus_findings:
        if not diags:
            continue
        doc = parse(text)
        graph = StageGraph(doc)
        for d in diags:
            ins = next(i for i in doc.instructions if i.start <= d.start < i.end)
            assert graph.stage_index(ins) in graph.shipping, (path, d.line)
            expected = {"L005": ("RUN",), "L006": ("RUN",), "L007": ("COPY", "ADD")}[d.code]
            assert ins.name in expected, (path, d.line, d.code)
            seen.add(d.code)
    assert seen == {"L005", "L006", "L007"}


@pytest.mark.parametrize("name", ["no-pic.patch", "install-deps.sh", "app.conf", "settings.json", "key.pem"])
def test_l007_a_small_text_file_is_not_worth_a_finding(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN cat /tmp/{name} && rm /tmp/{name}\n"
    assert not findings(text, "L007")
    # the same file in a copied directory that is deleted whole is reported (the directory may be large)
    text = f"FROM debian:12\nCOPY files/ /tmp/files/\nRUN cat /tmp/files/{name} && rm -rf /tmp/files\n"
    assert [d.line for d in findings(text, "L007")] == [2]


@pytest.mark.parametrize("name", ["Miniconda3-latest-Linux-x86_64.sh", "app.tar.gz", "tool", "app.jar"])
def test_l007_files_that_may_be_large_are_reported(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN sh /tmp/{name} && rm /tmp/{name}\n"
    assert [d.line for d in findings(text, "L007")] == [2]


def test_l005_install_purged_with_autoremove_in_the_same_run_is_quiet():
    purged = ("FROM debian:12\nRUN apt-get update && apt-get install -y $DEPS sqlite3 && make "
              "&& apt-get purge -y $DEPS sqlite3 && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*\n")
    assert not findings(purged, "L005")
    auto = "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc\n"
    assert not findings(auto, "L005")
    # a package that stays, or a purge that leaves the automatic packages behind, keeps the finding
    stays = "FROM debian:12\nRUN apt-get install -y gcc curl && make && apt-get purge -y --auto-remove gcc\n"
    assert len(findings(stays, "L005")) == 1
    no_auto = "FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc\n"
    assert len(findings(no_auto, "L005")) == 1
    before = "FROM debian:12\nRUN apt-get purge -y --auto-remove gcc && apt-get install -y gcc\n"
    assert len(findings(before, "L005")) == 1


@pytest.mark.parametrize("name", ["CMakeLists.txt.tmp", "nginx.conf.orig", "app.ini.example"])
def test_l007_a_copy_of_a_small_text_file_keeps_its_kind(name):
    text = f"FROM debian:12\nCOPY {name} /tmp/\nRUN cat /tmp/{name} && rm /tmp/{name}\n"
    assert not findings(text, "L007")
    # an archive with such a suffix is still an archive
    big = "FROM debian:12\nCOPY app.tar.gz.tmp /tmp/\nRUN tar -xzf /tmp/app.tar.gz.tmp && rm /tmp/app.tar.gz.tmp\n"
    assert [d.line for d in findings(big, "L007")] == [2]
