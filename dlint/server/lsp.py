"""The language server: diagnostics, code actions, hover and completion over the Language Server Protocol.

Checking and fixing are those of ``dlint check`` and ``dlint fix`` (``dlint.parallel.check_job`` on the
editor's text, with the configuration ``dlint check`` would use for the file), run on one worker thread so
that the server keeps answering while a file is checked. The text the editor holds is checked, saved or
not; a configuration file that changes (the editor reports it, or its modification time shows it) is read
again.

Changes are debounced: a change after a quiet moment is checked at once, and changes that follow one
another within the debounce interval (150 ms unless the editor's ``initializationOptions`` say
``{"debounce": MS}``) are checked together once they stop.
"""
from __future__ import annotations

import asyncio
import gc
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as lsp
from pygls import uris
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..config import ConfigError, ConfigFinder
from ..diagnostics import FileResult, InputProblem
from .text import Positions, ignore_insertion, line_diff, named_lines, newline_line_starts, pragma_completion_at, \
    pragma_word_at

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple

DEFAULT_DEBOUNCE_MS = 150
FIX_ALL_KIND = "source.fixAll.dlint"
DOCKERFILE_LANGUAGES = {"dockerfile", "containerfile"}
# Files whose change may change a file's configuration (``dlint.config`` reads the first two).
CONFIG_NAMES = (".dlint.toml", "pyproject.toml", ".hadolint.yaml", ".hadolint.yml")
SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
    "style": lsp.DiagnosticSeverity.Hint,
}
_ENCODINGS = {lsp.PositionEncodingKind.Utf8: "utf-8", lsp.PositionEncodingKind.Utf16: "utf-16",
              lsp.PositionEncodingKind.Utf32: "utf-32"}
# Deep shell nesting recurses deeply; the main thread of ``dlint check`` has the process's stack.
_CHECK_THREAD_STACK = 64 * 1024 * 1024


class Configs:
    """The configuration ``dlint check`` uses for a path, read again when a configuration file changes.

    Each check looks at the configuration files of the file's directory and those above it (a few
    ``stat`` calls): when one appeared, changed or went away since the last check from that directory,
    configurations are read anew."""

    def __init__(self):
        self.finder = ConfigFinder()
        self.stamps: Dict[str, tuple] = {}
        self.stale = False
        self.listings: Dict[str, tuple] = {}  # context root -> (when listed, listing)

    def invalidate(self) -> None:
        self.stale = True
        self.listings.clear()

    def context_for(self, path: str, config):
        """The build context of the Dockerfile at ``path``, as ``dlint check`` gives it (the config's
        ``context``, else the file's directory). A listing is kept a few seconds, so that typing does not
        list the directory again on every check; the ignore file and manifests are read on each check."""
        import time

        from ..inputs import list_context, read_context

        root = os.path.abspath(config.context or os.path.dirname(os.path.abspath(path)))
        now = time.monotonic()
        kept = self.listings.get(root)
        if kept is None or now - kept[0] > CONTEXT_LISTING_SECONDS:
            kept = self.listings[root] = (now, list_context(root))
        return None if kept[1] is None else read_context(root, path, kept[1])

    def settings(self, path: str):
        from ..inputs import project_path
        from ..settings import settings_for

        directory = os.path.dirname(os.path.abspath(path))
        stamp = _stamp(directory)
        if self.stale or self.stamps.get(directory) != stamp:
            self.stale = False
            self.finder = ConfigFinder()
            self.stamps[directory] = stamp
        config = self.finder.for_path(path)
        settings = settings_for(path, config, project_path=project_path(path))
        if os.path.isfile(path):  # an unsaved buffer has no directory to speak of
            settings.context = self.context_for(path, config)  # the context rules and the byte estimates
        return settings


def _stamp(directory: str) -> tuple:
    out = []
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            try:
                st = os.stat(candidate)
            except OSError:
                continue
            out.append((candidate, st.st_mtime_ns, st.st_size, st.st_ino))
        parent = os.path.dirname(directory)
        if parent == directory:
            return tuple(out)
        directory = parent


CONTEXT_LISTING_SECONDS = 5.0


class Analysis:
    """One version of a document checked: dlint's findings and problems, and the same as LSP diagnostics."""

    def __init__(self, uri: str, version, text: str, path: str, result: FileResult, settings, encoding: str):
        self.uri = uri
        self.version = version
        self.text = text
        self.path = path
        self.result = result
        self.settings = settings
        self.positions = Positions(text, encoding)
        self.items: List[Tuple[object, lsp.Diagnostic]] = []  # (finding or None, diagnostic)
        self._doc = None
        self._fixed = None
        self._build()

    def range(self, start: int, end: int) -> lsp.Range:
        sl, sc = self.positions.position(start)
        el, ec = self.positions.position(end)
        return lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec))

    def _line_range(self, line: Optional[int], starts: List[int]) -> lsp.Range:
        """A dlint line (1-based, lines end at ``\\n``): its content without leading blanks."""
        n = min(max((line or 1) - 1, 0), len(starts) - 1)
        start = starts[n]
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        while start < end and self.text[start] in " \t\ufeff":
            start += 1
        return self.range(start, end)

    def _build(self) -> None:
        from .. import docs, rules

        text = self.text
        starts = None
        for p in self.result.problems:
            starts = starts or newline_line_starts(text)
            self.items.append((None, lsp.Diagnostic(
                range=self._line_range(p.line, starts), message=p.message, severity=lsp.DiagnosticSeverity.Error,
                source="dlint")))
        for d in self.result.diagnostics:
            stop = d.end
            while stop > d.start and text[stop - 1] in "\r\n":  # as ``dlint check`` reports the span
                stop -= 1
            related = []
            for n in named_lines(d.message):
                starts = starts or newline_line_starts(text)
                if n == d.line or not 1 <= n <= len(starts):
                    continue
                where = self._line_range(n, starts)
                snippet = text[starts[n - 1]:].split("\n", 1)[0].strip()
                if len(snippet) > 80:
                    snippet = snippet[:79].rstrip() + "…"
                related.append(lsp.DiagnosticRelatedInformation(
                    location=lsp.Location(self.uri, where), message=f"line {n}: {snippet}"))
            rule = rules.owner(d.code)  # SC2086: the page of the rule SC
            href = docs.rule_url(rule) if rule is not None else None
            self.items.append((d, lsp.Diagnostic(
                range=self.range(d.start, stop), message=d.rendered_message, severity=SEVERITY.get(d.severity),
                code=d.code, code_description=lsp.CodeDescription(href=href) if href else None, source="dlint",
                related_information=related or None,
                data={"fix": d.fix.applicability} if d.fix is not None else None)))

    @property
    def diagnostics(self) -> List[lsp.Diagnostic]:
        return [diag for _, diag in self.items]

    @property
    def fixes_blocked(self) -> bool:
        return self.settings is None or any(p.blocks_fix for p in self.result.problems)

    def doc(self):
        """The text parsed (for the instructions around findings)."""
        if self._doc is None:
            from ..syntax import parse

            self._doc = parse(self.text)
        return self._doc

    def fixed(self) -> Optional[str]:
        """The text ``dlint fix`` would write (safe fixes), or None if it would leave it as it is."""
        if self._fixed is None:
            from ..parallel import check_job
            from ..syntax import encode

            result = check_job((self.path, encode(self.text), self.settings, "safe"))
            self._fixed = (result.fixed,)
        return self._fixed[0]


def analyse(uri: str, version, text: str, path: str, configs: Configs, extra: tuple, encoding: str) -> Analysis:
    """Check ``text`` as ``dlint check`` checks the file at ``path``; every problem becomes a result."""
    from ..parallel import check_job
    from ..inputs import MAX_BYTES, too_large
    from ..validation import internal_error
    from ..syntax import encode

    settings = None
    try:
        settings = configs.settings(path)
    except ConfigError as exc:
        result = FileResult(path, problems=[InputProblem(path, None, f"configuration: {exc}")])
    else:
        try:
            data = encode(text)
        except UnicodeError:
            result = FileResult(path, problems=[InputProblem(path, None, "the text holds characters that UTF-8 "
                                                                         "cannot encode (lone surrogates)")])
        else:
            try:
                if len(data) > MAX_BYTES:  # refused by ``dlint check`` before reading
                    result = FileResult(path, problems=[InputProblem(path, None, too_large(len(data)))])
                else:
                    result = check_job((path, data, settings, None))
            except Exception as exc:  # check_job reports dlint's own errors; anything else too
                result = FileResult(path, problems=[internal_error(path, exc)])
    if extra:
        result.problems[:0] = list(extra)
    return Analysis(uri, version, text, path, result, settings, encoding)


def _disk_problems(path: Optional[str]) -> tuple:
    """What the file on disk has that the editor's decoded text cannot show: bytes that are not UTF-8."""
    if not path:
        return ()
    from ..inputs import read_path
    from ..validation import not_utf8

    data, problem = read_path(path)
    if data is None:
        return ()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        p = not_utf8(path, data, exc.start)
        p.message = p.message.replace("checked with the bytes kept as they are",
                                      "checked as the editor decoded it; `dlint fix` keeps the bytes as they are")
        return (p,)
    return ()


def _before(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def _overlap(a: lsp.Range, b: lsp.Range) -> bool:
    return _before(a.start, b.end) and _before(b.start, a.end)


def _contains(r: lsp.Range, p: lsp.Position) -> bool:
    return _before(r.start, p) and _before(p, r.end)


class DlintLanguageServer(LanguageServer):
    def __init__(self):
        super().__init__("dlint", __version__)
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.configs = Configs()
        self.tracked: Dict[str, tuple] = {}  # uri of each open Dockerfile -> problems of the file on disk
        self.analyses: Dict[str, Analysis] = {}  # the last published
        self.pending: Dict[str, asyncio.Future] = {}
        self.last_change: Dict[str, float] = {}
        self.checker = _one_thread_executor()

    # Documents

    @property
    def encoding(self) -> str:
        return _ENCODINGS.get(self.workspace.position_encoding, "utf-16")

    def path_for(self, uri: str) -> str:
        path = uris.to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return path
        root = self.workspace.root_path or os.getcwd()
        name = uri.rstrip("/").rpartition("/")[2] or "Dockerfile"
        return os.path.join(root, name)

    def wants(self, uri: str, language_id: Optional[str]) -> bool:
        from ..inputs import is_dockerfile_name

        if (language_id or "").lower() in DOCKERFILE_LANGUAGES:
            return True
        name = uris.to_fs_path(uri) if uri.startswith("file:") else uri.rstrip("/").rpartition("/")[2]
        return is_dockerfile_name(os.path.basename(name or ""))

    async def analyse(self, uri: str) -> Analysis:
        doc = self.workspace.get_text_document(uri)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.checker, analyse, uri, doc.version, doc.source, self.path_for(uri),
                                          self.configs, self.tracked.get(uri, ()), self.encoding)

    async def current(self, uri: str) -> Optional[Analysis]:
        """The analysis of the document as it is now."""
        if uri not in self.tracked:
            return None
        doc = self.workspace.get_text_document(uri)
        known = self.analyses.get(uri)
        if known is not None and known.version == doc.version and known.text == doc.source:
            return known
        return await self.analyse(uri)

    def schedule(self, uri: str, immediate: bool = False) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        last = self.last_change.get(uri)
        self.last_change[uri] = now
        quiet = last is None or now - last >= self.debounce
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        delay = 0 if immediate or quiet else self.debounce
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            analysis = await self.analyse(uri)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never expected (analyse reports problems as results); keep serving
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, f"dlint: check failed: {exc!r}"))
            return
        if uri not in self.tracked:
            return
        doc = self.workspace.get_text_document(uri)
        if doc.version != analysis.version or doc.source != analysis.text:
            return  # a newer check follows
        self.analyses[uri] = analysis
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, version=analysis.version, diagnostics=analysis.diagnostics))

    def forget(self, uri: str) -> None:
        self.tracked.pop(uri, None)
        self.analyses.pop(uri, None)
        self.last_change.pop(uri, None)
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    # Code actions

    def workspace_edit(self, analysis: Analysis, edits: List[lsp.TextEdit]) -> lsp.WorkspaceEdit:
        caps = self.client_capabilities.workspace
        versioned = bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)
        if versioned and analysis.version is not None:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=analysis.uri, version=analysis.version),
                edits=edits)])
        return lsp.WorkspaceEdit(changes={analysis.uri: edits})

    def code_actions(self, analysis: Analysis, params: lsp.CodeActionParams) -> List[lsp.CodeAction]:
        only = params.context.only

        def wanted(kind: str) -> bool:
            return not only or any(kind == o or kind.startswith(o + ".") for o in only)

        actions: List[lsp.CodeAction] = []
        if wanted(lsp.CodeActionKind.QuickFix):
            fixes, ignores = [], []
            for finding, diag in analysis.items:
                if finding is None or not _overlap(diag.range, params.range):
                    continue
                if finding.fix is not None and not analysis.fixes_blocked:
                    safe = finding.fix.applicability == "safe"
                    title = f"{finding.fix.title} ({finding.code})"
                    fixes.append(lsp.CodeAction(
                        title=title if safe else f"Unsafe fix: {title}",
                        kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag], is_preferred=safe,
                        edit=self.workspace_edit(analysis, [lsp.TextEdit(analysis.range(e.start, e.end), e.replacement)
                                                            for e in finding.fix.edits])))
                edit = self._ignore_edit(analysis, finding)
                if edit is not None:
                    ignores.append(lsp.CodeAction(
                        title=f"Ignore {finding.code} for this instruction (# dlint: ignore={finding.code})",
                        kind=lsp.CodeActionKind.QuickFix, diagnostics=[diag], edit=self.workspace_edit(analysis, [edit])))
            fixes.sort(key=lambda a: not a.is_preferred)  # safe fixes first
            actions += fixes + ignores
        if wanted(FIX_ALL_KIND) and not analysis.fixes_blocked and any(
                f is not None and f.fix is not None and f.fix.applicability == "safe" for f, _ in analysis.items):
            fixed = analysis.fixed()
            if fixed is not None:
                start, end, replacement = line_diff(analysis.text, fixed)
                actions.append(lsp.CodeAction(
                    title="Fix all safe dlint findings", kind=FIX_ALL_KIND,
                    diagnostics=[d for f, d in analysis.items if f is not None and f.fix is not None],
                    edit=self.workspace_edit(analysis, [lsp.TextEdit(analysis.range(start, end), replacement)])))
        return actions

    def _ignore_edit(self, analysis: Analysis, finding) -> Optional[lsp.TextEdit]:
        try:
            doc = analysis.doc()
        except Exception:  # the text does not parse: no instruction to put a comment above
            return None
        owner = None
        for ins in doc.instructions:
            if ins.start <= finding.start < max(ins.end, ins.start + 1):
                owner = ins
                break
        if owner is None:
            return None
        text = analysis.text
        line_start = text.rfind("\n", 0, owner.start) + 1
        keyword = line_start
        while keyword < len(text) and text[keyword] in " \t\ufeff":
            keyword += 1
        start, end, replacement = ignore_insertion(text, line_start, keyword, finding.code, doc.newline)
        if not replacement:
            return None
        return lsp.TextEdit(analysis.range(start, end), replacement)


def _one_thread_executor() -> ThreadPoolExecutor:
    old = threading.stack_size()
    try:
        threading.stack_size(_CHECK_THREAD_STACK)
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dlint-check")
        executor.submit(lambda: None).result()  # the thread starts now, with that stack
    except (ValueError, RuntimeError):
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dlint-check")
    finally:
        try:
            threading.stack_size(old)
        except (ValueError, RuntimeError):
            pass
    return executor


def _line_at(server: DlintLanguageServer, uri: str, position: lsp.Position) -> Tuple[str, int]:
    """The line's text and the position's column as an index into it."""
    doc = server.workspace.get_text_document(uri)
    lines = doc.lines
    if position.line >= len(lines):
        return "", 0
    line = lines[position.line].rstrip("\r\n")
    return line, Positions(line, server.encoding).offset(0, position.character)


def _rule_page(rule) -> str:
    from .. import docs

    page = docs.page(rule).rstrip("\n")
    return f"{page}\n\n[{rule.code} {rule.name}]({docs.rule_url(rule)})\n"


def make_server() -> DlintLanguageServer:
    server = DlintLanguageServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: DlintLanguageServer, params: lsp.InitializeParams):
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)) and options["debounce"] >= 0:
            ls.debounce = options["debounce"] / 1000

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: DlintLanguageServer, params: lsp.InitializedParams):
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched is not None and watched.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="dlint-config-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DlintLanguageServer, params: lsp.DidOpenTextDocumentParams):
        doc = params.text_document
        if not ls.wants(doc.uri, doc.language_id):
            return
        ls.tracked[doc.uri] = _disk_problems(uris.to_fs_path(doc.uri) if doc.uri.startswith("file:") else None)
        ls.schedule(doc.uri, immediate=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DlintLanguageServer, params: lsp.DidChangeTextDocumentParams):
        if params.text_document.uri in ls.tracked:
            ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DlintLanguageServer, params: lsp.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        if uri in ls.tracked:
            ls.tracked[uri] = _disk_problems(uris.to_fs_path(uri) if uri.startswith("file:") else None)
            ls.schedule(uri, immediate=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DlintLanguageServer, params: lsp.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        if uri in ls.tracked:
            ls.forget(uri)
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: DlintLanguageServer, params: lsp.DidChangeWatchedFilesParams):
        if any(c.uri.rstrip("/").rpartition("/")[2] in CONFIG_NAMES for c in params.changes):
            ls.configs.invalidate()
            for uri in list(ls.tracked):
                ls.schedule(uri, immediate=True)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL_KIND]))
    async def code_action(ls: DlintLanguageServer, params: lsp.CodeActionParams):
        analysis = await ls.current(params.text_document.uri)
        if analysis is None:
            return None
        loop = asyncio.get_running_loop()
        # Fixing all may take a while on a long file: on the checking thread, like checks.
        return await loop.run_in_executor(ls.checker, ls.code_actions, analysis, params) or None

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: DlintLanguageServer, params: lsp.HoverParams):
        from .. import rules

        uri = params.text_document.uri
        if uri not in ls.tracked:
            return None
        line, column = _line_at(ls, uri, params.position)
        word = pragma_word_at(line, column)
        if word is not None:
            try:
                rule = rules.lookup(word[2])
            except rules.UnknownRule:
                return None
            positions = Positions(line, ls.encoding)
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=_rule_page(rule)),
                range=lsp.Range(lsp.Position(params.position.line, positions.position(word[0])[1]),
                                lsp.Position(params.position.line, positions.position(word[1])[1])))
        analysis = ls.analyses.get(uri)
        if analysis is None:
            return None
        hits = [(f, d) for f, d in analysis.items if f is not None and _contains(d.range, params.position)]
        codes = list(dict.fromkeys(rules.owner(f.code).code for f, _ in hits if rules.owner(f.code) is not None))
        if not codes:
            return None
        pages = "\n\n---\n\n".join(_rule_page(rules.BY_CODE[c]) for c in codes)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=pages), range=hits[0][1].range)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["=", ","]))
    def completion(ls: DlintLanguageServer, params: lsp.CompletionParams):
        from .. import docs, rules

        uri = params.text_document.uri
        if uri not in ls.tracked:
            return None
        line, column = _line_at(ls, uri, params.position)
        found = pragma_completion_at(line, column)
        if found is None:
            return None
        start, word, listed = found
        listed_upper = {w.upper() for w in listed}
        positions = Positions(line, ls.encoding)
        where = lsp.Range(lsp.Position(params.position.line, positions.position(start)[1]), params.position)
        items = []
        for rule in rules.ALL_RULES:
            if rule.code in listed_upper or rule.name.upper() in listed_upper:
                continue
            items.append(lsp.CompletionItem(
                label=rule.code, kind=lsp.CompletionItemKind.EnumMember, detail=rule.name,
                documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=docs.description(rule)),
                filter_text=f"{rule.code} {rule.name}", sort_text=rule.code,
                text_edit=lsp.TextEdit(range=where, new_text=rule.code)))
        if "ALL" not in listed_upper:
            items.append(lsp.CompletionItem(label="all", kind=lsp.CompletionItemKind.Keyword,
                                            detail="every rule", sort_text="~all",
                                            text_edit=lsp.TextEdit(range=where, new_text="all")))
        return lsp.CompletionList(is_incomplete=False, items=items)

    return server


def serve() -> int:
    """Serve on stdin and stdout; 0 when the editor shut the server down before it exit, else 1."""
    gc.enable()  # a long-running process: the command's no-collector choice (dlint.entry) is not for it
    server = make_server()
    server.start_io()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
