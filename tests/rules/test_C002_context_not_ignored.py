"""C002: a COPY of the build context takes in .git, dependency folders the image installs itself, or secrets;
the fix adds them to the ignore file (a second file written by ``dlint fix``)."""
import json
import os
import stat

from click.testing import CliRunner

from dlint.checking import check_source
from dlint.cli import main
from dlint.fixer import fix_files
from dlint.inputs import read_context
from dlint.settings import Settings

NODE = "FROM node:22-slim\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"s.js\"]\n"
PLAIN = "FROM alpine:3.20\nCOPY . /srv/\n"


def make(root, files):
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8", newline="")


def found(root, text, files=(), name="Dockerfile", severity=None):
    make(root, dict(files))
    ctx = read_context(str(root), str(root / name))
    settings = Settings(enabled={"C002"}, context=ctx, severity=severity or {})
    return check_source(str(root / name), text.encode(), settings).diagnostics


def run(args, cwd, monkeypatch, stdin=None):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, args, input=stdin)


def test_present_entries_are_reported_absent_ones_are_not(tmp_path):
    assert not found(tmp_path, PLAIN, {"app.py": ""})
    [d] = found(tmp_path, PLAIN, {".git/HEAD": "ref\n"})
    assert ".git" in d.message and d.severity == "warning" and "no .dockerignore" in d.message


def test_excluded_entries_are_not_reported(tmp_path):
    files = {".git/HEAD": "", "src/__pycache__/a.pyc": ""}
    assert not found(tmp_path, PLAIN, {**files, ".dockerignore": ".git\n**/__pycache__\n"})
    assert not found(tmp_path, PLAIN, {**files, ".dockerignore": "*\n!src/*.py\n"})
    [d] = found(tmp_path, PLAIN, {**files, ".dockerignore": "*.md\n"})
    assert "src/__pycache__" in d.message and "lets them in" in d.message


def test_only_the_copied_directory_counts(tmp_path):
    files = {".git/HEAD": "", "src/main.py": "", ".env": "X=1\n"}
    assert not found(tmp_path, "FROM python:3.13\nCOPY src/ /app/\n", files)
    assert not found(tmp_path, "FROM python:3.13\nCOPY --from=build . /app/\n", files)
    assert found(tmp_path, "FROM python:3.13\nCOPY . /app/\n", files)


def test_dependency_folders_only_when_the_image_installs_them(tmp_path):
    files = {"node_modules/x/index.js": "", "package.json": "{}", ".venv/bin/python": "", "Cargo.toml": "",
             "target/release/app": ""}
    assert not found(tmp_path, PLAIN, files)
    [d] = found(tmp_path, NODE, files)
    assert "node_modules" in d.message and ".venv" not in d.message
    [d] = found(tmp_path, "FROM python:3.13\nCOPY . /app\nRUN pip install -r requirements.txt\n", files)
    assert ".venv" in d.message and "node_modules" not in d.message
    [d] = found(tmp_path, "FROM rust:1\nCOPY . /app\nRUN cargo build --release\n", files)
    assert "target" in d.message


def test_git_is_not_reported_when_the_build_uses_it(tmp_path):
    files = {".git/HEAD": ""}
    assert not found(tmp_path, "FROM alpine:3.20\nCOPY . /src\nRUN git -C /src describe > /version\n", files)
    files["pyproject.toml"] = "[build-system]\nrequires = [\"setuptools\", \"setuptools-scm\"]\n"
    assert not found(tmp_path, "FROM python:3.13\nCOPY . /src\nRUN pip install /src\n", files)


def test_git_named_anywhere_in_a_run_keeps_it(tmp_path):
    files = {".git/HEAD": ""}
    for run in ("RUN apk add --no-cache git", "RUN VERSION=$(git describe --tags) && echo $VERSION > /v",
                "RUN <<EOT\nset -e\nV=$(git rev-parse HEAD)\nEOT", "RUN ./hack/git-meta version > /v"):
        assert not found(tmp_path, f"FROM alpine:3.20\nCOPY . /src\n{run}\n", files), run
    assert found(tmp_path, "FROM alpine:3.20\nCOPY . /src\nRUN pip install gitpython\n", files)


def test_secrets_are_errors(tmp_path):
    [d] = found(tmp_path, PLAIN, {".env": "TOKEN=1\n", ".git/HEAD": ""})
    assert d.severity == "error" and d.message.index(".env") < d.message.index(".git")
    [d] = found(tmp_path, PLAIN, {".env": "TOKEN=1\n"}, severity={"C002": "info"})
    assert d.severity == "info"  # the user's severity wins


def test_which_files_are_secrets(tmp_path):
    for name in (".env", ".env.production", "id_rsa", "keys/id_ed25519", "server.pem", "tls/private-key.pem"):
        assert found(tmp_path / name.replace("/", "_"), PLAIN, {name: "x\n"}), name
    for name in (".env.example", ".env.sample", "id_rsa.pub", "ca.pem", "cacert.pem", "fullchain.pem", "cert.pem"):
        assert not found(tmp_path / ("n" + name.replace("/", "_")), PLAIN, {name: "x\n"}), name


def test_keys_of_the_projects_tests_are_fixtures(tmp_path):
    for name in ("client/testdata/key.pem", "integration-cli/fixtures/https/client-key.pem", "tests/.env",
                 "src/test/resources/id_rsa", "e2e/server-key.pem"):
        assert not found(tmp_path / ("t" + name.replace("/", "_")), PLAIN, {name: "x\n"}), name
    assert found(tmp_path / "contest", PLAIN, {"contest/key.pem": "x\n"})  # a word that holds "test" is no test directory


def test_npmrc_only_with_a_token_written_out(tmp_path):
    assert found(tmp_path / "a", PLAIN, {".npmrc": "//registry.npmjs.org/:_authToken=npm_abc123\n"})
    assert not found(tmp_path / "b", PLAIN, {".npmrc": "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"})
    assert not found(tmp_path / "c", PLAIN, {".npmrc": "registry=https://registry.example.com/\n"})


def test_entries_wanted_on_purpose_are_not_reported(tmp_path):
    files = {".env": "X=1\n"}
    assert not found(tmp_path, PLAIN + "COPY .env /srv/.env\n", files)
    assert not found(tmp_path, PLAIN, {**files, ".dockerignore": "*.md\n!.env\n"})


def test_fix_creates_the_ignore_file_and_settles(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": NODE, "package.json": "{}", ".git/HEAD": "", "node_modules/a/b.js": "",
                    "app/__pycache__/m.pyc": "", "s.js": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    assert (tmp_path / ".dockerignore").read_text() == ".git\n**/__pycache__\nnode_modules\n"
    assert (tmp_path / "Dockerfile").read_text() == NODE
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 0 and "fixed" not in r.output
    assert (tmp_path / ".dockerignore").read_text() == ".git\n**/__pycache__\nnode_modules\n"
    assert sorted(os.listdir(tmp_path)) == sorted([".dockerignore", ".git", "Dockerfile", "app", "node_modules",
                                                   "package.json", "s.js"])  # no temporary file left


def test_safe_fix_alone_does_not_touch_the_context(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": ""})
    r = run(["fix", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 1 and not (tmp_path / ".dockerignore").exists()


def test_diff_shows_the_ignore_file_and_writes_nothing(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": "", ".dockerignore": "*.md"})
    r = run(["fix", "--diff", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 1
    assert r.stdout == ("--- a/.dockerignore\n+++ b/.dockerignore\n@@ -1 +1,2 @@\n-*.md\n"
                        "\\ No newline at end of file\n+*.md\n+.git\n\\ No newline at end of file\n")
    assert (tmp_path / ".dockerignore").read_text() == "*.md"
    make(tmp_path, {".dockerignore": ""})
    os.unlink(tmp_path / ".dockerignore")
    r = run(["fix", "--diff", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.stdout.startswith("--- /dev/null\n+++ b/.dockerignore\n") and not (tmp_path / ".dockerignore").exists()


def test_the_files_own_style_is_kept(tmp_path, monkeypatch):
    cases = [("*.md", "*.md\n.git"), ("*.md\n", "*.md\n.git\n"), ("*.md\r\n# notes\r\n", "*.md\r\n# notes\r\n.git\r\n"),
             ("/docs\n/*.md\n", "/docs\n/*.md\n/.git\n"), ("", ".git\n")]
    for before, after in cases:
        make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": "", ".dockerignore": before})
        r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
        assert r.exit_code == 0, r.output
        with open(tmp_path / ".dockerignore", newline="") as fh:
            assert fh.read() == after, before


def test_the_dockerfiles_own_ignore_file_is_the_one_edited(tmp_path, monkeypatch):
    make(tmp_path, {"web.Dockerfile": PLAIN, "web.Dockerfile.dockerignore": "*.md\n", ".dockerignore": ".git\n",
                    ".git/HEAD": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "web.Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "web.Dockerfile.dockerignore").read_text() == "*.md\n.git\n"
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"


def test_context_elsewhere_gets_the_new_file_at_its_root(tmp_path, monkeypatch):
    make(tmp_path, {"docker/Dockerfile": PLAIN, "ctx/.git/HEAD": "", "ctx/app.py": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "--context", "ctx", "docker/Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "ctx/.dockerignore").read_text() == ".git\n"
    assert not (tmp_path / "docker/.dockerignore").exists()


def test_mode_and_content_guard_of_the_ignore_file(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": "", ".dockerignore": "*.md\n"})
    os.chmod(tmp_path / ".dockerignore", 0o640)
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(os.stat(tmp_path / ".dockerignore").st_mode) == 0o640


def test_a_symlinked_ignore_file_is_not_written(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    make(tmp_path, {"outside": "*.md\n", "ctx/Dockerfile": PLAIN, "ctx/.git/HEAD": ""})
    os.symlink(outside, tmp_path / "ctx/.dockerignore")
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "ctx/Dockerfile"], tmp_path, monkeypatch)
    assert r.exit_code in (0, 1), r.output  # an ignore file dlint does not read is one it does not write
    assert outside.read_text() == "*.md\n" and os.path.islink(tmp_path / "ctx/.dockerignore")


def test_standard_input_gets_no_fix_and_writes_nothing(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "--stdin-filename", "Dockerfile", "-"], tmp_path,
            monkeypatch, stdin=PLAIN)
    assert r.stdout == PLAIN and not (tmp_path / ".dockerignore").exists()
    r = run(["check", "--format", "json", "--select", "C002", "--stdin-filename", "Dockerfile", "-"], tmp_path,
            monkeypatch, stdin=PLAIN)
    [d] = json.loads(r.stdout)
    assert not d["fixable"] and "not for standard input" in d["message"]


def test_check_json_shows_the_edit_of_the_other_file(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": ""})
    r = run(["check", "--format", "json", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    [d] = json.loads(r.stdout)
    [other] = d["fix"]["other_files"]
    assert other["file"] == str(tmp_path / ".dockerignore") and other["creates"] is True
    assert other["edits"] == [{"start": 0, "end": 0, "replacement": ".git\n"}]


def test_two_dockerfiles_sharing_a_context(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, "Dockerfile.node": NODE, ".git/HEAD": "", "node_modules/a.js": "",
                    "package.json": "{}"})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile", "Dockerfile.node"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile", "Dockerfile.node"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output
    assert set((tmp_path / ".dockerignore").read_text().split()) == {".git", "node_modules"}
    r = run(["check", "--select", "C002", "Dockerfile", "Dockerfile.node"], tmp_path, monkeypatch)
    assert r.exit_code == 0, r.output


def test_the_fixer_is_pure_and_follows_the_new_ignore_file(tmp_path):
    make(tmp_path, {".git/HEAD": "", ".env": "A=1\n"})
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    text = PLAIN + "FROM alpine:3.20 AS other\nCOPY . /x/\n"
    settings = Settings(enabled={"C002"}, context=ctx, context_fixes=True)
    new, diags, problem, others = fix_files("Dockerfile", text, settings, True)
    assert problem is None and new == text and not (tmp_path / ".dockerignore").exists()
    assert others == {str(tmp_path / ".dockerignore"): (None, ".env\n.git\n")}
    assert not diags  # both copies are clean once the ignore file holds the entries
    settings.context_fixes = False
    assert fix_files("Dockerfile", text, settings, True)[3] == {}


def test_a_failed_dockerfile_write_takes_the_ignore_file_back(tmp_path):
    from dlint.commands import _write_result
    from dlint.diagnostics import FileResult

    make(tmp_path, {"Dockerfile": "FROM alpine:3.20\nCOPY . /srv/ \n", ".dockerignore": "*.md\n"})
    created = str(tmp_path / "sub.dockerignore")
    result = FileResult(str(tmp_path / "Dockerfile"), source="not what the file holds\n", fixed=PLAIN)
    others = {str(tmp_path / ".dockerignore"): ("*.md\n", "*.md\n.git\n"), created: (None, ".git\n")}
    written = {}
    problem = _write_result(result, others, written)
    assert problem is not None and "changed on disk" in problem
    assert (tmp_path / ".dockerignore").read_text() == "*.md\n" and not os.path.exists(created)
    assert written == {}
    result.source = (tmp_path / "Dockerfile").read_text()
    assert _write_result(result, others, written) is None
    assert (tmp_path / ".dockerignore").read_text() == "*.md\n.git\n" and (tmp_path / "Dockerfile").read_text() == PLAIN


def test_an_npmrc_the_install_reads_is_reported_but_not_left_out(tmp_path, monkeypatch):
    token = "//registry.npmjs.org/:_authToken=npm_abc123\n"
    text = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    make(tmp_path, {"Dockerfile": text, "package.json": "{}", ".npmrc": token})
    r = run(["check", "--format", "json", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    [d] = json.loads(r.stdout)
    assert d["severity"] == "error" and not d["fixable"] and "build secret" in d["message"]
    make(tmp_path, {".git/HEAD": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002,C001", "Dockerfile"], tmp_path, monkeypatch)
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"
    assert "COPY package.json .npmrc ./" in (tmp_path / "Dockerfile").read_text()  # C001's copy still works
    r = run(["check", "--format", "json", "--select", "C003", "Dockerfile"], tmp_path, monkeypatch)
    assert json.loads(r.stdout) == []


def test_sarif_names_the_ignore_file_in_the_fix(tmp_path, monkeypatch):
    from test_formats import assert_valid_sarif

    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": "", ".dockerignore": "*.md\n"})
    r = run(["check", "--format", "sarif", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    data = json.loads(r.stdout)
    assert_valid_sarif(data)
    [result] = data["runs"][0]["results"]
    [change] = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == ".dockerignore"
    [rep] = change["replacements"]
    assert rep["deletedRegion"]["startLine"] == 2 and rep["insertedContent"]["text"] == ".git\n"


def test_show_fixes_shows_the_ignore_file_lines(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, ".git/HEAD": ""})
    r = run(["check", "--show-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert "in .dockerignore (created):\n         + .git\n" in r.stdout


def test_the_fixer_applies_edits_only_to_the_files_it_may_write():
    from dlint.diagnostics import Diagnostic, Edit, Fix
    from dlint.fixer import _CHOSEN, choose_fixes

    def diag(start, elsewhere):
        return Diagnostic("Dockerfile", 1, 1, 1, 1, "C002", "n", "warning", "m",
                          Fix("t", "unsafe", [], elsewhere), start=start, end=start)

    allowed = {"/ctx/.dockerignore": "a\n"}
    diags = [diag(0, {"/etc/passwd": (None, [Edit(0, 0, "x")])}),  # not a file of the context
             diag(1, {"/ctx/.dockerignore": ("old\n", [Edit(4, 4, "b\n")])}),  # made on an older text
             diag(2, {"/ctx/.dockerignore": ("a\n", [Edit(2, 2, "c\n")])}),
             diag(3, {"/ctx/.dockerignore": ("a\n", [Edit(2, 2, "d\n")])})]  # touches the chosen edit
    others = dict(allowed)
    assert choose_fixes(diags, True, others) == []
    assert others[_CHOSEN] == {"/ctx/.dockerignore": [Edit(2, 2, "c\n")]}
    assert choose_fixes(diags, True) == []  # without files to write, none of them


def test_a_name_the_ignore_file_would_read_as_a_pattern_is_not_written(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": PLAIN, "key[1].pem": "x\n"})
    r = run(["check", "--format", "json", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    [d] = json.loads(r.stdout)
    assert not d["fixable"] and "by hand" in d["message"]
    make(tmp_path, {".git/HEAD": ""})
    r = run(["fix", "--unsafe-fixes", "--select", "C002", "Dockerfile"], tmp_path, monkeypatch)
    assert (tmp_path / ".dockerignore").read_text() == ".git\n"
