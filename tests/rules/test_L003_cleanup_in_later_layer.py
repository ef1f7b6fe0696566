import pytest

from dlint.testing import findings, fixed
from snippets import strict_findings, fixed_by


TEXT = ("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        "RUN rm -rf /var/lib/apt/lists/*\n")


def test_cleanup_in_a_later_run_is_reported_where_it_deletes():
    [d] = findings(TEXT, "L003")
    assert d.line == 3 and "made by line 2" in d.message and d.fix is not None


def test_fix_moves_the_cleanup_into_the_run_that_made_it():
    new = fixed(TEXT, "L003")
    assert new.count("RUN ") == 1 and "rm -rf /var/lib/apt/lists/*" in new


def test_cleanup_in_the_same_run_is_fine():
    assert findings("FROM debian:12\nRUN apt-get update && apt-get install -y curl && "
                    "rm -rf /var/lib/apt/lists/*\n", "L003") == []


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
    assert strict_findings(f"FROM debian:12\n{body}\n", "L003") == []


def test_l003_apt_lists_names_the_run_and_the_size_and_moves_the_cleanup():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(text, "L003")
    assert d.line == 3 and "line 2" in d.rendered_message and "apt package lists" in d.rendered_message and "MB" in d.rendered_message
    assert fixed_by(text, {"L003"}) == ("FROM debian:12\n"
                                     "RUN apt-get update && apt-get install -y curl && \\\n"
                                     "    rm -rf /var/lib/apt/lists/*\n")


def test_l003_names_the_update_not_a_later_remove_and_never_hides_the_lists():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y curl build-essential\n"
            "RUN apt-get remove -y build-essential\n"
            "RUN apk del foo || true\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(text, "L003")
    assert "made by line 2" in d.rendered_message and "line 3" in d.no_fix_reason
    assert d.fix is None
    assert fixed_by(text, {"L003"}) == text


def test_l003_lists_from_two_updates_get_no_fix():
    text = ("FROM debian:12\n"
            "RUN apt-get update && apt-get install -y a\n"
            "RUN apt-get update && apt-get install -y b\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(text, "L003")
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
    [d] = strict_findings(text, "L003")
    assert what in d.rendered_message and f"line {text.splitlines().index(make.splitlines()[-1]) + 1}" in d.rendered_message


def test_l003_a_download_deleted_by_a_later_run_that_does_other_work():
    text = ("FROM debian:12\n"
            "WORKDIR /opt\n"
            "RUN wget --output-document=gradle.zip https://services.gradle.org/distributions/gradle-8-bin.zip\n"
            "RUN unzip gradle.zip && rm gradle.zip && mv gradle-8 /opt/gradle\n")
    [d] = strict_findings(text, "L003")
    assert (d.line, d.column) == (4, 25) and "gradle.zip" in d.rendered_message and "line 3" in d.rendered_message
    assert d.fix is None
    # the same work in one RUN is fine
    assert strict_findings("FROM debian:12\nRUN wget https://x.org/a.tar.gz && tar xzf a.tar.gz && rm a.tar.gz\n",
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
    [d] = strict_findings(text, "L003")
    assert d.fix is None and d.no_fix_reason


def test_l003_a_cache_mount_makes_no_lists():
    text = ("FROM debian:12\n"
            "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n"
            "RUN rm -rf /var/lib/apt/lists/*\n")
    assert strict_findings(text, "L003") == []


def test_l003_build_stages_are_not_reported():
    text = ("FROM debian:12 AS build\n"
            "RUN apt-get update && apt-get install -y gcc\n"
            "RUN rm -rf /var/lib/apt/lists/*\n"
            "FROM scratch\nCOPY --from=build /etc/hostname /x\n")
    assert strict_findings(text, "L003") == []


def test_l003_moves_a_cleanup_across_apt_get_clean():
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y python3\nCOPY a.py /a.py\n"
            "RUN apt-get clean\nRUN rm -rf /var/lib/apt/lists/*\n")
    [d] = strict_findings(text, "L003")
    assert d.line == 5 and d.fix is not None
    assert fixed_by(text, {"L003"}) == ("FROM debian:12\nRUN apt-get update && apt-get install -y python3 && \\\n"
                                        "    rm -rf /var/lib/apt/lists/*\nCOPY a.py /a.py\nRUN apt-get clean\n")


def test_l003_removed_run_takes_its_comment_and_leaves_no_double_blank_line():
    text = ("FROM debian:12\n\nRUN apt-get update && apt-get install -y curl\n\n# clean up the lists\n"
            "RUN rm -rf /var/lib/apt/lists/*\n\nCMD [\"curl\"]\n")
    assert fixed_by(text, {"L003"}) == ("FROM debian:12\n\nRUN apt-get update && apt-get install -y curl && \\\n"
                                        "    rm -rf /var/lib/apt/lists/*\n\nCMD [\"curl\"]\n")
    # an ignore comment above it is not removed: the fix is not offered then
    pragma = text.replace("# clean up the lists", "# dlint: ignore=L004")
    [d] = strict_findings(pragma, "L003")
    assert d.fix is None
