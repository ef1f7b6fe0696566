"""L003 cleanup-in-later-layer and L004 cache-left-in-layer: what they report, what they leave alone, and
fixes that never hide waste or break a later user of the package lists. Also the L002 message and L008's
build stages."""
import dockerfile
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source

DEFAULT = {"L001", "L002", "L003", "L004"}


def findings(text, code, enabled=None):
    result = check_source("Dockerfile", text.encode(), Settings(enabled=set(enabled or {code})))
    assert not result.problems, [p.render() for p in result.problems]
    return [d for d in result.diagnostics if d.code == code]


def fixed(text, enabled=DEFAULT):
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled=set(enabled)), False)
    assert problem is None
    if new != text:
        dockerfile.parse_string(new)
    return new


# ------------------------------------------------------------------------------------------ L003

@pytest.mark.parametrize("body", [
    "RUN rm -rf /etc/nginx/conf.d/default.conf",  # default site of the base image
    "RUN rm -f /var/run/nginx.pid /run/sshd.pid",
    "RUN rm -f /var/lib/systemd/random-seed",
    "RUN rm -f /usr/bin/passwd",  # a binary removed on purpose
    "RUN rm -rf /etc/apache2/sites-enabled",
    "WORKDIR /usr/share/nginx/html\nRUN rm -rf ./*",
    "RUN mkdir -p /some/dir && echo first > /some/dir/first.txt\nRUN rm /some/dir/first.txt",
    "RUN apt-get update && apt-get install -y nginx\nRUN rm -rf /etc/nginx/sites-enabled/default",
    # the official images' docker-clean hook already empties the archives
    "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get clean",
    # nothing of this stage made the lists
    "RUN rm -rf /var/lib/apt/lists/*",
])
def test_l003_is_silent_on_deletions_that_save_nothing(body):
    assert findings(f"FROM debian:12\n{body}\n", "L003") == []


def test_l003_apt_lists_names_the_run_and_the_size_and_moves_the_cleanup():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L003")
    assert d.line == 3 and "line 2" in d.rendered_message and "apt package lists" in d.rendered_message and "MB" in d.rendered_message
    assert fixed(text, {"L003"}) == ("FROM debian:12\n"
                                     "RUN apt-get update && apt-get install -y curl && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\n")


def test_l003_names_the_update_not_a_later_remove_and_never_hides_the_lists():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl build-essential\n"
            "RUN apt-get remove -y build-essential\n"
            "RUN apk del foo || true\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L003")
    assert "made by line 2" in d.rendered_message and "line 3" in d.no_fix_reason
    assert d.fix is None
    assert fixed(text, {"L003"}) == text


def test_l003_lists_from_two_updates_get_no_fix():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y a\n"
            "RUN apt-get update && apt-get install -y b\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L003")
    assert "lines 2, 3" in d.rendered_message and d.fix is None


@pytest.mark.parametrize("make, delete, what", [
    ("RUN wget -q https://example.org/app-1.0.tar.gz -P /tmp", "RUN rm -f /tmp/app-1.0.tar.gz", "app-1.0.tar.gz"),
    ("RUN curl -fsSLo /opt/x.zip https://example.org/x.zip", "RUN rm /opt/x.zip", "x.zip"),
    ("WORKDIR /build\nRUN curl -fsSLO https://example.org/pkg.deb", "RUN rm -f /build/*.deb", "pkg.deb"),
    ("RUN git clone --depth 1 https://github.com/o/proj.git /src/proj", "RUN rm -rf /src/proj/.git", "clone"),
    ("RUN curl -fsSL https://example.org/sdk.tgz | tar -xz -C /opt/sdk", "RUN rm -rf /opt/sdk", "/opt/sdk"),
    ("WORKDIR /tmp\nRUN wget https://example.org/lib-2.tar.gz && tar xzf lib-2.tar.gz && cd lib-2 && make",
     "RUN rm -rf /tmp/lib-2", "lib-2.tar.gz"),
])
def test_l003_downloads_clones_and_trees_deleted_later(make, delete, what):
    text = f"FROM debian:12\n{make}\n{delete}\n"
    [d] = findings(text, "L003")
    assert what in d.rendered_message and f"line {text.splitlines().index(make.splitlines()[-1]) + 1}" in d.rendered_message


def test_l003_a_download_deleted_by_a_later_run_that_does_other_work():
    text = ("FROM debian:12\n"
            "WORKDIR /opt\n"
            "RUN wget --output-document=gradle.zip https://services.gradle.org/distributions/gradle-8-bin.zip\n"
            "RUN unzip gradle.zip && rm gradle.zip && mv gradle-8 /opt/gradle\n")
    [d] = findings(text, "L003")
    assert (d.line, d.column) == (4, 25) and "gradle.zip" in d.rendered_message and "line 3" in d.rendered_message
    assert d.fix is None
    # the same work in one RUN is fine
    assert findings("FROM debian:12\nRUN wget https://x.org/a.tar.gz && tar xzf a.tar.gz && rm a.tar.gz\n",
                    "L003") == []


@pytest.mark.parametrize("between", [
    "COPY --from=builder /out/ /",
    "ADD rootfs.tar.gz /",
    "RUN ./build.sh",
    "RUN sh -c 'apt-get install -y git'",
    "RUN curl -fsSL https://example.org/setup | bash -",
])
def test_l003_no_fix_across_a_write_to_the_path_or_a_script(between):
    text = ("FROM debian:12 AS builder\nRUN true\n"
            "FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            f"{between}\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L003")
    assert d.fix is None and d.no_fix_reason


def test_l003_a_cache_mount_makes_no_lists():
    text = ("FROM debian:12\n"
            "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    assert findings(text, "L003") == []


def test_l003_build_stages_are_not_reported():
    text = ("FROM debian:12 AS build\n"
            "RUN apt-get update && apt-get install -y gcc\n"
            "RUN rm -rf /var/lib/apt/lists/*\n"
            "FROM scratch\nCOPY --from=build /etc/hostname /x\n")
    assert findings(text, "L003") == []


# ------------------------------------------------------------------------------------------ L004

@pytest.mark.parametrize("run", [
    "apt-get update && apt-get install -y curl && apt-get dist-clean",
    "apt-get update && apt-get install -y curl && apt-get distclean",
    "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
    "--mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl",
])
def test_l004_lists_removed_or_never_in_the_layer(run):
    assert findings(f"FROM debian:13\nRUN {run}\n", "L004") == []


def test_l004_apk_no_network_downloads_nothing():
    assert findings("FROM alpine:3.22\nRUN apk add --no-network --allow-untrusted /tmp/x.apk\n", "L004") == []


def test_l004_apt_get_clean_leaves_the_lists_and_the_message_names_the_command():
    text = ("FROM debian:12\n"
            "RUN set -eux; \\\n"
            "    apt-get update; apt-get install -y curl; \\\n"
            "    apt-get clean\n")
    [d] = findings(text, "L004")
    assert d.line == 2 and "`apt-get update` (line 3, column 5)" in d.rendered_message
    assert d.fix is not None
    assert "rm -rf /var/lib/apt/lists/*" in fixed(text, {"L004"})


def test_l004_every_run_that_leaves_the_lists_is_reported():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "RUN echo between\n"
            "RUN apt-get install -y git && rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L004", DEFAULT)
    assert d.line == 2 and d.fix is None and "line 4 may install from these lists" in d.rendered_message


@pytest.mark.parametrize("child", [
    "RUN apt-get install -y git",
    "RUN sh -c \"apt-get install -y git\"",
])
def test_l004_no_cleanup_in_a_stage_a_child_stage_installs_from(child):
    text = ("FROM debian:12 AS base\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "FROM base\n"
            f"{child}\n")
    [d] = findings(text, "L004")
    assert d.line == 2 and d.fix is None and "line 4" in d.rendered_message
    assert fixed(text, {"L004"}) == text


@pytest.mark.parametrize("later", ["RUN ./build.sh", "RUN make && make install", "RUN bash -c \"$SCRIPT\""])
def test_l004_cleanup_is_unsafe_when_a_later_run_runs_code_it_does_not_show(later):
    for text in ("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n" + later + "\n",
                 "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\n" + later + "\n"):
        [d] = findings(text, "L004")
        assert d.fix is not None and d.fix.applicability == "unsafe" and "assumes line" in d.fix.title
        assert fixed(text, {"L004"}) == text  # dlint fix leaves it
        new, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L004"}), True)  # --unsafe-fixes
        assert problem is None and "rm -rf /var/lib/apt/lists/*" in new


def test_l003_moves_a_cleanup_across_apt_get_clean():
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y python3\nCOPY a.py /a.py\n"
            "RUN apt-get clean\nRUN rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(text, "L003")
    assert d.line == 5 and d.fix is not None
    assert fixed(text, {"L003"}) == ("FROM debian:12\nRUN apt-get update && apt-get install -y python3 && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\nCOPY a.py /a.py\nRUN apt-get clean\n")


def test_l004_cleanup_appended_when_no_one_uses_the_lists_later():
    text = ("FROM debian:12 AS base\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "FROM base\n"
            "RUN echo done\n")
    assert fixed(text, {"L004"}) == ("FROM debian:12 AS base\n"
                                     "RUN apt-get update && apt-get install -y curl && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\n"
                                     "FROM base\n"
                                     "RUN echo done\n")


def test_l004_leaves_update_only_runs_to_l001():
    text = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert findings(text, "L004", DEFAULT) == []
    assert len(findings(text, "L004")) == 1


# ------------------------------------------------------------------------------------------ L002, L008

def test_l002_when_each_run_cleans_says_what_merging_still_saves():
    clean = ("FROM debian:12\n"
             "RUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*\n"
             "RUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists/*\n")
    [d] = findings(clean, "L002")  # apt writes its package database again in each layer
    assert "package database written again" in d.rendered_message and "caches" not in d.rendered_message
    # pip has no such database: merging would save a layer only (L008's finding)
    pip = "FROM python:3.12\nRUN pip install --no-cache-dir a\nRUN pip install --no-cache-dir b\n"
    assert findings(pip, "L002") == []
    dirty = "FROM debian:12\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n"
    [d] = findings(dirty, "L002")
    assert "repeated package caches" in d.rendered_message


def test_l008_skips_stages_that_do_not_ship():
    text = ("FROM golang:1.23 AS build\nRUN go version\nRUN go build ./...\n"
            "FROM debian:12\nRUN echo a\nRUN echo b\n")
    ds = findings(text, "L008")
    assert [d.line for d in ds] == [5]


def test_l003_removed_run_takes_its_comment_and_leaves_no_double_blank_line():
    text = ("FROM debian:12\n\nRUN apt-get update && apt-get install -y curl\n\n# clean up the lists\n"
            "RUN rm -rf /var/lib/apt/lists/*\n\nCMD [\"curl\"]\n")
    assert fixed(text, {"L003"}) == ("FROM debian:12\n\nRUN apt-get update && apt-get install -y curl && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\n\nCMD [\"curl\"]\n")
    # an ignore comment above it is not removed: the fix is not offered then
    pragma = text.replace("# clean up the lists", "# dlint: ignore=L004")
    [d] = findings(pragma, "L003")
    assert d.fix is None
