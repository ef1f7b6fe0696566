"""Shell model of RUN bodies: the exact script ``/bin/sh -c`` receives, parsed once with tree-sitter-bash.

A ``Script`` keeps a map from script offsets back to file offsets, and exposes the simple commands with
their words, their connection to the rest of the script, and their redirects. Package-manager calls are
classified in ``dlint.packages`` on top of this.
"""
from __future__ import annotations

import bisect
import re

from ._dataclass import dataclass, field
from .syntax import Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Sequence, Tuple

_PARSER = None
_QUERIES: dict = {}  # the tree-sitter module and language, and compiled queries by source

# Node types that wrap the statements inside them; the value is the context name recorded on commands.
_CONTEXT_TYPES = {
    "subshell": "subshell",
    "compound_statement": "brace",
    "if_statement": "if",
    "elif_clause": "if",
    "else_clause": "if",
    "for_statement": "for",
    "c_style_for_statement": "for",
    "while_statement": "while",
    "case_statement": "case",
    "case_item": "case",
    "function_definition": "function",
    "pipeline": "pipeline",
    "command_substitution": "substitution",
    "process_substitution": "substitution",
    "negated_command": "negated",
}
_DECLARATIONS = ("declaration_command", "unset_command")
_LITERAL_WORD_TYPES = ("word", "number", "raw_string", "string", "concatenation")


def _tree_sitter_bytes(text: str) -> bytes:
    """The bytes tree-sitter parses. Undecodable input bytes (surrogates here) become U+FFFD, which is as
    long in UTF-8 as a surrogate encoded with surrogatepass: node offsets then fall on character boundaries
    of ``text.encode("utf-8", "surrogatepass")``, from which node text is sliced."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


def _parser():
    global _PARSER
    if _PARSER is None:
        try:
            tree_sitter, tree_sitter_bash = _compiled("tree_sitter"), _compiled("tree_sitter_bash")
        except (ImportError, OSError):
            import tree_sitter
            import tree_sitter_bash
        language = tree_sitter.Language(tree_sitter_bash.language())
        _PARSER = tree_sitter.Parser(language)
        _QUERIES["module"], _QUERIES["language"] = tree_sitter, language
    return _PARSER


def query_captures(source: str):
    """A function giving, for a tree node, the captures of the tree-sitter query ``source`` under it
    (capture name -> nodes): the query runs in the parser's own code, far faster than a walk in Python."""
    found = _QUERIES.get(source)
    if found is None:
        _parser()
        module, language = _QUERIES["module"], _QUERIES["language"]
        found = _QUERIES[source] = module.QueryCursor(module.Query(language, source)).captures
    return found


def _compiled(package: str):
    """The compiled ``_binding`` module of ``package``, loaded without running the package's ``__init__``.

    Those import ``typing`` and ``importlib.resources``, which take longer than linting a typical file;
    the compiled modules hold everything the parser needs (``Parser``, ``Language``, ``language()``).
    """
    import os
    import sys
    from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader, ModuleSpec, PathFinder

    name = package + "._binding"
    if name in sys.modules:
        return sys.modules[name]
    spec = PathFinder.find_spec(package)
    for directory in (spec.submodule_search_locations or []) if spec else []:
        for suffix in EXTENSION_SUFFIXES:
            path = os.path.join(directory, "_binding" + suffix)
            if os.path.isfile(path):
                loader = ExtensionFileLoader(name, path)
                module = loader.create_module(ModuleSpec(name, loader, origin=path))
                loader.exec_module(module)
                sys.modules[name] = module  # a later ``import tree_sitter`` reuses it
                return module
    raise ImportError(f"no compiled module in {package}")


@dataclass
class Word:
    text: str  # as written in the script
    value: Optional[str]  # the literal value after quote removal, None if it needs expansion
    start: int  # script offsets
    end: int


@dataclass
class Command:
    """A simple command (or a declaration such as ``export``/``unset`` or a ``[[ ]]`` test)."""

    words: List[Word]  # command name first; assignments and redirects excluded
    assignments: List[str]  # ``NAME=value`` prefixes, as written
    redirects: List[str]  # as written
    start: int
    end: int
    context: Tuple[str, ...]  # enclosing constructs, outermost first (subshell, if, pipeline, and, or, ...)
    background: bool = False
    # Where the innermost enclosing subshell, pipeline, substitution, function or background job ends
    # (script offset); None at the top level. A ``cd`` inside it holds up to there.
    scope_end: Optional[int] = None

    @property
    def name(self) -> Optional[str]:
        return self.words[0].value if self.words else None

    @property
    def args(self) -> List[Word]:
        return self.words[1:]

    def values(self) -> List[Optional[str]]:
        return [w.value for w in self.words]

    def cached(self, compute):
        """``compute(self)``, worked out once per command and kept on it: several rules ask the same things
        about a command (its words without wrappers, its package call, its cleanup)."""
        results = self.__dict__.setdefault("_cached", {})
        if compute not in results:
            results[compute] = compute(self)
        return results[compute]


@dataclass
class Script:
    text: str
    instruction: Optional[Instruction]
    # (script start, file start, length) pieces for mapping offsets back to the file
    pieces: List[Tuple[int, int, int]] = field(default_factory=list)
    exec_form: bool = False
    _tree: object = None
    _commands: Optional[List[Command]] = None
    _has_error: Optional[bool] = None
    keep_tree: bool = False  # keep the tree once the commands are collected (it is read again)

    @property
    def tree(self):
        """The tree-sitter tree (parsed again if it was let go after the commands were collected)."""
        if self._tree is None:
            self._tree = _parser().parse(_tree_sitter_bytes(self.text))
        return self._tree

    @property
    def has_error(self) -> bool:
        if self._has_error is None:
            self._has_error = self.tree.root_node.has_error
        return self._has_error

    @property
    def commands(self) -> List[Command]:
        """The simple commands in script order; those of a script a command hands to a shell
        (``sh -c '...'``, ``sudo bash -c "..."``) follow that command, with offsets in this script and
        ``shell`` in their context."""
        if self._commands is None:
            tree = self.tree
            self._commands = _collect(self)
            self._has_error = tree.root_node.has_error
            if _MAY_NEST.search(self.text):
                self._commands = _with_nested(self._commands)
            # Most scripts are never looked at as a tree again: letting the tree go keeps a long file's
            # memory, and with it the time, down.
            if not self.keep_tree:
                self._tree = None
        return self._commands

    def file_offset(self, offset: int) -> int:
        if not self.pieces:
            return self.instruction.start if self.instruction else 0
        i = max(bisect.bisect_right(self.pieces, (offset, float("inf"), 0)) - 1, 0)
        sstart, fstart, length = self.pieces[i]
        return fstart + min(max(offset - sstart, 0), length)

    def file_end_offset(self, offset: int) -> int:
        """Like ``file_offset``, but an offset where two pieces join maps to the end of the first one
        (use it for the end of a span)."""
        if not self.pieces:
            return self.instruction.start if self.instruction else 0
        i = max(bisect.bisect_left(self.pieces, (offset, -1, 0)) - 1, 0)
        sstart, fstart, length = self.pieces[i]
        return fstart + min(max(offset - sstart, 0), length)


_MAY_NEST = re.compile(r"[ \t]-[A-Za-z]*c|--command")  # ``sh -c``, ``bash -ec``, ``su --command``
_HEREDOC_MARKER = re.compile(r"[0-9]*<<-?\S+\Z")
_POSIX_SHELLS = {"sh", "bash", "dash", "ash", "/bin/sh", "/bin/bash", "/bin/dash", "/bin/ash", "/usr/bin/bash",
                 "/usr/bin/sh"}


def _reads_script_from_stdin(words: List[str]) -> bool:
    """``bash``, ``sh -ex``, ``bash -o pipefail``: a shell that runs what comes on its standard input."""
    if not words or words[0] not in _POSIX_SHELLS:
        return False
    i = 1
    while i < len(words):
        w = words[i]
        if w in ("-o", "+o"):
            i += 2
            continue
        if not w.startswith(("-", "+")) or "c" in w[1:] or w in ("-", "--"):
            return False
        i += 1
    return True


def _body_script(ins: Instruction, h) -> Script:
    """A heredoc body run as the script; ``<<-`` strips leading tabs line by line."""
    if not h.strip_tabs:
        return Script(h.body, ins, [(0, h.body_start, len(h.body))])
    parts: List[str] = []
    pieces = []
    pos, fpos = 0, h.body_start
    for m in re.finditer(r"[^\n]*\n|[^\n]+\Z", h.body):
        line = m.group()
        tabs = len(line) - len(line.lstrip("\t"))
        kept = line[tabs:]
        if kept:
            pieces.append((pos, fpos + tabs, len(kept)))
        parts.append(kept)
        pos += len(kept)
        fpos += len(line)
    return Script("".join(parts), ins, pieces)


def _is_shell_interpreter(body: str) -> bool:
    """False when the body starts with ``#!`` naming something other than a POSIX shell."""
    m = re.match(r"#![ \t]*(\S+)(?:[ \t]+(\S+))?", body)
    if not m:
        return True
    interpreter = m.group(2) if m.group(1).endswith("/env") else m.group(1)
    return (interpreter or "").rsplit("/", 1)[-1] in _POSIX_SHELLS


def script_of(ins: Instruction) -> Optional[Script]:
    """The script a RUN (or CMD/ENTRYPOINT/HEALTHCHECK) hands to the shell, or None if there is none.

    ``RUN <<EOF`` runs the heredoc body itself, as BuildKit does; ``RUN <<EOF bash`` (a shell reading the
    body on its input) is modelled the same way. A body whose ``#!`` line names another interpreter is not
    shell: its script is empty.
    """
    if ins.inner is not None:
        ins = ins.inner
    if ins.json is not None:
        return _exec_form_script(ins)
    text = ins.command
    if not ins.heredocs:
        start = ins.command_offset
        return Script(text, ins, _logical_pieces(ins, start, len(text)))
    words = text.split()
    others = [w for w in words if not _HEREDOC_MARKER.match(w)]
    if len(ins.heredocs) == 1 and len(words) - len(others) == 1 and (
            not others or _reads_script_from_stdin(others)):
        h = ins.heredocs[0]
        if not _is_shell_interpreter(h.body):
            return Script("", ins, [])
        return _body_script(ins, h)
    pieces = _logical_pieces(ins, ins.command_offset, len(text))
    parts = [text, "\n"]
    pos = len(text) + 1
    for h in ins.heredocs:
        pieces.append((pos, h.body_start, len(h.body)))
        parts.append(h.body)
        parts.append(h.name + "\n")
        pos += len(h.body) + len(h.name) + 1
    return Script("".join(parts), ins, pieces)


def _logical_pieces(ins: Instruction, start: int, length: int) -> List[Tuple[int, int, int]]:
    pieces = []
    end = start + length
    for lstart, fstart, seg_len in ins.segments:
        lo, hi = max(lstart, start), min(lstart + seg_len, end)
        if lo < hi or (lo == hi == start):
            pieces.append((lo - start, fstart + (lo - lstart), hi - lo))
    return pieces


_SHELLS = {"sh", "bash", "dash", "ash", "zsh", "ksh", "/bin/sh", "/bin/bash", "/bin/dash", "/bin/ash",
           "/usr/bin/bash", "/usr/bin/env"}


_JSON_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)
_JSON_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.", re.S)


def _exec_form_pieces(ins: Instruction) -> List[List[Tuple[int, int, int]]]:
    """For each element of the exec form, (value offset, file offset, length) pieces for its unescaped runs."""
    out = []
    for m, value in zip(_JSON_STRING.finditer(ins.command), ins.json or []):
        raw, base = m.group(1), ins.command_offset + m.start(1)
        runs = []
        pos = vpos = 0
        for esc in _JSON_ESCAPE.finditer(raw):
            if esc.start() > pos:
                runs.append((vpos, base + pos, esc.start() - pos))
            vpos += esc.start() - pos + 1
            pos = esc.end()
        if pos < len(raw):
            runs.append((vpos, base + pos, len(raw) - pos))
        pieces = []
        for vstart, lstart, length in runs:
            for lo, fstart, seg_len in _logical_pieces(ins, lstart, length):
                pieces.append((vstart + lo, fstart, seg_len))
        out.append(pieces)
    return out


def _shifted(pieces: List[Tuple[int, int, int]], by: int) -> List[Tuple[int, int, int]]:
    return [(s + by, f, n) for s, f, n in pieces]


def shell_script_index(argv: List[str]) -> Optional[int]:
    """Where the script is in ``["sh", "-c", script]`` and its variants (``-ec``, ``-o pipefail -c``,
    ``/usr/bin/env bash -c``); None when the argv is not a shell running a script argument."""
    i = 0
    if argv and argv[0].rsplit("/", 1)[-1] == "env":
        i = 1
        while i < len(argv) and ("=" in argv[i] or argv[i].startswith("-")):
            i += 1
    if i >= len(argv) or argv[i] not in _SHELLS or argv[i].endswith("/env"):
        return None
    i += 1
    while i < len(argv):
        a = argv[i]
        if a in ("-o", "+o"):
            i += 2
        elif a.startswith("-") and not a.startswith("--") and "c" in a[1:]:
            return i + 1
        elif a.startswith(("-", "+")) and len(a) > 1:
            i += 1
        else:
            return None
    return None


def _exec_form_script(ins: Instruction) -> Optional[Script]:
    argv = list(ins.json or [])
    element_pieces = _exec_form_pieces(ins)
    k = shell_script_index(argv)
    if k is not None:
        script = argv[k] if k < len(argv) else ""
        pieces = element_pieces[k] if k < len(element_pieces) else []
        return Script(script, ins, pieces, exec_form=True)
    # No shell: model the argv as one command whose words are all literal.
    words = []
    pieces = []
    pos = 0
    for i, a in enumerate(argv):
        words.append(Word(a, a, pos, pos + len(a)))
        if i < len(element_pieces):
            pieces += _shifted(element_pieces[i], pos)
        pos += len(a) + 1
    s = Script(" ".join(argv), ins, pieces, exec_form=True)
    s._commands = [Command(words, [], [], 0, len(s.text), ())] if words else []
    return s


def literal_value(node, src: bytes) -> Optional[str]:
    """The value of a word node after quote removal when it needs no expansion, else None."""
    t = node.type
    text = src[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")
    if t == "word" or t == "number":
        if "$" in text or "`" in text:
            return None
        return _unescape(text)
    if t == "raw_string":
        return text[1:-1]
    if t == "string":
        out = []
        for c in node.children:
            if c.type == '"':
                continue
            if c.type != "string_content":
                return None
            out.append(_unescape(src[c.start_byte:c.end_byte].decode("utf-8", "surrogatepass"), _DOUBLE_QUOTE_ESCAPABLE))
        return "".join(out)
    if t == "concatenation":
        parts = []
        for c in node.children:
            v = literal_value(c, src)
            if v is None:
                return None
            parts.append(v)
        return "".join(parts)
    return None


def _unescape(text: str, escapable: Optional[str] = None) -> str:
    """Backslash removal: before any character (outside quotes), or only before ``escapable`` ones (inside
    double quotes: ``$`"\\`` and newline)."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and (escapable is None or text[i + 1] in escapable):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


_DOUBLE_QUOTE_ESCAPABLE = '$`"\\\n'


_ASSIGNMENT_PARENTS = frozenset({
    "program", "list", "subshell", "compound_statement", "if_statement", "else_clause", "elif_clause",
    "do_group", "case_item", "redirected_statement", "variable_assignments",
})
_CONDITION_PARENTS = frozenset({"if_statement", "while_statement", "elif_clause"})
# Contexts whose commands run in a shell of their own (or later): a ``cd`` there does not reach past them.
_SCOPE_KINDS = frozenset({"subshell", "pipeline", "substitution", "function"})


def _collect(script: Script) -> List[Command]:
    src = script.text.encode("utf-8", "surrogatepass")
    # tree-sitter reports byte offsets; map them back to str offsets when the text is not ASCII.
    char_at = None
    if len(src) != len(script.text):
        # One pass over the text instead of decoding a prefix per lookup (quadratic on long scripts).
        char_at = []
        for i, ch in enumerate(script.text):
            char_at.extend([i] * len(ch.encode("utf-8", "surrogatepass")))
        char_at.append(len(script.text))

    commands: List[Command] = []

    def text_of(n) -> str:
        return src[n.start_byte:n.end_byte].decode("utf-8", "surrogatepass")

    def word(n) -> Word:
        sb, eb = n.start_byte, n.end_byte
        text = src[sb:eb].decode("utf-8", "surrogatepass")
        t = n.type
        if t == "word" or t == "number":  # literal_value's first case, without decoding twice
            if "$" in text or "`" in text:
                value = None
            else:
                value = text if "\\" not in text else _unescape(text)
        else:
            value = literal_value(n, src)
        if char_at is not None:
            sb, eb = char_at[sb], char_at[eb]
        return Word(text, value, sb, eb)

    def span(n) -> Tuple[int, int]:
        if char_at is None:
            return n.start_byte, n.end_byte
        return char_at[n.start_byte], char_at[n.end_byte]

    def may_hold_commands(n) -> bool:
        """Whether an argument or redirect can contain a command (substitutions; a heredoc redirect holds
        the rest of its line): the others need not be walked."""
        if n.type == "heredoc_redirect":
            return True
        piece = src[n.start_byte:n.end_byte]
        return b"(" in piece or b"`" in piece  # $( ), <( ), >( ), and ( ) where the parse went wrong

    def visit(node, ctx: Tuple[str, ...], background: bool, scope_end: Optional[int]) -> None:
        t = node.type
        if t == "command":
            words, assigns, redirects = [], [], []
            nested = []
            for c in node.children:
                ct = c.type
                if ct == "word":
                    words.append(word(c))
                elif ct == "command_name":
                    words.append(word(c.children[0] if c.child_count == 1 else c))
                elif ct == "variable_assignment":
                    assigns.append(text_of(c))
                else:
                    if ct.endswith("redirect"):
                        redirects.append(text_of(c))
                    elif c.is_named:
                        words.append(word(c))
                    if may_hold_commands(c):
                        nested.append(c)
            start, end = span(node)
            commands.append(Command(words, assigns, redirects, start, end, ctx, background, scope_end))
            if nested:
                inner = ctx + ("argument",)
                for c in nested:
                    visit(c, inner, background, scope_end)
            return
        if t in _DECLARATIONS or t == "test_command":
            words = []
            nested = []
            for c in node.children:
                text = text_of(c)
                value = literal_value(c, src) if c.is_named else text
                if value is None and t != "test_command" and "$" not in text:
                    value = text
                cs, ce = span(c)
                words.append(Word(text, value, cs, ce))
                if c.is_named and may_hold_commands(c):
                    nested.append(c)
            start, end = span(node)
            commands.append(Command(words, [], [], start, end, ctx, background, scope_end))
            # ``export V=$(curl ...)``, ``[ "$(ls | wc -l)" = 0 ]``: the commands of a substitution run too
            for c in nested:
                visit(c, ctx + ("argument",), background, scope_end)
            return
        if t == "variable_assignment":
            parent = node.parent
            if parent is not None and parent.type in _ASSIGNMENT_PARENTS:
                start, end = span(node)
                commands.append(Command([], [text_of(node)], [], start, end, ctx, background, scope_end))
                return
        if t == "list":
            # ``a && b && c`` nests to the left: list(list(a, b), c). The chain is walked down its left
            # operands in a loop, not one call per operator (a merged RUN may hold thousands), and a context
            # is recorded once for a run of the same operator (rules only ask whether one is present).
            later = []  # (operands after the left one, their context), outermost first
            while True:
                op = None
                named = []
                for c in node.children:
                    if c.type in ("&&", "||"):
                        op = c.type
                    elif c.is_named:
                        named.append(c)
                kind = "and" if op == "&&" else "or"
                ctx = ctx if ctx[-1:] == (kind,) else ctx + (kind,)
                later.append((named[1:], ctx))
                if not named or named[0].type != "list":
                    break
                node = named[0]
            if named:
                visit(named[0], ctx, background, scope_end)
            for operands, inner in reversed(later):
                for c in operands:
                    visit(c, inner, background, scope_end)
            return
        inner = ctx
        kind = _CONTEXT_TYPES.get(t)
        if kind is not None:
            inner = ctx + (kind,)
            if kind in _SCOPE_KINDS:
                scope_end = span(node)[1]
        children = node.children
        first_new = len(commands)
        last = len(children) - 1
        for idx, c in enumerate(children):
            if not c.is_named:
                continue
            if idx < last and children[idx + 1].type == "&":
                visit(c, inner + ("background",), True, span(c)[1])
            elif t in _CONDITION_PARENTS and node.field_name_for_child(idx) == "condition":
                visit(c, inner + ("condition",), background, scope_end)
            else:
                visit(c, inner, background, scope_end)
        if t == "redirected_statement" and first_new < len(commands):
            # ``cmd > f``: the redirects sit beside the command in the tree; they belong to it.
            body = node.child_by_field_name("body")
            cmd = commands[first_new]
            if body is not None and body.type == "command" and cmd.start == span(body)[0]:
                for c in children:
                    if c.type.endswith("redirect"):
                        cmd.redirects.extend(redirect_texts(c))

    def redirect_texts(node) -> List[str]:
        if node.type != "heredoc_redirect":
            return [text_of(node)]
        # A heredoc redirect also holds what follows it on the line (more redirects, even ``&& cmd``).
        out = []
        for c in node.children:
            if c.type == "heredoc_start":
                out.append(src[node.start_byte:c.end_byte].decode("utf-8", "surrogatepass"))
            elif c.type.endswith("redirect"):
                out.extend(redirect_texts(c))
        return out

    visit(script.tree.root_node, (), False, None)
    # The nested functions refer to themselves: unlink them so that all of this is freed by reference
    # counting, without waiting for the cyclic collector.
    visit = redirect_texts = None
    return commands


_SCRIPT_SHELLS = {"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"}
_RUNS_FILES = {"source", ".", "eval", "make", "cmake", "ninja", "xargs"}


def runs_unknown_code(script: "Script") -> bool:
    """Whether a script runs code it does not show: a script file (``./build.sh``, ``bash x.sh``, ``source``),
    a shell reading a script from a pipe (``curl ... | sh``) or ``sh -c`` with a text of its own."""
    for cmd in script.commands:
        name = cmd.name
        if name is None:
            return True
        base = name.rsplit("/", 1)[-1]
        if base in _SCRIPT_SHELLS:
            return True
        if name in _RUNS_FILES or name.endswith((".sh", ".bash", ".py", ".pl", ".rb")):
            return True
        if "/" in name and not name.startswith(("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")):
            return True
    return False


def program_name(word: Optional[str]) -> str:
    """The lower-case basename of a command word (``/usr/bin/Python3`` -> ``python3``); "" for None."""
    return (word or "").rsplit("/", 1)[-1].lower()


def words_of(cmd: Command) -> Sequence[Optional[str]]:
    return [w.value for w in cmd.words]


# ------------------------------------------------------------------------------------------- wrappers

# Commands that run the command after them, with the options of each that take a value (one table for every
# rule: package calls, deletions, directories made). Forms with words of their own are handled below.
WRAPPERS = {
    "sudo": {"-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t", "-T", "--user", "--group", "--chdir",
             "--host", "--prompt", "--other-user", "--role", "--type", "--command-timeout", "--close-from"},
    "doas": {"-u", "-C"},
    "env": {"-u", "--unset", "-C", "--chdir"},
    "nice": {"-n", "--adjustment"},
    "ionice": {"-c", "-n", "--class", "--classdata"},
    "nohup": set(), "time": set(), "command": set(), "exec": {"-a"}, "chronic": set(), "eatmydata": set(),
    "fakeroot": set(), "retry": set(),
    "stdbuf": {"-i", "-o", "-e", "--input", "--output", "--error"},
    "timeout": {"-s", "--signal", "-k", "--kill-after"},
    "xargs": {"-n", "-I", "-P", "-L", "-d", "-E", "-s", "-a", "--max-args", "--max-procs", "--max-lines",
              "--delimiter", "--eof", "--max-chars", "--arg-file", "--replace"},
    "runuser": {"-u", "-g", "-G", "--user", "--group", "--supp-group"},
    "gosu": set(), "su-exec": set(),
    # ``<tool> exec|run [options] command``: version managers and environment runners
    "pyenv": set(), "rbenv": set(), "nodenv": set(), "asdf": set(), "poetry": set(), "pipenv": set(),
    "conda": {"-n", "--name", "-p", "--prefix", "--cwd"}, "mamba": {"-n", "--name", "-p", "--prefix", "--cwd"},
    "micromamba": {"-n", "--name", "-p", "--prefix", "--cwd", "-r", "--root-prefix"},
}
# The subcommand that makes them run a command, for the wrappers that have one.
_WRAPPER_SUBCOMMAND = {"pyenv": "exec", "rbenv": "exec", "nodenv": "exec", "asdf": "exec", "poetry": "run",
                       "pipenv": "run", "conda": "run", "mamba": "run", "micromamba": "run"}
_WRAPPER_OPERANDS = {"timeout": 1, "gosu": 1, "su-exec": 1}  # the duration, the user


def unwrapped_index(values: Sequence[Optional[str]]) -> Optional[int]:
    """Where the command a chain of wrappers runs starts in a command's word values (0 when there is no
    wrapper); None when a wrapper only looks the command up (``command -v``) or runs no command."""
    i, n = 0, len(values)
    while i < n and values[i] is not None and values[i].rsplit("/", 1)[-1] in WRAPPERS:
        wrapper = values[i].rsplit("/", 1)[-1]
        sub = _WRAPPER_SUBCOMMAND.get(wrapper)
        i += 1
        if sub is not None:
            if i >= n or values[i] != sub:
                return i - 1  # ``pyenv install``, ``conda install``: the tool itself, not a wrapper
            i += 1
        if wrapper == "command" and i < n and values[i] in ("-v", "-V"):
            return None  # ``command -v apt-get`` looks the tool up; it does not run it
        takes = WRAPPERS[wrapper]
        while i < n and values[i] is not None and (values[i].startswith("-") and len(values[i]) > 1 or (
                wrapper == "env" and "=" in values[i])):
            if values[i] == "--":
                i += 1
                break
            i += 2 if values[i] in takes else 1
        i += _WRAPPER_OPERANDS.get(wrapper, 0)
    return i if i < n else None


def command_words(cmd: Command) -> List[Word]:
    """The words of the command a command runs, its wrappers (``sudo -E``, ``env X=1``, ``xargs -r``,
    ``pyenv exec``...) left out; empty for ``command -v``."""
    return cmd.cached(_command_words)


def _command_words(cmd: Command) -> List[Word]:
    if not cmd.words or cmd.words[0].value not in WRAPPERS and "/" not in (cmd.words[0].value or ""):
        return cmd.words
    i = unwrapped_index(cmd.values())
    return cmd.words[i:] if i is not None else []


_USER_SWITCH = re.compile(r"(?:.*/)?(?:su|runuser|gosu|su-exec|setpriv|chpst)\Z|-u\Z|--user\b")


def _nested_script_word(cmd: Command, words: List[Word]) -> Optional[Word]:
    """The script word of ``sh -c 'script'`` (after wrappers). Not when the script runs as another user
    (``su app -c``, ``sudo -u app sh -c``, ``gosu app sh -c``): its home, and so its caches, are elsewhere."""
    values = [w.value if w.value is not None else "\x00" for w in words]
    if not values:
        return None
    wrappers = cmd.values()[:len(cmd.words) - len(words)]
    if any(v is None or _USER_SWITCH.match(v) for v in wrappers):
        return None
    k = shell_script_index(values)
    return words[k] if k is not None and k < len(words) else None


def _with_nested(commands: List[Command]) -> List[Command]:
    out: List[Command] = []
    for cmd in commands:
        out.append(cmd)
        w = _nested_script_word(cmd, command_words(cmd))
        # Only a quoted script whose text is its value: then an offset in it is an offset in this script.
        if w is None or w.value is None or len(w.text) < 2 or w.text[0] not in "'\"" or w.text[-1] != w.text[0] \
                or w.text[1:-1] != w.value or not w.value.strip():
            continue
        inner = Script(w.value, None)
        inner_commands = inner.commands
        if inner.has_error:
            continue
        shift = w.start + 1
        for c in inner_commands:
            out.append(Command(
                [Word(x.text, x.value, x.start + shift, x.end + shift) for x in c.words], c.assignments,
                c.redirects, c.start + shift, c.end + shift, cmd.context + ("shell",) + c.context,
                cmd.background or c.background, c.scope_end + shift if c.scope_end is not None else cmd.end))
    return out
