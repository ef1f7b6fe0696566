"""`dlint server` end to end: a real client (pytest-lsp) drives the server over stdio.

Findings are compared with what `dlint check --format json` reports for the same file, and the edits of
code actions, applied, with what `dlint fix` writes."""
import asyncio
import json
import os
import subprocess
import sys

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
lsp = pytest.importorskip("lsprotocol.types")
from pygls import uris  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from run_dlint import ROOT, dlint, env  # noqa: E402

# One server answers most tests (each test has its own files); tests that need another server start one.
pytestmark = pytest.mark.asyncio(loop_scope="module")

PUBLISH = lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
WAIT = 20  # seconds: a safety net against a hang, not a time limit on the server
GOOD = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"


class Client(LanguageClient):
    """A test client that keeps every publishDiagnostics and lets a test wait for one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = []
        self.arrived = asyncio.Event()

    def mark(self):
        return len(self.published)

    async def published_for(self, uri, version, since=0):
        """The diagnostics published for ``uri`` at ``version`` (the first after ``since``)."""
        async def wait():
            while True:
                for params in self.published[since:]:
                    if params.uri == uri and params.version == version:
                        return params.diagnostics
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(wait(), WAIT)


def _record(client: LanguageClient, params):
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(params)
    client.arrived.set()


def _register(client: LanguageClient, params):
    return None


def make_client():
    from pygls.protocol import default_converter

    client = Client(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[PUBLISH] = _record
    features[lsp.CLIENT_REGISTER_CAPABILITY] = _register
    register_lsp_features(client, features)
    return client


def server_config(*command):
    return ClientServerConfig(server_command=list(command) or [sys.executable, "-m", "dlint", "server"],
                              client_factory=make_client, server_env=env())


async def start(client, workdir, capabilities="visual-studio-code", debounce=20):
    await client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities(capabilities), root_uri=uris.from_fs_path(str(workdir)),
        initialization_options={"debounce": debounce}))


@pytest_lsp.fixture(config=server_config(), scope="module")
async def client(lsp_client: Client, tmp_path_factory):
    await start(lsp_client, tmp_path_factory.mktemp("workspace"))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=server_config(), loop_scope="module")
async def own_client(lsp_client: Client):
    yield
    await lsp_client.shutdown_session()


# Helpers


OPT_IN = 'extend-select = ["L002", "L005"]\n'  # opt-in rules (L005 has an unsafe fix), as a project may turn them on


@pytest.fixture(autouse=True)
def project_config(tmp_path):
    """Each test's folder has a configuration that turns L005 on: the server must follow it, as check does."""
    (tmp_path / ".dlint.toml").write_text(OPT_IN)


def open_doc(client, path, text, language="dockerfile", version=1):
    path.write_text(text, encoding="utf-8")
    uri = uris.from_fs_path(str(path))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))
    return uri


def change(client, uri, version, rng, text):
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=text)]))


def rng(sl, sc, el, ec):
    return lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec))


def utf16_offset(text, line, character):
    """A UTF-16 position as an index into ``text`` (lines end at \\n here)."""
    start = 0
    for _ in range(line):
        start = text.index("\n", start) + 1
    units = 0
    i = start
    while units < character:
        units += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    return i


def apply_edits(text, edits):
    spans = sorted(((utf16_offset(text, e.range.start.line, e.range.start.character),
                     utf16_offset(text, e.range.end.line, e.range.end.character), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_of(action, uri):
    edit = action.edit
    if edit.document_changes:
        return [e for dc in edit.document_changes if dc.text_document.uri == uri for e in dc.edits]
    return edit.changes[uri]


def dlint_check_json(path):
    proc = dlint("check", "--format", "json", path.name, cwd=str(path.parent))
    return json.loads(proc.stdout)


def dlint_fixed(path, text, *extra):
    path.write_text(text, encoding="utf-8")
    dlint("fix", *extra, path.name, cwd=str(path.parent))
    return path.read_text(encoding="utf-8")


async def code_actions(client, uri, r, only=None, diagnostics=()):
    return await asyncio.wait_for(client.text_document_code_action_async(lsp.CodeActionParams(
        text_document=lsp.TextDocumentIdentifier(uri), range=r,
        context=lsp.CodeActionContext(diagnostics=list(diagnostics), only=only))), WAIT) or []


SEVERITY = {"error": 1, "warning": 2, "info": 3, "style": 4}


def expected_from_check(path, text):
    """(code, range, severity, message) of each finding of ``dlint check``, its columns made UTF-16."""
    out = []
    path.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    for f in dlint_check_json(path):
        def pos(line, column):
            before = lines[line - 1][:column - 1]
            return line - 1, len(before.encode("utf-16-le")) // 2
        out.append((f["code"], pos(f["line"], f["column"]) + pos(f["end_line"], f["end_column"]),
                    SEVERITY[f["severity"]], f["message"]))
    return sorted(out)


def got(diags):
    return sorted((d.code, (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
                   int(d.severity), d.message) for d in diags)


# Diagnostics


async def test_open_reports_what_check_reports_with_exact_ranges(client: Client, tmp_path):
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, GOOD)
    diags = await client.published_for(uri, 1)
    assert got(diags) == expected_from_check(path, GOOD)
    by_code = {d.code: d for d in diags}
    assert set(by_code) == {"L001", "L005"}
    assert by_code["L001"].range == rng(1, 0, 1, 18)
    assert by_code["L001"].severity == lsp.DiagnosticSeverity.Warning
    assert by_code["L001"].source == "dlint"
    assert by_code["L001"].code_description.href.endswith("/rules/L001-update-without-install.md")
    # The install the finding names ("line 3") is its related location.
    related = by_code["L001"].related_information
    assert [r.location.range for r in related] == [rng(2, 0, 2, 27)]
    assert related[0].location.uri == uri and "apt-get install -y curl" in related[0].message


async def test_the_build_context_beside_the_file_is_read_as_check_reads_it(client: Client, tmp_path):
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0.0", "dependencies": {}}\n')
    (tmp_path / "package-lock.json").write_text('{"name": "app", "lockfileVersion": 3, "packages": {}}\n')
    text = 'FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n'
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, text)
    diags = await client.published_for(uri, 1)
    [c001] = [d for d in diags if d.code == "C001"]  # sources before the install
    assert "not readable" not in c001.message  # the context was read: its fix knows which manifests exist
    assert got(diags) == expected_from_check(path, text)


async def test_utf16_ranges_after_emoji_and_cjk(client: Client, tmp_path):
    text = ('FROM debian:12\n'
            'RUN echo "🐳 漢字" && apt-get install -y curl # 🐳🐳\n'
            'RUN echo "é" && apt-get update\n'
            'RUN apt-get install -y git\n')
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, text)
    diags = await client.published_for(uri, 1)
    assert got(diags) == expected_from_check(path, text)
    l005 = [d for d in diags if d.code == "L005" and d.range.start.line == 1]
    # L005 spans the RUN: 'RUN echo "' (10) + whale (2 UTF-16 units) + ' ' + two CJK characters (1 each) +
    # '" && ' (5) + 'apt-get install -y curl' (23) + ' # ' (3) + two whales (2 units each) = 50
    assert l005 and l005[0].range == rng(1, 0, 1, 50)
    assert "(line 2, column 20)" in l005[0].message  # dlint's own columns count characters, from 1
    # The L001 span on the next line ends after "é" (one unit).
    l001 = [d for d in diags if d.code == "L001"]
    assert l001[0].range == rng(2, 0, 2, 30)


async def test_utf8_positions_when_the_editor_asks_for_them_then_close_shutdown_exit(own_client: Client, tmp_path):
    client = own_client
    # Neovim 0.11 offers UTF-8 positions first; the server takes them.
    await start(client, tmp_path, capabilities="neovim")
    text = 'FROM debian:12\nRUN echo "🐳" && apt-get install -y curl\n'
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    diags = await client.published_for(uri, 1)
    l005 = [d for d in diags if d.code == "L005"]
    # the RUN: 'RUN echo "' (10 bytes) + whale (4 bytes) + '" && ' (5 bytes) + 'apt-get install -y curl' (23)
    assert l005 and l005[0].range.end == lsp.Position(1, 42)
    # Closing a file clears its diagnostics; shutdown then exit ends the server with status 0.
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
    assert list(await client.published_for(uri, None)) == []
    await client.shutdown_session()
    assert client._server.returncode == 0
    client.capabilities = None  # the fixture's shutdown has nothing left to do


async def test_change_updates_the_diagnostics(client: Client, tmp_path):
    uri = open_doc(client, tmp_path / "Dockerfile", GOOD)
    assert {d.code for d in await client.published_for(uri, 1)} == {"L001", "L005"}
    # "RUN apt-get update" -> "RUN apt-get update && apt-get install -y make": no update-only RUN left,
    # two RUNs that install
    change(client, uri, 2, rng(1, 18, 1, 18), " && apt-get install -y make")
    # (L004: the first RUN keeps its lists; its cleanup comes with the merge L002 proposes)
    assert {d.code for d in await client.published_for(uri, 2)} == {"L002", "L004", "L005"}
    change(client, uri, 3, rng(1, 18, 1, 45), "")
    diags = await client.published_for(uri, 3)
    assert got(diags) == expected_from_check(tmp_path / "Dockerfile", GOOD)


async def test_quick_fix_applied_gives_what_dlint_fix_writes(client: Client, tmp_path):
    text = ("FROM debian:12\nRUN apt-get update\n"
            "RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n")
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, text)
    diags = await client.published_for(uri, 1)
    assert [d.code for d in diags] == ["L001"]
    actions = await code_actions(client, uri, diags[0].range, diagnostics=diags)
    fixes = [a for a in actions if a.is_preferred]
    assert len(fixes) == 1 and fixes[0].kind == lsp.CodeActionKind.QuickFix
    assert fixes[0].title == "Merge the index update into the RUN that installs (L001)"
    assert apply_edits(text, edits_of(fixes[0], uri)) == dlint_fixed(path, text)


async def test_unsafe_fix_is_offered_and_titled_as_such(client: Client, tmp_path):
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, text)
    diags = await client.published_for(uri, 1)
    l005 = [d for d in diags if d.code == "L005"]
    assert l005
    actions = await code_actions(client, uri, l005[0].range)
    unsafe = [a for a in actions if a.title.startswith("Unsafe fix: ")]
    assert len(unsafe) == 1 and not unsafe[0].is_preferred
    assert apply_edits(text, edits_of(unsafe[0], uri)) == dlint_fixed(path, text, "--unsafe-fixes")


async def test_fix_all_gives_exactly_what_dlint_fix_writes(client: Client, tmp_path):
    text = ("# syntax=docker/dockerfile:1\n"
            "FROM debian:12 AS build\n"
            "RUN apt-get update\n"
            "# the compiler\n"
            "RUN apt-get install -y gcc  # 漢字 🐳\n"
            "RUN apt-get install -y make\n"
            "RUN cd /src\n"
            "RUN make\n"
            "FROM debian:12\n"
            "COPY --from=build /src/app /app\n"
            "RUN chmod +x /app\n"
            "RUN pip install flask\n"
            "RUN pip install gunicorn\n")
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, text)
    diags = await client.published_for(uri, 1)
    assert len(diags) >= 2
    for only in ([lsp.CodeActionKind.SourceFixAll], ["source.fixAll.dlint"], [lsp.CodeActionKind.Source]):
        actions = await code_actions(client, uri, rng(0, 0, 0, 0), only=only)
        assert [a.kind for a in actions] == ["source.fixAll.dlint"]
        fixed = apply_edits(text, edits_of(actions[0], uri))
        assert fixed == dlint_fixed(path, text) != text
    # Quick fixes are not source actions.
    assert await code_actions(client, uri, rng(2, 0, 2, 0), only=[lsp.CodeActionKind.QuickFix]) != []
    assert all(a.kind == lsp.CodeActionKind.QuickFix
               for a in await code_actions(client, uri, rng(2, 0, 2, 0), only=[lsp.CodeActionKind.QuickFix]))


async def test_ignore_action_inserts_a_pragma_above_the_instruction(client: Client, tmp_path):
    text = "FROM debian:12\n  RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n"
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    diags = await client.published_for(uri, 1)
    actions = await code_actions(client, uri, diags[0].range)
    ignore = [a for a in actions if a.title.startswith("Ignore L001")]
    assert len(ignore) == 1
    new = apply_edits(text, edits_of(ignore[0], uri))
    assert new == "FROM debian:12\n  # dlint: ignore=L001\n  RUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n"
    # The editor applies it: the finding is gone.
    change(client, uri, 2, rng(1, 0, 1, 0), "  # dlint: ignore=L001\n")
    assert "L001" not in {d.code for d in await client.published_for(uri, 2)}


async def test_ignore_action_extends_the_pragma_above(client: Client, tmp_path):
    text = "FROM debian:12\n# dlint: ignore=L005\nRUN apt-get update && apt-get install -y curl\nRUN apt-get install -y git\n"
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    diags = await client.published_for(uri, 1)
    l002 = [d for d in diags if d.code == "L002"]
    assert l002
    ignore = [a for a in await code_actions(client, uri, l002[0].range) if a.title.startswith("Ignore L002")]
    assert apply_edits(text, edits_of(ignore[0], uri)).split("\n")[1] == "# dlint: ignore=L005,L002"


async def test_changes_in_quick_succession_are_checked_once(own_client: Client, tmp_path):
    client = own_client
    # A long debounce interval, so that the changes below surely come within it of one another.
    await start(client, tmp_path, debounce=800)
    uri = open_doc(client, tmp_path / "Dockerfile", GOOD)
    await client.published_for(uri, 1)
    mark = client.mark()
    for version, word in enumerate(("make", "wget", "less", "nano"), start=2):
        change(client, uri, version, rng(2, 22, 2, 26 if version > 2 else 22), word + (" " if version == 2 else ""))
    diags = await client.published_for(uri, 5)
    assert [p.version for p in client.published[mark:]] == [5]
    assert got(diags) == expected_from_check(tmp_path / "Dockerfile", GOOD.replace("-y curl", "-y nano curl"))


# Hover and completion


def rule_page(code):
    return dlint("rule", code, cwd=ROOT).stdout.decode("utf-8")


async def test_hover_on_a_finding_and_on_a_code_in_a_pragma(client: Client, tmp_path):
    text = "FROM debian:12\n# dlint: ignore=L005, L008\nRUN apt-get update\nRUN apt-get install -y curl\n"
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    await client.published_for(uri, 1)
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(2, 6)))
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    page = rule_page("L001")
    assert page.strip() in hover.contents.value
    for section in ("## What it does", "## Why", "## Example", "## Fix safety"):
        assert section in hover.contents.value
    assert hover.range == rng(2, 0, 2, 18)
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(1, 23)))
    assert rule_page("L008").strip() in hover.contents.value and hover.range == rng(1, 22, 1, 26)
    # Nowhere near a finding or a code: nothing.
    assert await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 2))) is None


async def test_completion_of_codes_in_a_pragma(client: Client, tmp_path):
    text = "FROM debian:12\n# dlint: ignore=L001,L00\nRUN true\n"
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    await client.published_for(uri, 1)
    result = await client.text_document_completion_async(lsp.CompletionParams(
        lsp.TextDocumentIdentifier(uri), lsp.Position(1, 24)))
    labels = [i.label for i in result.items]
    assert "L002" in labels and "B001" in labels and "L001" not in labels  # L001 is listed already
    item = next(i for i in result.items if i.label == "L005")
    assert item.detail == "apt-no-install-recommends"
    assert item.text_edit.range == rng(1, 21, 1, 24) and item.text_edit.new_text == "L005"
    outside = await client.text_document_completion_async(lsp.CompletionParams(
        lsp.TextDocumentIdentifier(uri), lsp.Position(2, 5)))
    assert outside is None or outside.items == []


# Configuration, bad input, other files, lifecycle


async def test_configuration_change_changes_the_diagnostics(client: Client, tmp_path):
    path = tmp_path / "Dockerfile"
    uri = open_doc(client, path, GOOD)
    assert {d.code for d in await client.published_for(uri, 1)} == {"L001", "L005"}
    config = tmp_path / ".dlint.toml"
    config.write_text(OPT_IN + 'ignore = ["L001"]\n')
    mark = client.mark()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        [lsp.FileEvent(uri=uris.from_fs_path(str(config)), type=lsp.FileChangeType.Created)]))
    diags = await client.published_for(uri, 1, since=mark)
    # L004 reports the lists the update leaves once L001, which it defers to, is off
    assert got(diags) == expected_from_check(path, GOOD) and sorted(d.code for d in diags) == ["L004", "L005"]
    # Without a notification from the editor too: the next check sees the file changed.
    config.write_text(OPT_IN + '[severity]\nL005 = "error"\n')
    change(client, uri, 2, rng(3, 0, 3, 0), "\n")
    diags = await client.published_for(uri, 2)
    assert got(diags) == expected_from_check(path, GOOD)
    assert {d.code: int(d.severity) for d in diags} == {"L001": 2, "L005": 1}
    # A broken configuration is one diagnostic, as `dlint check` refuses it.
    config.write_text('select = ["NOPE"]\n')
    change(client, uri, 3, rng(4, 0, 4, 0), "\n")
    diags = await client.published_for(uri, 3)
    assert len(diags) == 1 and diags[0].severity == lsp.DiagnosticSeverity.Error
    assert "NOPE" in diags[0].message


async def test_watched_config_change_rechecks_open_files(client: Client, tmp_path):
    (tmp_path / ".dlint.toml").unlink()  # the defaults: L001 only
    uri = open_doc(client, tmp_path / "Dockerfile", GOOD)
    assert [d.code for d in await client.published_for(uri, 1)] == ["L001"]
    (tmp_path / "pyproject.toml").write_text('[tool.dlint]\nextend-select = ["L005"]\nignore = ["L001"]\n')
    mark = client.mark()
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        [lsp.FileEvent(uri=uris.from_fs_path(str(tmp_path / "pyproject.toml")), type=lsp.FileChangeType.Created)]))
    # with L001 off, L004 reports the lists the update leaves; L005 is on
    assert [d.code for d in await client.published_for(uri, 1, since=mark)] == ["L004", "L005"]


async def test_broken_file_is_one_diagnostic_and_the_server_goes_on(client: Client, tmp_path):
    text = "FROM debian:12\nRUN <<EOF\napt-get update\n"
    uri = open_doc(client, tmp_path / "Dockerfile", text)
    diags = await client.published_for(uri, 1)
    assert len(diags) == 1 and diags[0].severity == lsp.DiagnosticSeverity.Error and diags[0].code is None
    assert "heredoc" in diags[0].message.lower()
    assert await code_actions(client, uri, rng(0, 0, 3, 0)) == []  # nothing to fix in a file that does not parse
    change(client, uri, 2, rng(3, 0, 3, 0), "EOF\nRUN apt-get install -y curl\n")
    repaired = text + "EOF\nRUN apt-get install -y curl\n"
    diags = await client.published_for(uri, 2)
    assert diags and got(diags) == expected_from_check(tmp_path / "Dockerfile", repaired)
    # Bytes that are not UTF-8 on disk: the editor decodes them somehow, the server says so.
    path = tmp_path / "Dockerfile.latin1"
    path.write_bytes("FROM debian:12\nLABEL author=\"José\"\nRUN true\n".encode("latin-1"))
    uri2 = uris.from_fs_path(str(path))
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=uri2, language_id="dockerfile", version=1, text=path.read_bytes().decode("latin-1"))))
    diags = await client.published_for(uri2, 1)
    assert len(diags) == 1 and "not valid UTF-8" in diags[0].message and diags[0].range.start.line == 1
    # Saved as UTF-8: checked again on save, the problem is gone.
    path.write_text("FROM debian:12\nLABEL author=\"José\"\nRUN true\n", encoding="utf-8")
    mark = client.mark()
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri2)))
    assert list(await client.published_for(uri2, 1, since=mark)) == []


async def test_only_dockerfiles_are_checked(client: Client, tmp_path):
    mark = client.mark()
    (tmp_path / "notes.md").write_text(GOOD)
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri=uris.from_fs_path(str(tmp_path / "notes.md")), language_id="markdown", version=1, text=GOOD)))
    # Named like a Dockerfile, whatever the editor calls its language.
    uri = open_doc(client, tmp_path / "api.Dockerfile", GOOD, language="plaintext")
    await client.published_for(uri, 1)
    assert [p.uri for p in client.published[mark:]] == [uri]


# A check never holds up the answers to other requests: here checks wait until the test lets them go.

GATED = f"""
import os, sys, time
sys.path.insert(0, {ROOT!r})
import dlint.server.lsp as server
checked = server.analyse
def gated(*args):
    while not os.path.exists(os.environ["DLINT_TEST_GATE"]):
        time.sleep(0.01)
    return checked(*args)
server.analyse = gated
sys.exit(server.serve())
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-c", GATED], client_factory=make_client,
                                              server_env=dict(env(), DLINT_TEST_GATE=os.path.join(
                                                  os.environ.get("TMPDIR", "/tmp"), f"dlint-gate-{os.getpid()}"))),
                    loop_scope="module")
async def gated_client(lsp_client: Client):
    yield
    await lsp_client.shutdown_session()


async def test_requests_are_answered_while_a_check_runs(gated_client: Client, tmp_path):
    client = gated_client
    gate = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"dlint-gate-{os.getpid()}")
    if os.path.exists(gate):
        os.unlink(gate)
    try:
        await start(client, tmp_path)
        text = "FROM debian:12\n# dlint: ignore=L001\nRUN apt-get update\n"
        uri = open_doc(client, tmp_path / "Dockerfile", text)
        hover = await asyncio.wait_for(client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(1, 17))), WAIT)
        assert "update-without-install" in hover.contents.value
        completion = await asyncio.wait_for(client.text_document_completion_async(lsp.CompletionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(1, 20))), WAIT)
        assert completion.items
        assert client.published == []  # the check is still waiting
        open(gate, "w").close()
        assert got(await client.published_for(uri, 1)) == expected_from_check(tmp_path / "Dockerfile", text)
    finally:
        if os.path.exists(gate):
            os.unlink(gate)


# Without the extra


async def test_without_the_extra_it_says_how_to_install_it(tmp_path):
    code = ("import sys\n"
            "sys.modules['pygls'] = None\n"  # importing pygls now fails as if it were not installed
            "sys.argv = ['dlint', 'server']\n"
            "from dlint.entry import main\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), env=env(), capture_output=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode().splitlines() == ["dlint server needs the language server extra: pip install 'dlint[lsp]'"]
