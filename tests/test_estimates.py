"""Byte estimates on findings: per rule from the data file, and how the output formats carry them."""
import json
import os

import pytest
from click.testing import CliRunner

from dlint.build_context import BuildContext
from dlint.cli import main
from dlint.engine import check_rules
from dlint.settings import Settings
from dlint.estimates import data, format_bytes
from dlint.rules import ALL_RULES
from dlint.syntax import parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SARIF_SCHEMA = os.path.join(os.path.dirname(ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")
D = data()
LISTS_12 = D["apt_lists"]["debian-12"]["bytes"]
PER_LAYER = D["package_database_per_layer"]["apt"]["bytes"]
PIP = D["caches"]["pip"]["bytes_per_package"]


class FakeContext(BuildContext):
    """A build context with given files: {path: (content bytes, files, directories)}; counts too. The rules
    that read names see an empty context."""

    def __init__(self, files=None, counts=None):
        super().__init__(root="/context")
        self.files = files or {}
        self.counts = counts or {}
        self.asked = []

    def stat(self, rel):
        self.asked.append(rel)
        return self.files.get(rel.rstrip("/"))

    def count(self, rel, kind):
        self.asked.append(rel)
        return self.counts.get((rel, kind))


def findings(text, context=None, codes=None):
    every = {rule.code for rule in ALL_RULES}  # opt-in rules too: their estimates are tested here
    settings = Settings(enabled=every if codes is None else set(codes), context=context)
    return check_rules("Dockerfile", parse(text), settings, ALL_RULES)


def one(text, code, context=None):
    found = [d for d in findings(text, context) if d.code == code]
    assert len(found) == 1, [(d.code, d.line) for d in findings(text, context)]
    return found[0]


def apt_packages():
    from dlint.data import load_json

    return load_json(D["apt_packages"]["file"])


# ------------------------------------------------------------------------------------------------ L001


@pytest.mark.parametrize("base, release", [
    ("debian:12", "debian-12"), ("debian:bookworm-slim", "debian-12"), ("python:3.12-slim-bookworm", "debian-12"),
    ("debian:11", "debian-11"), ("debian:trixie", "debian-13"), ("ubuntu:24.04", "ubuntu-24.04"),
    ("ubuntu:jammy", "ubuntu-22.04"),
])
def test_l001_is_the_apt_lists_of_the_release(base, release):
    d = one(f"FROM {base}\nRUN apt-get update\nRUN apt-get install -y curl\n", "L001")
    assert d.estimated_bytes == D["apt_lists"][release]["bytes"]
    assert D["releases"][release]["label"] in d.estimate_basis


def test_l001_release_not_named_by_the_tag_says_which_figure_it_took():
    d = one("FROM python:3.12-slim\nRUN apt-get update\nRUN apt-get install -y curl\n", "L001")
    fallback = D["apt_lists_fallback"]
    assert d.estimated_bytes == D["apt_lists"][fallback]["bytes"]
    assert "depends on the tag" in d.estimate_basis


def test_l001_of_apk_is_the_apk_index():
    d = one("FROM alpine:3.20\nRUN apk update\nRUN apk add curl\n", "L001")
    assert d.estimated_bytes == D["indexes"]["apk"]["bytes"] > 0
    assert "apk package index" in d.estimate_basis


def test_apk_cache_is_its_index_once_not_per_package():
    text = "FROM alpine:3.20\nRUN apk add curl git jq\nRUN apk add make\nRUN rm -rf /var/cache/apk/*\nCMD [\"jq\"]\n"
    d = one(text, "L003")
    assert d.estimated_bytes == D["indexes"]["apk"]["bytes"]
    d = one("FROM alpine:3.20\nRUN apk add curl git jq\nCMD [\"jq\"]\n", "L004")
    assert d.estimated_bytes == D["indexes"]["apk"]["bytes"]


@pytest.mark.parametrize("base, known", [("fedora:41", True), ("registry.fedoraproject.org/fedora:43", True),
                                         ("rockylinux:9", False)])
def test_dnf_metadata_only_where_the_figure_was_taken(base, known):
    d = one(f"FROM {base}\nRUN dnf install -y curl\nCMD [\"curl\"]\n", "L004")
    if known:
        assert d.estimated_bytes == D["indexes"]["dnf"]["bytes"] > 0
    else:
        assert d.estimated_bytes is None and "fedora" in d.estimate_basis


def test_a_stage_that_does_not_ship_wastes_nothing_in_the_image():
    text = ("FROM debian:12 AS build\nRUN apt-get update\nRUN apt-get install -y gcc\n"
            "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n")
    l001 = [d for d in findings(text) if d.code == "L001"]
    assert [(d.line, d.estimated_bytes) for d in l001] == [(2, 0), (5, LISTS_12)]
    assert "does not ship" in l001[0].estimate_basis


# ------------------------------------------------------------------------------------------------ L002


def test_l002_counts_the_database_written_again_per_merged_layer():
    # The first RUN leaves the lists: the group is L002's, and each extra layer wrote the database again.
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
            "RUN apt-get install -y --no-install-recommends git\nRUN apt-get install -y --no-install-recommends jq\n")
    d = one(text, "L002")
    assert d.estimated_bytes >= 2 * PER_LAYER
    assert "2 more layers" in d.estimate_basis
    # When every RUN already leaves no cache, the database written again per layer is what merging saves.
    clean = text.replace("curl\n", "curl && rm -rf /var/lib/apt/lists/*\n")
    d = one(clean, "L002")
    assert d.estimated_bytes == 2 * PER_LAYER


def test_l002_adds_the_lists_the_merged_run_deletes():
    text = ("FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"
            "RUN apt-get install -y --no-install-recommends git\nRUN apt-get install -y --no-install-recommends jq\n")
    d = one(text, "L002")
    assert d.estimated_bytes == 2 * PER_LAYER + LISTS_12


# ------------------------------------------------------------------------------------------------ L003


def test_l003_lists_deleted_later_and_an_empty_apt_cache():
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends python3\n"
            "RUN apt-get clean\nRUN rm -rf /var/lib/apt/lists/*\n")
    l003 = {d.line: d for d in findings(text) if d.code == "L003"}
    assert 3 not in l003  # apt-get clean of a cache the base image keeps empty saves nothing: not reported
    assert l003[4].estimated_bytes == LISTS_12


# ------------------------------------------------------------------------------------------------ L004


def test_l004_pip_scales_with_the_packages_named():
    d = one("FROM python:3.12-slim\nRUN pip install flask requests gunicorn\n", "L004")
    assert d.estimated_bytes == 3 * PIP and "3 packages" in d.estimate_basis


def test_l004_pip_requirements_counted_in_the_build_context():
    text = "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    ctx = FakeContext(counts={("requirements.txt", "requirements"): 14})
    d = one(text, "L004", ctx)
    assert d.estimated_bytes == 14 * PIP and "14 requirements" in d.estimate_basis
    d = one(text, "L004")  # no build context: the number of requirements is unknown
    assert d.estimated_bytes is None and "not readable" in d.estimate_basis


def test_l004_npm_counts_the_lock_file():
    text = "FROM node:22\nWORKDIR /srv\nCOPY package.json package-lock.json ./\nRUN npm ci\n"
    ctx = FakeContext(counts={("package-lock.json", "npm-lock"): 74})
    d = one(text, "L004", ctx)
    assert d.estimated_bytes == 74 * D["caches"]["npm"]["bytes_per_package"]


def test_l004_yarn_counts_the_lock_file():
    text = "FROM node:22\nWORKDIR /srv\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n"
    ctx = FakeContext(counts={("yarn.lock", "yarn-lock"): 74})
    d = one(text, "L004", ctx)
    assert d.estimated_bytes == 74 * D["caches"]["yarn"]["bytes_per_package"]
    assert "74 packages in the lock file" in d.estimate_basis
    d = one(text, "L004")  # no build context: unknown, not guessed
    assert d.estimated_bytes is None and "yarn.lock" in d.estimate_basis


@pytest.mark.parametrize("text", [
    '# yarn lockfile v1\n\n\naccepts@~1.3.8:\n  version "1.3.8"\n  resolved "https://x"\n\n'
    'debug@2.6.9:\n  version "2.6.9"\n',
    '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"accepts@npm:~1.3.8":\n  version: 1.3.8\n'
    '  resolution: "accepts@npm:1.3.8"\n\n"debug@npm:2.6.9":\n  version: 2.6.9\n  resolution: "debug@npm:2.6.9"\n\n'
    '"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n',
])
def test_yarn_lock_entries_classic_and_berry(text):
    from dlint.build_context import count_entries, count_kind

    assert count_kind("web/yarn.lock") == "yarn-lock"
    assert count_entries(text, "yarn-lock") == 2


def test_l003_go_build_cache_per_program_built_before_the_cleanup():
    per = D["caches"]["go"]["bytes_per_package"]
    text = ("FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n"
            "RUN go install example.com/a/cmd@v1.2.0 example.com/b@v0.3.0\nRUN go clean -cache\n")
    d = one(text, "L003")
    assert d.estimated_bytes == 3 * per
    assert "3 programs built" in d.estimate_basis


def test_l004_apt_lists_left_by_update_and_install():
    d = one("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n", "L004")
    assert d.estimated_bytes == LISTS_12


# ------------------------------------------------------------------------------------------------ L005


def test_l005_sums_the_recommends_not_installed_anyway():
    pk = apt_packages()
    assert "git" in pk["recommends"] and "openssh-client" in pk["recommends"]["git"]
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n"
    d = one(text, "L005")
    expected = sum(pk["sizes"][n] for n in pk["recommends"]["git"])
    assert d.estimated_bytes == expected > 0
    # openssh-client named in the stage: installed anyway, so not a saving of --no-install-recommends
    text2 = text.replace("install -y git", "install -y git openssh-client")
    d2 = [d for d in findings(text2) if d.code == "L005"][0]
    assert d2.estimated_bytes < expected


def test_l005_recommends_counted_once_per_stage():
    pk = apt_packages()
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n"
            "RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n")
    first, second = [d for d in findings(text) if d.code == "L005"]
    assert first.estimated_bytes == sum(pk["sizes"][n] for n in pk["recommends"]["git"])
    assert second.estimated_bytes == 0


def test_l005_unknown_package_or_distribution():
    d = one("FROM debian:12\nRUN apt-get update && apt-get install -y no-such-package-here && rm -rf /var/lib/apt/lists/*\n", "L005")
    assert d.estimated_bytes is None and "no-such-package-here" in d.estimate_basis
    d = one("FROM ubuntu:24.04\nRUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*\n", "L005")
    assert d.estimated_bytes is None


# ------------------------------------------------------------------------------------------------ L006, L007


def test_l006_one_small_file_stored_again_as_tar():
    text = "FROM debian:12-slim\nCOPY entry.sh /usr/local/bin/entry.sh\nRUN chmod 755 /usr/local/bin/entry.sh\n"
    ctx = FakeContext({"entry.sh": (192, 1, 0)})
    d = one(text, "L006", ctx)
    # usr/, usr/local/, usr/local/bin/ and the file: 4 headers, one block of content, the end of the tar
    assert d.estimated_bytes == 4 * 512 + 512 + 1024
    assert ctx.asked == ["entry.sh"]


def test_l006_directory_and_no_context():
    text = "FROM debian:12-slim\nCOPY app/ /home/app/site/\nRUN chown -R nobody /home/app/site\n"
    big = one(text, "L006", FakeContext({"app": (50_000_000, 1000, 10)}))
    assert 50_000_000 < big.estimated_bytes < 51_500_000
    d = one(text, "L006")
    assert d.estimated_bytes is None and "build context" in d.estimate_basis


def test_l006_copy_from_a_stage_is_unknown():
    text = ("FROM debian:12 AS build\nRUN mkdir /out\nFROM debian:12-slim\nCOPY --from=build /out /opt/out\n"
            "RUN chown -R nobody /opt/out\nUSER nobody\n")
    d = one(text, "L006", FakeContext())
    assert d.estimated_bytes is None and "build" in d.estimate_basis


def test_l007_copied_archive_deleted_later():
    text = "FROM debian:12-slim\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n"
    d = one(text, "L007", FakeContext({"app.tar.gz": (30_000_000, 1, 0)}))
    assert d.estimated_bytes == 512 + 30_000_128 + 1024  # header, content in whole blocks, end of tar


# ------------------------------------------------------------------------------------------------ B rules


def test_b003_toolchain_closure_counted_once():
    pk = apt_packages()
    text = ("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential "
            "&& rm -rf /var/lib/apt/lists/*\nCOPY . /src\nRUN make -C /src\nCMD [\"/src/app\"]\n")
    d = one(text, "B003")
    assert d.estimated_bytes == sum(pk["sizes"][n] for n in pk["closure"]["build-essential"]) > 100_000_000


GO_APP = ("FROM golang:1.23 AS build\nRUN CGO_ENABLED=0 go build -o /out/app .\nFROM {base}\n"
          "COPY --from=build /out/app /app\nCMD [\"/app\"]\n")


def test_b001_is_the_base_image_against_the_recommended_distroless_one():
    sizes = D["base_images"]
    d = one(GO_APP.format(base="ubuntu:24.04"), "B001")
    assert "gcr.io/distroless/static-debian13" in d.message
    full = sizes["images"]["ubuntu:24.04"]["bytes"]
    small = sizes["distroless"]["gcr.io/distroless/static-debian13"]["bytes"]
    assert d.estimated_bytes == full - small > 0
    assert "`ubuntu:24.04`" in d.estimate_basis and "static-debian13" in d.estimate_basis
    # spelled with Docker Hub's registry and library/: the same image, the same figure
    d = one(GO_APP.format(base="docker.io/library/ubuntu:24.04"), "B001")
    assert d.estimated_bytes == full - small


@pytest.mark.parametrize("base", ["ubuntu:16.04", "registry.example.com/ubuntu:24.04"])
def test_b001_base_image_not_listed_is_unknown(base):
    d = one(GO_APP.format(base=base), "B001")
    assert d.estimated_bytes is None and "unknown" in d.estimate_basis and "size of `" in d.estimate_basis


def test_b001_distroless_size_not_known_is_unknown(monkeypatch):
    text = ("FROM node:22 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
            "FROM node:22-slim\nCOPY --from=build /app /app\nCMD [\"node\", \"/app/server.js\"]\n")
    monkeypatch.setitem(D["base_images"]["images"], "node:22-slim", {"bytes": 200_000_000, "source": "test"})
    d = one(text, "B001")
    assert "nodejs22-debian13" in d.message
    assert D["base_images"]["distroless"]["gcr.io/distroless/nodejs22-debian13"]["bytes"] is None
    assert d.estimated_bytes is None and "nodejs22-debian13" in d.estimate_basis


def test_rules_not_about_bytes_carry_none():
    for d in findings("FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n"):
        if d.code == "B004":
            assert d.estimated_bytes is None and d.estimate_basis is None


# ------------------------------------------------------------------------------------------------ data


def test_every_figure_has_a_source_and_the_file_a_date():
    assert D["checked"]
    for section in ("apt_lists", "package_database_per_layer", "caches", "indexes"):
        for name, entry in D[section].items():
            assert entry.get("source"), (section, name)
            value = entry.get("bytes", entry.get("bytes_per_package"))
            assert value is None or (isinstance(value, int) and value > 0) or section == "indexes"
            if value is None:
                assert entry["source"].startswith("unknown"), (section, name)
    for part in ("images", "distroless"):
        for name, entry in D["base_images"][part].items():
            assert entry["source"] and (entry["bytes"] is None) == entry["source"].startswith("unknown"), name
            assert entry["bytes"] is None or isinstance(entry["bytes"], int) and entry["bytes"] > 0


@pytest.mark.parametrize("n, text", [(0, "~0 B"), (999, "~999 B"), (4096, "~4 kB"), (999_499, "~999 kB"),
                                     (1_329_152, "~1.3 MB"), (19_885_580, "~20 MB"), (947_179_520, "~947 MB")])
def test_format_bytes(n, text):
    assert format_bytes(n) == text


# ------------------------------------------------------------------------------------------------ output

SAMPLE = ("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y git\nCOPY run.sh /usr/local/bin/run.sh\n"
          "RUN chmod 755 /usr/local/bin/run.sh\nCMD [\"run.sh\"]\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(SAMPLE)
    (tmp_path / "run.sh").write_text("#!/bin/sh\nexec sleep infinity\n")
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_json_has_both_keys_on_every_finding(project):
    rows = json.loads(run("check", "--format", "json", "--extend-select", "L008", "Dockerfile").stdout)
    assert rows
    for row in rows:
        assert "estimated_bytes" in row and "estimate_basis" in row
    by_code = {row["code"]: row for row in rows}
    assert by_code["L001"]["estimated_bytes"] == LISTS_12
    # the size of run.sh was read from the build context (the Dockerfile's directory)
    size = os.path.getsize(project / "run.sh")
    assert size < 512 and by_code["L006"]["estimated_bytes"] == 4 * 512 + 512 + 1024


def test_stdin_has_no_build_context(project):
    r = CliRunner().invoke(main, ["check", "--format", "json", "-"], input=SAMPLE)
    by_code = {row["code"]: row for row in json.loads(r.stdout)}
    assert by_code["L006"]["estimated_bytes"] is None
    assert by_code["L001"]["estimated_bytes"] == LISTS_12


def test_sarif_properties_validate(project):
    jsonschema = pytest.importorskip("jsonschema")
    if not os.path.exists(SARIF_SCHEMA):
        pytest.skip("SARIF schema not available")
    report = json.loads(run("check", "--format", "sarif", "Dockerfile").stdout)
    with open(SARIF_SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    jsonschema.validators.validator_for(schema)(schema).validate(report)
    results = report["runs"][0]["results"]
    props = {r["ruleId"]: r["properties"] for r in results}
    assert props["L001"] == {"estimated_bytes": LISTS_12, "estimate_basis": "apt package lists of Debian 12 (bookworm)",
                             "hadolint": "DL3009"}  # the apt lists an update-only RUN keeps: hadolint's DL3009
    assert all(set(r["properties"]) == {"estimated_bytes", "estimate_basis", "hadolint"} for r in results)


def test_text_shows_the_estimate(project):
    out = run("check", "Dockerfile").stdout
    assert "       = ~20 MB: apt package lists of Debian 12 (bookworm)" in out.splitlines()
    assert "~4 kB: 1 entry stored again" in out


def test_sort_bytes_largest_first_unknown_last(project):
    (project / "b.Dockerfile").write_text("FROM ubuntu:24.04\nRUN apt-get update\nRUN apt-get install -y curl\n")
    rows = json.loads(run("check", "--format", "json", "--sort", "bytes", "Dockerfile", "b.Dockerfile").stdout)
    sizes = [r["estimated_bytes"] for r in rows]
    known = [s for s in sizes if s is not None]
    assert known == sorted(known, reverse=True)
    assert sizes == known + [None] * (len(sizes) - len(known))
    l001 = [(r["file"], r["estimated_bytes"]) for r in rows if r["code"] == "L001"]
    assert l001 == [("b.Dockerfile", D["apt_lists"]["ubuntu-24.04"]["bytes"]), ("Dockerfile", LISTS_12)]
    default = json.loads(run("check", "--format", "json", "Dockerfile", "b.Dockerfile").stdout)
    assert sorted(map(json.dumps, default)) == sorted(map(json.dumps, rows))  # the same findings, reordered
    text = run("check", "-q", "--sort", "bytes", "Dockerfile", "b.Dockerfile").stdout.splitlines()
    assert [(line.split(":")[0], line.split()[1]) for line in text] == [(r["file"], r["code"]) for r in rows]


def test_statistics_sum_bytes_per_rule(project):
    (project / "b.Dockerfile").write_text("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y jq\n")
    rows = json.loads(run("check", "--format", "json", "Dockerfile", "b.Dockerfile").stdout)
    stats = json.loads(run("check", "--statistics", "--format", "json", "Dockerfile", "b.Dockerfile").stdout)
    for row in stats:
        known = [r["estimated_bytes"] for r in rows if r["code"] == row["code"] and r["estimated_bytes"] is not None]
        assert row["estimated_bytes"] == (sum(known) if known else None)
    assert {r["code"]: r["estimated_bytes"] for r in stats}["L001"] == 2 * LISTS_12


def test_layers_shows_the_estimated_saving(project):
    (f,) = json.loads(run("layers", "--format", "json", "--extend-select", "L005", "Dockerfile").stdout)
    (st,) = f["stages"]
    # dlint fix merges the update into the install and deletes the lists, and sets the mode when copying
    assert st["estimated_saving_fix"] == LISTS_12 + 4 * 512 + 512 + 1024
    assert st["estimated_saving_unsafe_fixes"] > st["estimated_saving_fix"]  # and git's recommends go
    text = run("layers", "--extend-select", "L005", "Dockerfile").stdout
    assert f"    estimated saving: {format_bytes(st['estimated_saving_fix'])} with `dlint fix`" in text


def test_l001_counts_the_lists_only_when_the_merge_can_lose_them():
    cleaned = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    assert one(cleaned, "L001").estimated_bytes == LISTS_12
    nobody_after = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nCMD [\"curl\"]\n"
    assert one(nobody_after, "L001").estimated_bytes == LISTS_12  # the merged RUN can clean them
    make_after = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y gcc\nRUN make\n"
    d = one(make_after, "L001")
    assert d.estimated_bytes == 0 and "may still read them" in d.estimate_basis


def test_yarn_lock_read_from_the_build_context(tmp_path, monkeypatch):
    """The CLI reads the yarn.lock the Dockerfile copies and counts its packages for the cache estimate."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(
        "FROM node:22\nWORKDIR /srv\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n"
        "COPY server.js ./\nCMD [\"node\", \"server.js\"]\n")
    (tmp_path / "package.json").write_text('{"dependencies": {"a": "1.0.0", "b": "2.0.0"}}\n')
    (tmp_path / "server.js").write_text("")
    entries = "".join(f'{name}@^{v}:\n  version "{v}"\n  resolved "https://registry.yarnpkg.com/{name}"\n\n'
                      for name, v in (("a", "1.0.0"), ("b", "2.0.0"), ("c", "0.1.0")))
    (tmp_path / "yarn.lock").write_text("# yarn lockfile v1\n\n\n" + entries)
    result = run("check", "--select", "L004", "--format", "json", "Dockerfile")
    found = [d for d in json.loads(result.output) if d["code"] == "L004"]
    assert len(found) == 1
    assert found[0]["estimated_bytes"] == 3 * D["caches"]["yarn"]["bytes_per_package"]
