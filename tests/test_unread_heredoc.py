"""A ``<<WORD`` in a line with a quote left open is no heredoc for BuildKit: the lines below are instructions.
dlint reads it the same way, reports it, and merges nothing in such a file."""
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.validation import validate
from dlint.syntax import parse

dockerfile = pytest.importorskip("dockerfile")

SHAPES = [
    ("RUN <<'EOF\nrm -rf /x\nEOF\n", False),
    ('RUN <<"EOF\nrm -rf /x\nEOF\n', False),
    ("RUN cat <<EOF && echo 'x\nhello\nEOF\n", False),
    ('RUN cat <<EOF && echo "a\\"\nhello\nEOF\n', False),
    ("RUN cat <<EOF && echo 'a\\'\nhello\nEOF\n", True),
    ("RUN cat <<EOF && echo \\'x\nhello\nEOF\n", True),
    ("RUN <<'EOF'\nrm -rf /x\nEOF\n", True),
    ("RUN cat <<EOF \\\n && echo 'x\nhello\nEOF\n", False),
]


@pytest.mark.parametrize("body,is_heredoc", SHAPES)
def test_heredoc_or_not_as_buildkit_reads_it(body, is_heredoc):
    text = "FROM debian:12\n" + body + "RUN ok\n"
    ours = parse(text)
    theirs = dockerfile.parse_string(text)
    assert [i.name for i in ours.instructions] == [c.cmd.upper() for c in theirs]
    assert bool(ours.instructions[1].heredocs) == is_heredoc == bool(theirs[1].heredocs)
    assert ours.instructions[1].unread_heredoc == (not is_heredoc)


def test_reported_and_nothing_merged():
    # the would-be body and terminator are instructions BuildKit knows, so the file builds
    text = ("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\nRUN <<RUN cat 'x\nRUN ok1\n"
            "RUN ok2\nRUN\n")
    doc, problems = validate("Dockerfile", text.encode(), text)
    [problem] = problems
    assert problem.line == 4 and "never closed" in problem.message and not problem.blocks_fix
    fixed, diags, problem = fix_text("Dockerfile", text, Settings(enabled={"L001", "L002", "L008"}), unsafe=False)
    assert fixed == text
    assert all(d.fix is None and "never closed" in d.rendered_message for d in diags if d.code in ("L001", "L008"))
    assert {d.code for d in diags} >= {"L001", "L008"}
