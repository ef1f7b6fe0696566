"""Where a COPY/ADD of one file without a trailing slash lands: into a directory that exists already, or
at the destination itself. L006 may only move a chmod/chown into the COPY when it changes exactly the file
the COPY created."""
import dockerfile
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source


def findings(text, code="L006"):
    result = check_source("Dockerfile", text.encode(), Settings(enabled={code}))
    assert not result.problems, [p.render() for p in result.problems]
    return [d for d in result.diagnostics if d.code == code]


def fixed(text, unsafe=False):
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L006"}), unsafe)
    assert problem is None, problem.render()
    if new != text:
        dockerfile.parse_string(new)
    return new


# A directory that is there before the COPY: the file goes inside it, and a chmod/chown of the directory
# changes the directory alone (nothing the COPY wrote is stored again).
EXISTING = [
    ("FROM node:20\n", "/tmp"),
    ("FROM node:20\n", "/usr/local/bin"),
    ("FROM node:20\n", "/etc"),
    ("FROM node:20\n", "/opt"),
    ("FROM node:20\nWORKDIR /srv/app\n", "/srv/app"),
    ("FROM node:20\nWORKDIR /srv/app/sub\n", "/srv/app"),
    ("FROM node:20\nRUN mkdir -p /srv/data/logs\n", "/srv/data"),
    ("FROM node:20\nRUN mkdir /srv/thing\n", "/srv/thing"),
    ("FROM node:20\nRUN install -d -m 0755 /srv/thing\n", "/srv/thing"),
    ("FROM node:20\nRUN mkdir -p /srv/{a,b}\n", "/srv"),
    ("FROM node:20\nCOPY other.conf /srv/thing/\n", "/srv/thing"),
    ("FROM node:20\nCOPY . /srv/thing\n", "/srv/thing"),
    ("FROM node:20 AS base\nRUN mkdir -p /srv/thing\nFROM base\n", "/srv/thing"),
    ("FROM node:20 AS base\nWORKDIR /srv/thing\nFROM base\n", "/srv/thing"),
]


@pytest.mark.parametrize("before,directory", EXISTING)
@pytest.mark.parametrize("run", ["chown node {d}", "chmod 755 {d}", "chown node:node {d}", "chmod 1777 {d}"])
def test_a_change_of_the_existing_directory_is_not_a_change_of_the_file(before, directory, run):
    text = f"{before}COPY package.json {directory}\nRUN {run.format(d=directory)}\n"
    assert not findings(text), text
    assert fixed(text, unsafe=True) == text


@pytest.mark.parametrize("before,directory", EXISTING)
def test_the_file_inside_the_existing_directory_is_fixed(before, directory):
    text = f"{before}COPY app.conf {directory}\nRUN chmod 600 {directory}/app.conf\n"
    [d] = findings(text)
    assert d.fix is not None and d.fix.applicability == "safe", d.rendered_message
    assert fixed(text) == f"{before}COPY --chmod=600 app.conf {directory}\n"


@pytest.mark.parametrize("copy,run", [
    # named like a directory: most likely one the base image has (node's /app, nginx's html)
    ("COPY package.json /app", "RUN chown node /app"),
    ("COPY package.json /app", "RUN chmod 755 /app"),
    ("COPY index.html /usr/share/nginx/html", "RUN chmod 644 /usr/share/nginx/html"),
    ("COPY index.html /var/www/html", "RUN chown www-data /var/www/html"),
    ("COPY settings.py /home/app/config", "RUN chown app /home/app/config"),
    # a domain is a directory's name
    ("COPY index.html /var/www/example.com", "RUN chown www-data /var/www/example.com"),
])
def test_quiet_when_the_destination_is_named_like_a_directory(copy, run):
    text = f"FROM debian:12\n{copy}\n{run}\n"
    assert not findings(text)


@pytest.mark.parametrize("dest", ["/etc/nginx/sites", "/srv/thing", "/usr/lib/python3.11"])
def test_no_fix_when_the_destination_may_be_a_directory_of_the_base_image(dest):
    text = f"FROM debian:12\nWORKDIR /srv\nCOPY app.conf {dest}\nRUN chmod 755 {dest}\n"
    [d] = findings(text)
    assert d.fix is None and "may be a directory that is already there" in d.rendered_message, d.rendered_message
    assert fixed(text, unsafe=True) == text


@pytest.mark.parametrize("copy,run,result", [
    # a name with a file extension, the source's own name, a system file: a file, not a directory
    ("COPY app.conf /srv/thing.conf", "RUN chmod 600 /srv/thing.conf", "COPY --chmod=600 app.conf /srv/thing.conf"),
    ("COPY crontab /srv/crontab", "RUN chmod 644 /srv/crontab", "COPY --chmod=644 crontab /srv/crontab"),
    ("ADD crontab /etc/crontab", "RUN chmod 600 /etc/crontab", "ADD --chmod=600 crontab /etc/crontab"),
    # several sources or a trailing slash: always into a directory
    ("COPY a.sh /srv/", "RUN chmod 700 /srv/a.sh", "COPY --chmod=700 a.sh /srv/"),
])
def test_destinations_that_are_files(copy, run, result):
    text = f"FROM debian:12\n{copy}\n{run}\n"
    [d] = findings(text)
    if result is None:
        assert d.fix is None
    else:
        assert fixed(text) == f"FROM debian:12\n{result}\n"


def test_a_chown_of_the_directory_when_the_directory_is_a_workdir_is_not_moved_into_the_copy():
    # the red-team shape: WORKDIR /app (owned by root), COPY package.json /app, chown node /app
    text = "FROM node:20\nWORKDIR /app\nCOPY package.json /app\nRUN chown node /app\n"
    assert not findings(text)
    text = "FROM node:20\nWORKDIR /app\nCOPY package.json /app\nRUN chown node /app/package.json\n"
    assert fixed(text) == "FROM node:20\nWORKDIR /app\nCOPY --chown=node:0 package.json /app\n"


def test_a_recursive_change_of_a_destination_directory_still_counts():
    text = "FROM node:20\nWORKDIR /app\nCOPY package.json /app\nCOPY . /app\nRUN chown -R node /app\n"
    [d] = findings(text)
    assert d.fix is None and "lines 3 and 4" in d.rendered_message


# ------------------------------------------------------------------------------------------- programs

def test_a_program_copied_from_a_build_stage_then_made_executable():
    base = "FROM golang:1.23 AS build\nRUN go build -o /src/app .\nFROM debian:12\n"
    text = base + "COPY --from=build /src/app /usr/local/bin/app\nRUN chmod +x /usr/local/bin/app\n"
    [d] = findings(text)
    assert "COPY --chmod=755" in d.rendered_message
    assert d.fix is not None and d.fix.applicability == "unsafe" and "644 or 755" in d.fix.title
    assert fixed(text) == text  # not with safe fixes alone
    assert fixed(text, unsafe=True) == base + "COPY --from=build --chmod=755 /src/app /usr/local/bin/app\n"
    # into the directory: the same file
    text = base + "COPY --from=build /src/app /usr/local/bin/\nRUN chmod 755 /usr/local/bin/app\n"
    [d] = findings(text)
    assert d.fix is not None
    text = base + "COPY --from=build /src/app /usr/local/bin/app\nRUN chmod 755 /usr/local/bin/app\n"
    [d] = findings(text)
    assert d.fix is not None and d.fix.applicability == "unsafe" and "taken for a program" in d.fix.title
    # a name with an extension is a file: an octal mode moves safely
    text = base + "COPY --from=build /src/app.sh /usr/local/bin/app\nRUN chmod 0755 /usr/local/bin/app\n"
    assert fixed(text) == base + "COPY --from=build --chmod=0755 /src/app.sh /usr/local/bin/app\n"


@pytest.mark.parametrize("run", ["RUN chmod u+x /usr/local/bin/app", "RUN chmod -R +x /usr/local/bin/app",
                                 "RUN chmod +x /usr/local/bin/app && /usr/local/bin/app --version"])
def test_a_program_without_fix(run):
    text = f"FROM debian:12\nCOPY --from=build /src/app /usr/local/bin/app\n{run}\n"
    assert all(d.fix is None or d.fix.applicability == "unsafe" for d in findings(text))
    assert fixed(text) == text
    if "u+x" in run:
        [d] = findings(text)
        assert d.fix is None and "symbolic" in d.rendered_message


@pytest.mark.parametrize("dest", ["/root/.ssh/config", "/srv/thing", "/app"])
def test_a_mode_without_execute_bits_is_a_file_s(dest):
    # a directory with mode 600 could not be entered: the path is the copied file
    text = f"FROM debian:12\nADD ssh_config {dest}\nRUN chmod 600 {dest}\n"
    assert fixed(text) == f"FROM debian:12\nADD --chmod=600 ssh_config {dest}\n"


def test_a_downloaded_program_made_executable():
    # ADD gives a downloaded file mode 600; chmod +x then makes it 711, which --chmod sets exactly
    text = "FROM debian:12\nADD https://example.com/jq /usr/local/bin/jq\nRUN chmod +x /usr/local/bin/jq\n"
    [d] = findings(text)
    assert "ADD --chmod=711" in d.rendered_message and d.fix.applicability == "safe"
    assert fixed(text) == "FROM debian:12\nADD --chmod=711 https://example.com/jq /usr/local/bin/jq\n"


# ------------------------------------------------------------------------------------------- trees a RUN made

@pytest.mark.parametrize("made,run,tree", [
    ("RUN curl -fsSL https://example.com/sdk.tgz | tar -xz -C /opt/sdk", "RUN chown -R app:app /opt/sdk",
     "/opt/sdk, a directory tree the RUN on line 2 made (unpacking an archive)"),
    ("RUN curl -fsSLo /tmp/t.zip https://example.com/t.zip && unzip /tmp/t.zip -d /opt/tools && rm /tmp/t.zip",
     "RUN chmod -R 777 /opt/tools", "/opt/tools, a directory tree the RUN on line 2 made (unzip)"),
    ("RUN cd /home/eth && git clone https://github.com/example/api && cd api && npm install",
     "RUN chown -R eth /home/eth", "/home/eth/api, a directory tree the RUN on line 2 made (git clone)"),
    ("RUN git clone --depth 1 https://example.com/site.git /var/www/html || true", "RUN chown -R www-data /var/www", None),
    ("RUN git clone https://example.com/site.git /var/www/html", "RUN chown -R www-data /var/www",
     "/var/www/html, a directory tree the RUN on line 2 made (git clone)"),
    ("RUN curl -fsSL https://example.com/jdk.tgz | tar -xz -C /tmp && mv /tmp/jdk-21 /opt/java",
     "RUN chown -R app /opt/java", "/opt/java, a directory tree the RUN on line 2 made (mv of what it unpacked)"),
    ("WORKDIR /app\nRUN npm ci", "RUN chown -R node /app", "/app/node_modules, a directory tree the RUN on line 3"),
])
def test_a_recursive_change_of_a_tree_an_earlier_run_made(made, run, tree):
    text = f"FROM debian:12\n{made}\nRUN apt-get update\n{run}\n"
    found = findings(text)
    if tree is None:
        assert not found
        return
    [d] = found
    assert tree in d.rendered_message and d.fix is None and "in the RUN that makes the files" in d.rendered_message, d.rendered_message


@pytest.mark.parametrize("text", [
    # an empty directory: nothing is stored twice
    "FROM debian:12\nRUN mkdir -p /opt/sdk\nRUN chown -R app /opt/sdk\n",
    # deleted again
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk && rm -rf /opt/sdk\nRUN chown -R app /opt/sdk\n",
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk\nRUN rm -rf /opt/*\nRUN chown -R app /opt\n",
    # not recursive, or only a part of the tree
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk\nRUN chown app /opt/sdk\n",
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk\nRUN chown -R app /opt/sdk/bin\n",
    # the same RUN, or a RUN that does more
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk && chown -R app /opt/sdk\n",
    "FROM debian:12\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk\nRUN chown -R app /opt/sdk && /opt/sdk/install\n",
    # a build stage
    "FROM debian:12 AS build\nRUN tar -xzf /tmp/a.tgz -C /opt/sdk\nRUN chown -R app /opt/sdk\n"
    "FROM debian:12\nCOPY --from=build /opt/sdk /opt/sdk\n",
    # listing, not extracting; a global npm install
    "FROM debian:12\nRUN tar -tzf /tmp/a.tgz -C /opt/sdk\nRUN chown -R app /opt/sdk\n",
    "FROM node:20\nWORKDIR /app\nRUN npm install -g pm2\nRUN chown -R node /app\n",
])
def test_quiet_about_trees(text):
    assert not findings(text)


# ------------------------------------------------------------------------------------------- archives unpacked

@pytest.mark.parametrize("text,path,advice", [
    ("FROM debian:12\nADD https://example.com/sdk-1.2.tar.gz /tmp/\nRUN tar -xzf /tmp/sdk-1.2.tar.gz -C /opt\n",
     "/tmp/sdk-1.2.tar.gz", "curl -fsSL <url> | tar -x"),
    ("FROM debian:12\nADD https://example.com/sdk.zip /opt/sdk.zip\nWORKDIR /opt\nRUN unzip sdk.zip\n",
     "/opt/sdk.zip", "download, unzip and rm it in one RUN"),
    ("FROM debian:12\nADD https://example.com/n.tar.gz?x=1 /tmp/n.tar.gz\nRUN cd /tmp && tar zxvf n.tar.gz && make\n",
     "/tmp/n.tar.gz", "curl"),
    ("FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN sudo tar -xzf /tmp/app.tar.gz -C /opt\n",
     "/tmp/app.tar.gz", "ADD app.tar.gz <directory>"),
])
def test_l007_an_archive_unpacked_and_kept(text, path, advice):
    [d] = findings(text, "L007")
    assert d.rendered_message.startswith(f"{path} copied here is an archive the RUN on line") and advice in d.rendered_message
    assert d.line == 2 and d.fix is None


@pytest.mark.parametrize("text", [
    # listed, not unpacked
    "FROM debian:12\nADD https://example.com/a.tar.gz /tmp/\nRUN tar -tzf /tmp/a.tar.gz\n",
    # ADD unpacks a local archive itself
    "FROM debian:12\nADD app.tar.gz /opt/\nRUN tar -xzf /opt/app.tar.gz\n",
    # another archive
    "FROM debian:12\nADD https://example.com/a.tar.gz /tmp/\nRUN tar -xzf /tmp/b.tar.gz\n",
    # a build stage
    "FROM debian:12 AS build\nADD https://example.com/a.tar.gz /tmp/\nRUN tar -xzf /tmp/a.tar.gz -C /opt\n"
    "FROM debian:12\nCOPY --from=build /opt /opt\n",
])
def test_l007_quiet_about_archives(text):
    assert not findings(text, "L007")


def test_l007_an_archive_unpacked_then_deleted_is_reported_once():
    text = ("FROM debian:12\nADD https://example.com/a.tar.gz /tmp/\nRUN tar -xzf /tmp/a.tar.gz -C /opt\n"
            "RUN rm /tmp/a.tar.gz\n")
    [d] = findings(text, "L007")
    assert "deleted by the RUN on line 4" in d.rendered_message
