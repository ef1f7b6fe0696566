"""Safe joining of RUN bodies: the text edits behind every fix that merges RUNs or appends a command.

Running ``/bin/sh -c A`` and then, if it succeeded, ``/bin/sh -c B`` is the same as running one script
``A' && B'`` where:

* ``A'`` is ``A`` unless ``A`` changes the shell's state (``cd``, ``export``, ``set``, assignments, ``exit``,
  ``exec``, ``trap``, ``source``, functions, unknown command names, ...) at top level; then it is
  ``( A )``, so the state ends with A as it did when A's shell exited. ``&&`` binds looser than ``|`` and
  applies to the status of the last and-or list, which is A's exit status, so ``;``/newlines inside A keep
  their meaning.
* ``B'`` is ``B`` when it is a single ``&&`` chain, else ``{ B; }`` so that ``||`` or ``;`` in B cannot
  escape the ``&&``.

Background jobs are refused: their lifetime would change. Dockerfile heredocs, exec form, differing flags
and non-POSIX shells are refused by the callers. A trailing shell comment can't stay inside one logical
line, so it moves to a Dockerfile comment line inside the continuation, where BuildKit drops it.
"""
from __future__ import annotations

import re

from ._dataclass import dataclass
from ._regex import lazy_compile
from .diagnostics import Edit, Fix
from .shell import Script, script_of
from .stages import shell_has_errexit
from .syntax import Comment, Document, Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

# Builtins and keywords whose effect outlives the command in the same shell.
STATEFUL = {
    "cd", "pushd", "popd", "export", "unset", "set", "shopt", "umask", "ulimit", "alias", "unalias", "trap",
    "source", ".", "exit", "return", "exec", "eval", "read", "readonly", "declare", "typeset", "local",
    "shift", "getopts", "let", "mapfile", "readarray", "hash", "enable", "builtin", "command", "printf",
    "wait", "disown", "bind", "complete", "dirs", "history", "jobs", "fg", "bg", "logout", "times",
}
_ASSIGNING_EXPANSION = lazy_compile(r"\$\{[^}]*:?=|\$\(\([^)]*[^=!<>]=[^=]")
_ISOLATING = {"subshell", "command_substitution", "process_substitution"}


@dataclass
class Joinability:
    """Whether another command can be joined to a RUN's script (``ok``, else ``reason``), and how: what a
    join must wrap, where the code ends before a trailing comment, what could behave differently after it."""

    ok: bool
    reason: str = ""
    needs_isolation: bool = False  # wrap in ( ) before anything follows it
    isolate_from: int = 0  # script offset where the ( goes: the first state-changing link of an && chain
    single_list: bool = True  # one list joined only by && (what may follow `A &&` without braces)
    ends_with_separator: bool = False  # last top-level token is ';'
    code_end: int = 0  # script offset after the last code character (before a trailing comment)
    comment: Optional[Tuple[int, int]] = None  # trailing comment, script offsets
    errexit: bool = False  # a `set` that may turn on -e anywhere inside
    append_hazard: Optional[str] = None  # why a command appended after it could behave differently
    # the last command of the last list is compound (`if`, `{ }`, `( )`, a loop): with -e in force, a
    # `&& next` after it turns -e off inside it
    ends_compound: bool = False


def joinability_of(script: Script) -> Joinability:
    text = script.text
    if not text.strip():
        return Joinability(False, "the RUN has no command")
    tree = script.tree
    root = tree.root_node
    if root.has_error:
        return Joinability(False, "the shell code could not be parsed with certainty")
    src = text.encode("utf-8", "surrogatepass")
    if len(src) == len(text):
        def pos(b: int) -> int:
            return b
    else:
        def pos(b: int) -> int:  # tree-sitter reports bytes; scripts are indexed by character
            return len(src[:b].decode("utf-8", "surrogatepass"))
    comment = None
    children = [c for c in root.children]
    stmts = [c for c in children if c.is_named and c.type != "comment"]
    comments = [c for c in children if c.type == "comment"]
    if comments:
        last = comments[-1]
        if len(comments) > 1 or children[-1] is not last:
            return Joinability(False, "a shell comment in the middle of the command")
        comment = (pos(last.start_byte), pos(last.end_byte))
    if not stmts:
        return Joinability(False, "the RUN has no command")
    shape = Joinability(True, comment=comment)
    # Last code token: the end of the last statement or a ';' after it.
    code_children = [c for c in children if c.type != "comment"]
    shape.ends_with_separator = code_children[-1].type == ";"
    # `a; b;` is `a; b`: the join goes before a trailing `;` (which the edit then removes)
    shape.code_end = pos(stmts[-1].end_byte)
    # `A && b || c` would run c when A fails: only a pure && chain may follow `A &&` unbraced
    shape.single_list = len(stmts) == 1 and _and_chain(stmts[0]) is not None
    refused, shape.append_hazard = _scan(root, src)  # one walk of the tree for both
    if refused:
        return Joinability(False, refused)
    shape.errexit = _may_set_errexit(root, src)
    shape.ends_compound = not _plain_end(stmts[-1])
    if _ASSIGNING_EXPANSION.search(text):
        shape.needs_isolation = True
        return shape
    links = _and_chain(stmts[0]) if len(stmts) == 1 else None
    if links is None:
        shape.needs_isolation = _changes_state(root, src)
        return shape
    # In `a && b && c`, grouping a suffix as `a && ( b && c )` runs the same commands with the same status,
    # so only the part from the first state-changing link needs a subshell.
    for link in links:
        if _changes_state(link, src):
            shape.needs_isolation = True
            shape.isolate_from = pos(link.start_byte)
            break
    return shape


def _may_set_errexit(root, src: bytes) -> bool:
    if b"set" not in src:  # no command named `set`: no walk of the tree needed
        return False
    for n in _walk(root):
        if n.type != "command":
            continue
        name = n.child_by_field_name("name")
        if name is None or src[name.start_byte:name.end_byte] != b"set":
            continue
        words = [src[c.start_byte:c.end_byte].decode("utf-8", "surrogatepass")
                 for c in n.children if c.is_named and c.type != "command_name"]
        for i, w in enumerate(words):
            if not re.fullmatch(r"[-+A-Za-z0-9_]*", w):
                return True
            if re.fullmatch(r"[-+][A-Za-z]*e[A-Za-z]*", w):
                return True
            if w in ("-o", "+o") and i + 1 < len(words) and words[i + 1] == "errexit":
                return True
    return False


_PLAIN = {"command", "negated_command", "variable_assignment", "variable_assignments", "declaration_command",
          "unset_command", "test_command"}


def _plain_end(node) -> bool:
    """Whether the command an `&& next` would follow is simple (or a pipeline of simple commands)."""
    while True:
        if node.type == "redirected_statement":
            body = node.child_by_field_name("body")
            if body is None:
                return True
            node = body
        elif node.type == "list":
            named = [c for c in node.children if c.is_named and c.type != "comment"]
            if not named:
                return True
            node = named[-1]
        elif node.type == "pipeline":
            return all(_plain_end(c) for c in node.children if c.is_named and c.type != "comment")
        else:
            return node.type in _PLAIN


def _and_chain(node):
    """The links of an and-list joined only by ``&&`` (flattened), or None if other operators join it."""
    # A loop, not a call per operator: a merged RUN may chain thousands of commands.
    links = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "redirected_statement":
            body = n.child_by_field_name("body")
            if body is not None and body.type == "list":  # tree-sitter attaches `a || b > f`'s redirect to the list
                stack.append(body)
                continue
        if n.type != "list":
            links.append(n)
            continue
        if any(not c.is_named and c.type != "&&" for c in n.children):
            return None
        stack.extend(reversed([c for c in n.children if c.is_named]))
    return links


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _changes_state(root, src: bytes) -> bool:
    stack = [root]
    while stack:
        n = stack.pop()
        t = n.type
        if t in _ISOLATING:
            continue
        if t == "pipeline":
            # each element of a multi-command pipeline runs in a subshell; anything else under a pipeline
            # node (tree-sitter puts `a && b > f | c` there) is looked into
            for c in n.children:
                body = c.child_by_field_name("body") if c.type == "redirected_statement" else c
                if body is None or body.type not in ("command", "subshell", "compound_statement"):
                    stack.append(c)
            continue
        if t in ("variable_assignment", "variable_assignments") and n.parent is not None and n.parent.type != "command":
            return True
        if t in ("declaration_command", "unset_command", "function_definition", "for_statement",
                 "c_style_for_statement"):
            return True
        if t == "command":
            name = n.child_by_field_name("name")
            if name is None:
                # only assignments and redirects: assignments persist
                if any(c.type == "variable_assignment" for c in n.children):
                    return True
                continue
            word = src[name.start_byte:name.end_byte].decode("utf-8", "surrogatepass")
            if not re.fullmatch(r"[A-Za-z0-9_./+:-]+", word):
                return True  # a name that needs expansion could be anything
            if word in STATEFUL:
                if word == "printf":
                    args = [c for c in n.children if c.is_named and c.type != "command_name"]
                    if not args or src[args[0].start_byte:args[0].end_byte] != b"-v":
                        stack.extend(c for c in n.children if c.type != "command_name")
                        continue
                return True
        stack.extend(n.children)
    return False


# State changes that cannot alter a cleanup command with literal absolute paths run after them.
_BENIGN_FOR_APPEND = {"cd", "pushd", "popd", "umask", "ulimit", "read", "shift", "getopts", "let", "mapfile",
                      "readarray", "printf", "wait", "dirs", "export", "unset", "readonly", "declare", "typeset",
                      "local", "set"}
_CLEANUP_TOOLS = {"rm", "apt-get", "apt", "apk", "yum", "dnf", "microdnf", "tdnf", "dnf5", "zypper", "npm", "yarn",
                  "pnpm", "pip", "pip3", "uv", "gem", "conda", "find", "xargs"}
_SENSITIVE_VARS = lazy_compile(r"(PATH|IFS|HOME|ENV|BASH_ENV|CDPATH|SHELLOPTS|BASHOPTS|GLOBIGNORE|LD_\w+|"
                             r"npm_config_\w+|NPM_CONFIG_\w+|YARN_\w+|PIP_\w+|DNF_\w+|TMPDIR)\Z")


# The nodes ``_scan`` looks at: what refuses a join, and what may leave state a cleanup depends on.
_SCAN_QUERY = ('"&" @refuse (heredoc_redirect) @refuse (heredoc_body) @refuse (function_definition) @look '
               '(variable_assignment) @look (unset_command (variable_name) @look) (command) @look')


def _scan(root, src: bytes) -> Tuple[Optional[str], Optional[str]]:
    """(why the script cannot be joined at all: a background job or a shell heredoc, or None; why state it
    leaves could change what a plain cleanup command appended to it does, or None), from one query of its
    tree."""
    from .shell import query_captures

    found = query_captures(_SCAN_QUERY)(root)
    refuse = found.get("refuse")
    if refuse:
        if any(n.type == "&" for n in refuse):
            return "a background job (`&`) would outlive its RUN", None
        return "a shell heredoc", None
    # the first in the order a walk of the tree meets them: by start, an enclosing node before what it holds
    for n in sorted(found.get("look", ()), key=lambda n: (n.start_byte, -n.end_byte)):
        hazard = _node_hazard(n, n.type, src)
        if hazard is not None:
            return None, hazard
    return None, None


def _node_hazard(n, t: str, src: bytes) -> Optional[str]:
    """What in node ``n`` (of type ``t``) could change a cleanup command appended after it, or None."""
    if t == "function_definition":
        fname = n.child_by_field_name("name")
        fname = src[fname.start_byte:fname.end_byte].decode() if fname is not None else ""
        if fname in _CLEANUP_TOOLS:
            return f"it defines a shell function named {fname}"
        return None
    if t == "variable_assignment":
        text = src[n.start_byte:n.end_byte].decode("utf-8", "surrogatepass")
        name = text.split("=", 1)[0].split("[", 1)[0]
        return f"it sets {name}" if _SENSITIVE_VARS.match(name) else None
    if t == "variable_name":
        if n.parent is not None and n.parent.type == "unset_command":
            text = src[n.start_byte:n.end_byte].decode("utf-8", "surrogatepass")
            if _SENSITIVE_VARS.match(text):
                return f"it unsets {text}"
        return None
    if t != "command":
        return None
    name = n.child_by_field_name("name")
    if name is None:
        return None
    word = src[name.start_byte:name.end_byte].decode("utf-8", "surrogatepass")
    if not re.fullmatch(r"[A-Za-z0-9_./+:-]+", word):
        return "a command name that needs expansion"
    if word in ("exit", "return"):
        args = [c for c in n.children if c.is_named and c.type != "command_name"]
        code = src[args[0].start_byte:args[0].end_byte] if args else b""
        if code.isdigit() and int(code) % 256 != 0:
            return None  # the RUN fails there, and the build with it: nothing after it would run anyway
        return f"`{word}`"
    if word in ("exec", "trap", "alias", "source", ".", "eval", "shopt", "enable", "hash"):
        return f"`{word}`"
    if word == "set":
        args = [src[c.start_byte:c.end_byte].decode("utf-8", "surrogatepass")
                for c in n.children if c.is_named and c.type != "command_name"]
        for a in args:
            if not re.fullmatch(r"[-+][A-Za-z]+|[A-Za-z]+", a) or \
                    (a.startswith("-") and "f" in a and not a.startswith("-o")) or a in ("noglob", "posix"):
                return "`set` options that change how commands run"
    return None


def continuation_indent(doc: Document, *instructions: Instruction, memo: Optional[dict] = None) -> str:
    """The indentation the file uses for continuation lines: that of the given instructions, else of the
    first RUN that has an indented continuation line (default four spaces)."""
    for ins in instructions:
        indent = _first_indent(doc, ins)
        if indent:
            return indent
    # The file's own answer is the same for every merge: found once per document (kept in ``memo``).
    memo = {} if memo is None else memo
    found = memo.get("continuation_indent")
    if found is None:
        found = memo["continuation_indent"] = next((indent for ins in doc.instructions if ins.name == "RUN"
                                                    for indent in [_first_indent(doc, ins)] if indent), "    ")
    return found


def leading_operators(doc: Document, *instructions: Instruction, memo: Optional[dict] = None) -> bool:
    """Whether the file writes ``&&`` at the start of continuation lines (``\\`` then ``    && next``) rather
    than at the end (``&& \\``): as the given instructions do, else as the first RUN that continues a
    list over lines does."""
    for ins in instructions:
        style = _operator_style(doc, ins)
        if style is not None:
            return style
    memo = {} if memo is None else memo
    found = memo.get("leading_operators")
    if found is None:
        found = memo["leading_operators"] = next((style for ins in doc.instructions if ins.name == "RUN"
                                                  for style in [_operator_style(doc, ins)] if style is not None), False)
    return found


def _operator_style(doc: Document, ins: Instruction) -> Optional[bool]:
    """True when a continuation line of ``ins`` starts with ``&&``/``||``, False when a line ends with one
    before the escape, None when it continues no list over lines."""
    text = doc.text
    for k, (_, fstart, length) in enumerate(ins.segments):
        piece = text[fstart:fstart + length]
        if k and piece.lstrip(" \t").startswith(("&&", "||")):
            return True
        if k + 1 < len(ins.segments) and piece.rstrip(" \t").endswith(("&&", "||")):
            return False
    return None


def _first_indent(doc: Document, ins: Instruction) -> str:
    for _, fstart, length in ins.segments[1:]:
        piece = doc.text[fstart:fstart + length]
        indent = piece[: len(piece) - len(piece.lstrip(" \t"))]
        if indent:
            return indent
    return ""


def _command_end(ins: Instruction, script: Script, shape: Joinability) -> Tuple[int, int]:
    """File offsets: end of the code, end of the command text (after a trailing comment, if any)."""
    code_end = script.file_offset(shape.code_end)
    # file_offset maps the end of a piece to the piece's end; an offset at a join is the end of the first
    text_end = ins.file_end_offset(ins.command_offset + len(ins.command))
    # strip blanks between code and comment
    return code_end, text_end


def _refusal(ins: Instruction) -> Optional[str]:
    if ins.name != "RUN":
        return "not a RUN"
    if ins.json is not None:
        return "exec-form RUN (no shell to join in)"
    if ins.heredocs:
        return "a RUN with heredocs"
    if "\n" in ins.command or "\r" in ins.command:
        return "a line break inside the command"
    return None


def can_join(a: Instruction, b: Optional[Instruction]) -> Optional[str]:
    """Why A (and B) can't be joined, or None."""
    for ins in (a, b):
        if ins is None:
            continue
        why = _refusal(ins)
        if why:
            return why
    if b is not None:
        fa = [(f.name, f.value) for f in a.flags]
        fb = [(f.name, f.value) for f in b.flags]
        if fa != fb:
            return "the RUNs have different flags"
    return None


def _script_and_joinability(ins: Instruction, memo: dict, scripts=None):
    """The script of a RUN and how it may be joined, worked out once per instruction of the file (a RUN in a
    row of several is joined both to the one before and to the one after). ``scripts``: where the file's
    scripts are kept (``Context.script``), with their trees when the rules have parsed them already."""
    known = memo.setdefault("joinability", {})
    found = known.get(id(ins))
    if found is None or found[0] is not ins:
        script = scripts(ins) if scripts is not None else script_of(ins)
        found = known[id(ins)] = (ins, script, joinability_of(script))
        script._tree = None  # the joins need its offsets only: a file of 40,000 RUNs keeps no 40,000 trees
    return found[1], found[2]


def join_edits(doc: Document, a: Instruction, b_text: Optional[str] = None, b: Optional[Instruction] = None,
               between: Optional[List[Comment]] = None, shell: Optional[List[str]] = None,
               env_errexit: bool = False, memo: Optional[dict] = None,
               scripts=None) -> Tuple[Optional[List[Edit]], str]:
    """Edits that make A run B's commands (instruction ``b`` or plain ``b_text``) after it, as one RUN.

    When ``b`` is given, B's instruction text from its start to its command is replaced (so B must follow A
    with only ``between`` comment lines in between). Returns (edits, reason) with edits None when unsafe.
    """
    why = can_join(a, b)
    if why:
        return None, why
    memo = {} if memo is None else memo  # what is the same for every merge in the file, found once
    unread = memo.get("unread_heredoc")
    if unread is None:
        unread = memo["unread_heredoc"] = next(
            (ins.line for ins in doc.instructions if ins.unread_heredoc or (ins.inner and ins.inner.unread_heredoc)), 0)
    if unread:
        return None, (f"line {unread}: a quote is never closed, so BuildKit reads no heredoc there; nothing in "
                      "the file is merged")
    sa, shape_a = _script_and_joinability(a, memo, scripts)
    if not shape_a.ok:
        return None, f"line {a.line}: {shape_a.reason}"
    if b is not None:
        sb, shape_b = _script_and_joinability(b, memo, scripts)
        if not shape_b.ok:
            return None, f"line {b.line}: {shape_b.reason}"
        b_single = shape_b.single_list
        b_comment = shape_b.comment is not None
        b_ends_sep = shape_b.ends_with_separator
    else:
        # An appended command list keeps its own precedence: `rm x || true` or `a; b` appended as is would
        # bind to A's chain (`A && rm x || true` passes when A fails), so it is grouped unless it is one
        # plain && chain; a background job or a heredoc is refused by its shape.
        shape_b = joinability_of(Script(b_text, None))
        if not shape_b.ok:
            return None, f"the added command: {shape_b.reason}"
        b_code = b_text[:shape_b.code_end].strip()
        b_tail = " " + b_text[shape_b.comment[0]:shape_b.comment[1]] if shape_b.comment is not None else ""
        # it ends the RUN, so a trailing comment may stay on its line
        b_text = (b_code if shape_b.single_list else "{ " + b_code + "; }") + b_tail
        b_single, b_comment, b_ends_sep = True, False, False
    if not b_single and b_comment:
        return None, "a trailing comment after a multi-statement RUN"
    isolate = shape_a.needs_isolation
    if b is None and isolate and shape_a.append_hazard is None:
        isolate = False  # nothing A leaves behind changes the appended command
    if b is None and shape_a.append_hazard in ("`exit`", "`exec`", "`return`"):
        return None, f"line {a.line}: {shape_a.append_hazard} could end the RUN before the added command"
    # errexit written in the RUN, in the SHELL's options, or from the environment (SHELLOPTS, BASH_ENV) is
    # the same thing: -e is ignored inside anything followed by `&&`
    outer_errexit = shell_has_errexit(shell) or env_errexit
    if isolate and (shape_a.errexit or outer_errexit):
        # -e is ignored inside a ( ) that is followed by &&: grouping would change when the RUN stops
        why = "`set -e`" if shape_a.errexit else "-e from the SHELL or the environment"
        return None, f"line {a.line}: {why} with commands whose effects would have to be grouped"
    if shape_a.ends_compound and (shape_a.errexit or outer_errexit):
        why = "`set -e`" if shape_a.errexit else "-e from the SHELL or the environment"
        return None, (f"line {a.line}: {why}, and the RUN ends in a compound command (-e would be off inside it "
                      "once a command follows)")
    nl = doc.newline
    indent = continuation_indent(doc, a, *([b] if b is not None else []), memo=memo)
    esc = doc.escape
    edits: List[Edit] = []
    cmd_start = a.file_offset(a.command_offset)
    code_end, text_end = _command_end(a, sa, shape_a)
    if shape_a.comment is not None:
        cstart = sa.file_offset(shape_a.comment[0])
        cend = sa.file_offset(shape_a.comment[1])
        if any(seg[1] > cstart for seg in a.segments):  # it must sit on A's last physical line
            return None, f"line {a.line}: a shell comment that continues over several lines"
        comment_text = doc.text[cstart:cend]
        moved = indent + comment_text.rstrip() + nl
    else:
        moved = ""
    open_at = -1
    if isolate:
        open_at = sa.file_offset(shape_a.isolate_from) if shape_a.isolate_from else cmd_start
        edits.append(Edit(open_at, open_at, "( "))
        close = " )"
    else:
        close = ""
    if moved:
        # The comment described the line it ended: it goes on a comment line above that line (above the RUN
        # when A is one line), so it still describes what follows it.
        last_start = a.segments[-1][1]
        line_start = doc.text.rfind("\n", 0, last_start) + 1
        if line_start != open_at:
            if len(a.segments) == 1:  # above the RUN, indented as the RUN is
                line = doc.text[line_start:cmd_start]
                above = line[:len(line) - len(line.lstrip(" \t"))]
            else:
                above = indent
            edits.append(Edit(line_start, line_start, above + comment_text.rstrip() + nl))
            moved = ""
    leading = leading_operators(doc, a, *([b] if b is not None else []), memo=memo)
    joint = f"{close} {esc}{nl}{moved}" if leading else f"{close} && {esc}{nl}{moved}"
    for c in between or []:
        # a comment line between the RUNs now sits inside the continuation: indented like the lines it
        # describes (BuildKit drops it there, as it did above the RUN)
        joint += indent + doc.text[c.start:c.end].lstrip(" \t")
    joint += indent + ("&& " if leading else "")
    if b is not None:
        b_cmd_start = b.file_offset(b.command_offset)
        b_end = b.file_end_offset(b.command_offset + len(b.command))
        if b_single:
            edits.append(Edit(code_end, b_cmd_start, joint))
        else:
            edits.append(Edit(code_end, b_cmd_start, joint + "{ "))
            edits.append(Edit(b_end, b_end, " }" if b_ends_sep else "; }"))
    else:
        # Appending: everything after A's code (blanks, comment) is replaced; the line ending stays.
        edits.append(Edit(code_end, text_end, joint + b_text))
    return edits, ""


def merge_fix(doc: Document, a: Instruction, b: Instruction, title: str, applicability: str = "safe",
              shell: Optional[List[str]] = None, env_errexit: bool = False, memo: Optional[dict] = None,
              scripts=None):
    """A Fix merging B into A when only comments and blank lines separate them, else (None, reason)."""
    between: List[Comment] = []
    # Where each node is, found once per document (a scan from the top per merge is quadratic).
    memo = {} if memo is None else memo
    index = memo.get("node_index")
    if index is None:
        index = memo["node_index"] = {id(node): k for k, node in enumerate(doc.nodes)}
    start, end = index.get(id(a)), index.get(id(b))
    if start is None:
        return None, f"line {a.line} is not an instruction of the file"
    for node in doc.nodes[start + 1:end if end is not None and end > start else len(doc.nodes)]:
        if isinstance(node, Comment):
            between.append(node)
        elif isinstance(node, Instruction):
            return None, f"other instructions stand between line {a.line} and line {b.line}"
    edits, why = join_edits(doc, a, b=b, between=between, shell=shell, env_errexit=env_errexit, memo=memo,
                            scripts=scripts)
    if edits is None:
        return None, why
    return Fix(title, applicability, edits), ""


def append_fix(doc: Document, a: Instruction, command: str, title: str, applicability: str = "safe",
               shell: Optional[List[str]] = None, env_errexit: bool = False, memo: Optional[dict] = None,
               scripts=None):
    """A Fix that runs ``command`` at the end of RUN ``a`` (if everything before it succeeded)."""
    edits, why = join_edits(doc, a, b_text=command, shell=shell, env_errexit=env_errexit, memo=memo,
                            scripts=scripts)
    if edits is None:
        return None, why
    return Fix(title, applicability, edits), ""


def removal_edit(doc: Document, ins: Instruction) -> Edit:
    """An edit deleting ``ins`` whole, with the comment lines right above it (they describe it; an ignore
    comment is left, and a fix touching it is not applied), and one of the blank lines that would otherwise
    stand twice where it was."""
    text = doc.text
    start, end = ins.start, ins.end
    while start > 0:
        line_start = text.rfind("\n", 0, start - 1) + 1
        line = text[line_start:start].strip()
        if not line.startswith("#") or _PRAGMA_COMMENT.search(line):
            break
        start = line_start
    before_blank = start >= 2 and text[:start].endswith(("\n\n", "\n\r\n"))
    if before_blank and text.startswith("\r\n", end):
        end += 2
    elif before_blank and text.startswith("\n", end):
        end += 1
    return Edit(start, end, "")


_PRAGMA_COMMENT = lazy_compile(r"#\s*(dlint|hadolint)\b", re.I)
