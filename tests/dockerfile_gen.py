"""Hypothesis strategies for Dockerfile-shaped text, shared by the parser and BuildKit agreement tests."""
import os

from hypothesis import settings
from hypothesis import strategies as st

# Raise with DLINT_FUZZ_EXAMPLES=2000 (or more) for a deeper run; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("DLINT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="DLINT_FUZZ_EXAMPLES" not in os.environ)

KEYWORDS = ["FROM", "RUN", "run", "COPY", "ADD", "ENV", "ARG", "CMD", "ENTRYPOINT", "LABEL", "WORKDIR", "USER",
            "EXPOSE", "VOLUME", "SHELL", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL", "MAINTAINER", "from", "Run"]
FLAGS = ["--mount=type=cache,target=/root/.cache", "--network=none", "--from=build", "--chown=1000:1000",
         "--link", "--platform=$BUILDPLATFORM", '--mount="type=bind,target=/a b"', "--security=insecure",
         "--chmod=755", "--", "--x=a\\ b"]
WORDS = ["apt-get", "install", "-y", "curl", "&&", "||", ";", "|", "echo", "'a b'", '"$HOME"', "x=1", "[", "]",
         '["a", "b"]', "[\"sh\", \"-c\", \"echo hi\"]", "<<EOF", "<<-EOF", "<<'EOF'", "3<<END", "cat", ">", "/f",
         "a=b", "CMD", "NONE", "\\\\", "\\", "`", "#", "#x", "\\#", "=", "$(id -u)", "é", "\u00a0", "\x0b"]
NEWLINES = ["\n", "\n", "\n", "\r\n"]
BLANKS = [" ", " ", "\t", "  "]


@st.composite
def continuation_lines(draw, escape):
    """Extra lines after a trailing escape: words, blank lines, comments (maybe indented)."""
    out = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["words", "words", "blank", "comment", "empty"]))
        if kind == "words":
            out.append(draw(st.sampled_from(["", " ", "\t"])) + " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))))
        elif kind == "blank":
            out.append(draw(st.sampled_from(["", " ", "\t "])))
        elif kind == "comment":
            out.append(draw(st.sampled_from(["", "  "])) + "# " + draw(st.sampled_from(["note", "RUN x", "\\"])))
        else:
            out.append(draw(st.sampled_from(BLANKS)) + escape)
            continue
        out[-1] += escape if draw(st.booleans()) else ""
    return out


@st.composite
def instruction(draw, escape):
    keyword = draw(st.sampled_from(KEYWORDS))
    parts = [keyword]
    if keyword.upper() == "ONBUILD":
        parts.append(draw(st.sampled_from(["RUN", "COPY", "ENV", "run"])))
    parts += draw(st.lists(st.sampled_from(FLAGS), max_size=2))
    parts += draw(st.lists(st.sampled_from(WORDS), max_size=6))
    line = draw(st.sampled_from(["", "", " ", "\t"])) + draw(st.sampled_from(BLANKS)).join(parts)
    lines = [line]
    if draw(st.booleans()):
        lines[0] += draw(st.sampled_from(["", " ", " \t"])) + escape + draw(st.sampled_from(["", "", " ", "\t"]))
        lines += draw(continuation_lines(escape))
    # Heredoc bodies: give every marker a body and a terminator most of the time.
    names = []
    for w in line.split():
        for marker in ("<<-", "<<"):
            if marker in w:
                name = w.split(marker, 1)[1].strip("'\"")
                if name and "<" not in name:
                    names.append((name, marker == "<<-"))
                break
    for name, strip in names:
        body = draw(st.lists(st.sampled_from(["echo hi", "", "  x \\", "\tindented", "$HOME", "EOFX"]), max_size=3))
        lines += body
        if draw(st.integers(0, 9)) > 0:
            lines.append(("\t" if strip and draw(st.booleans()) else "") + name)
    return lines


@st.composite
def dockerfiles(draw):
    """Text shaped like a Dockerfile: directives, instructions, flags, continuations, comments, heredocs."""
    escape = draw(st.sampled_from(["\\", "\\", "`"]))
    lines = []
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["# syntax=docker/dockerfile:1", "#syntax=x", "# check=skip=all"])))
    if escape == "`" or draw(st.integers(0, 9)) == 0:
        lines.append(draw(st.sampled_from(["# escape=", "#escape=", "  # escape = "])) + escape)
    lines.append("FROM " + draw(st.sampled_from(["debian:12", "alpine AS build", "--platform=linux/amd64 x as y"])))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["ins", "ins", "ins", "comment", "blank"]))
        if kind == "ins":
            lines += draw(instruction(escape))
        elif kind == "comment":
            lines.append(draw(st.sampled_from(["# a comment", "#", "  # indented"])))
        else:
            lines.append(draw(st.sampled_from(["", " ", "\t"])))
    newline = draw(st.sampled_from(NEWLINES))
    text = newline.join(lines)
    if draw(st.integers(0, 3)) > 0:
        text += newline
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


# Arbitrary text leaning towards the characters that matter to the parser.
SPECIAL = st.sampled_from(list("RUNFROMCPYENVrun \t\\`#\n\r<-EOF\"'[]=,\x0b\x0c\u00a0\ufeff\u2028$"))
noisy_text = st.text(alphabet=st.one_of(SPECIAL, st.characters()), max_size=300)
