"""L006 copy-then-chmod: where it reports, what it leaves alone, the fixes (COPY --chmod/--chown)."""
import pytest
import dockerfile

from snippets import strict_findings, checked_fix


def test_l006_octal_chmod_moves_into_copy():
    text = ("FROM python:3.13-slim\n"
            "COPY entrypoint.sh /usr/local/bin/\n"
            "# make it runnable\n"
            "RUN chmod 0755 /usr/local/bin/entrypoint.sh\n"
            'ENTRYPOINT ["entrypoint.sh"]\n')
    [d] = strict_findings(text, "L006")
    assert d.line == 4 and d.severity == "warning" and d.fix.applicability == "safe"
    assert "line 2" in d.rendered_message and "COPY --chmod=0755" in d.rendered_message
    assert checked_fix(text, "L006", unsafe=False) == ("FROM python:3.13-slim\n"
                                                 "COPY --chmod=0755 entrypoint.sh /usr/local/bin/\n"
                                                 "# make it runnable\n"
                                                 'ENTRYPOINT ["entrypoint.sh"]\n')


def test_l006_chown_and_chmod_after_existing_flags():
    text = ("FROM debian:12\n"
            "WORKDIR /etc/app\n"
            "COPY --from=build --link app.conf /etc/app/app.conf\n"
            "RUN chown app:app /etc/app/app.conf && chmod 600 /etc/app/app.conf\n")
    new = checked_fix(text, "L006")
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
    [d] = strict_findings(text, "L006")
    assert (d.fix is not None) == fixable, d.rendered_message
    if not fixable:
        assert "may create /opt/app" in d.rendered_message
    # a mode alone does not matter: COPY creates missing directories with mode 755 whatever --chmod says
    assert strict_findings(text.replace("chown app", "chmod 600"), "L006")[0].fix is not None


def test_l006_chown_of_a_user_keeps_the_group():
    text = "FROM debian:12\nCOPY app.conf /etc/app.conf\nRUN chown 1000 /etc/app.conf\n"
    # COPY --chown=1000 would also set the group to 1000; chown leaves it at 0
    assert checked_fix(text, "L006") == "FROM debian:12\nCOPY --chown=1000:0 app.conf /etc/app.conf\n"


def test_l006_identical_flag_is_kept_and_a_conflicting_one_blocks_the_fix():
    same = "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\nRUN chown app:app /run.sh\n"
    assert checked_fix(same, "L006") == "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\n"
    other = "FROM debian:12\nCOPY --chown=app:app run.sh /run.sh\nRUN chown root:root /run.sh\n"
    [d] = strict_findings(other, "L006")
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
    [d] = strict_findings(text, "L006")
    assert d.fix is None and why in d.no_fix_reason, d.rendered_message
    assert checked_fix(text, "L006") == text


def test_l006_mode_without_execute_bits_is_a_file():
    text = "FROM debian:12\nADD crontab /etc/crontab\nRUN chmod 644 /etc/crontab\n"
    assert checked_fix(text, "L006") == "FROM debian:12\nADD --chmod=644 crontab /etc/crontab\n"


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
    assert checked_fix(text, "L006") == f"FROM debian:12\nWORKDIR /srv\n{result}\nCMD [\"/start.sh\"]\n"


def test_l006_deleted_run_keeps_its_inner_comments_and_crlf():
    text = "FROM debian:12\r\nCOPY a.py /app/\r\nRUN chmod 640 \\\r\n# owner only\r\n  /app/a.py\r\nUSER app\r\n"
    assert checked_fix(text, "L006") == "FROM debian:12\r\nCOPY --chmod=640 a.py /app/\r\n# owner only\r\nUSER app\r\n"


def test_l006_paths_through_workdir_and_variables():
    text = ("FROM debian:12\n"
            "ENV APP_HOME=/opt/app\n"
            "WORKDIR $APP_HOME\n"
            "COPY run.sh ${APP_HOME}/bin/\n"
            "WORKDIR bin\n"
            'RUN chmod 755 "$APP_HOME/bin/run.sh"\n')
    assert checked_fix(text, "L006").splitlines()[3] == "COPY --chmod=755 run.sh ${APP_HOME}/bin/"
    relative = "FROM debian:12\nWORKDIR /app\nCOPY run.sh .\nRUN chmod 755 ./run.sh\n"
    assert checked_fix(relative, "L006") == "FROM debian:12\nWORKDIR /app\nCOPY --chmod=755 run.sh .\n"


def test_l006_later_run_when_nothing_between_touches_the_file():
    text = ("FROM debian:12\n"
            "COPY run.sh /run.sh\n"
            "RUN apt-get update\n"
            "RUN chmod 755 /run.sh\n")
    [d] = strict_findings(text, "L006")
    assert d.fix is None and "stand between" in d.rendered_message
    # a RUN that names the file may rewrite it: the chmod is then about that file
    touched = "FROM debian:12\nCOPY run.sh /run.sh\nRUN sed -i s/a/b/ /run.sh\nRUN chmod 755 /run.sh\n"
    assert not strict_findings(touched, "L006")


def test_l006_recursive_change_lists_every_copy_under_it():
    text = ("FROM node:22-slim\n"
            "WORKDIR /app\n"
            "COPY package.json package-lock.json ./\n"
            "RUN npm ci\n"
            "COPY . .\n"
            "RUN chown -R node:node /app\n")
    [d] = strict_findings(text, "L006")
    assert d.line == 6 and "lines 3 and 5" in d.rendered_message and "COPY --chown=node:node" in d.rendered_message
    removed = text.replace("RUN npm ci\n", "RUN npm ci && rm -rf /app\n")
    assert [d.rendered_message for d in strict_findings(removed, "L006")][0].count("line 5") == 1


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
    assert not strict_findings(text, "L006")


@pytest.mark.parametrize("text", [
    "FROM debian:12\nCOPY . /usr/config\nRUN set -e && chmod +x /usr/config/entrypoint.sh\n",
    "FROM debian:12\nCOPY a.sh b.sh /bin/\nRUN chmod 755 /bin/a.sh\n",
])
def test_l006_part_of_a_broad_copy_is_not_reported(text):
    """COPY --chmod would change every other file the COPY wrote, and the bytes stored again are a few files
    out of many: not worth a finding."""
    assert not strict_findings(text, "L006")
