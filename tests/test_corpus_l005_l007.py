"""L005 apt-no-install-recommends, L006 copy-then-chmod, L007 copied-then-deleted over the whole corpus: fixes
change only what they mean to, findings sit where the rules say (snippet tests: tests/rules/)."""
import difflib
import itertools

import dockerfile
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.checking import check_source
from dlint.syntax import decode, parse

from conftest import corpus_files


# ------------------------------------------------------------------------------------------- corpus

@pytest.fixture(scope="module")
def corpus_findings():
    """(path, text, L005-L007 findings) for every corpus file that parses."""
    files = corpus_files()
    if not files:
        pytest.skip("corpus not present")
    out = []
    for path in files:
        data = open(path, "rb").read()
        text = decode(data)
        try:
            parse(text)
        except ValueError:
            continue
        result = check_source(path, data, Settings(enabled={"L005", "L006", "L007"}))
        out.append((path, text, result.diagnostics))
    return out


def _only_inserted(before: str, after: str, piece: str) -> bool:
    """Whether ``after`` is ``before`` with copies of ``piece`` inserted and nothing else changed."""
    spots = [i for i in range(len(after)) if after.startswith(piece, i)]
    extra = (len(after) - len(before)) // len(piece)
    for chosen in itertools.combinations(spots, extra):
        out, pos = [], 0
        for i in chosen:
            out.append(after[pos:i])
            pos = i + len(piece)
        if "".join(out) + after[pos:] == before:
            return True
    return False


def _key(ins):
    """An instruction with what the fixes may add left out (to pair instructions before and after a fix)."""
    if ins.cmd == "RUN":
        value = tuple(v.replace(" --no-install-recommends", "") for v in ins.value if v != "--no-install-recommends")
        return ins.cmd, ins.flags, value
    if ins.cmd in ("COPY", "ADD"):
        return ins.cmd, tuple(f for f in ins.flags if not f.startswith(("--chmod=", "--chown="))), ins.value
    return ins.cmd, ins.flags, ins.value


def test_corpus_fixes_change_only_what_they_mean_to(corpus_findings):
    """Over the corpus, with --unsafe-fixes and only these rules: BuildKit reads each fixed file as the same
    instructions, except for the option L005 inserts, the flags L006 adds to COPY/ADD and the chmod/chown
    RUNs it deletes; a second fix changes nothing."""
    settings = Settings(enabled={"L005", "L006", "L007"})
    changed = deleted = 0
    for path, text, diags in corpus_findings:
        if not any(d.fix for d in diags):
            continue
        new, _, problem = fix_text(path, text, settings, True)
        assert problem is None, problem.render()
        if new == text:
            continue
        changed += 1
        before, after = list(dockerfile.parse_string(text)), list(dockerfile.parse_string(new))
        assert fix_text(path, new, settings, True)[0] == new, path
        ops = difflib.SequenceMatcher(None, [_key(i) for i in before], [_key(i) for i in after],
                                      autojunk=False).get_opcodes()
        for op, i1, i2, j1, j2 in ops:
            if op == "delete":
                for ins in before[i1:i2]:
                    words = " ".join(ins.value).split()
                    assert ins.cmd == "RUN" and words[0] in ("chmod", "chown", "set"), (path, ins.original)
                    deleted += 1
                continue
            assert op == "equal", (path, op, [i.original for i in before[i1:i2]], [i.original for i in after[j1:j2]])
            for ins, other in zip(before[i1:i2], after[j1:j2]):
                if ins.cmd in ("COPY", "ADD"):
                    assert other.value == ins.value and set(ins.flags) <= set(other.flags), path
                    assert all(f.startswith(("--chmod=", "--chown=")) for f in set(other.flags) - set(ins.flags))
                elif ins.cmd == "RUN" and not ins.json:
                    assert _only_inserted(ins.value[0], other.value[0], " --no-install-recommends"), path
                else:
                    assert other == ins._replace(original=other.original, start_line=other.start_line,
                                                 end_line=other.end_line) or (
                        ins.cmd == "RUN" and tuple(v for v in other.value if v != "--no-install-recommends")
                        == ins.value), path
    assert changed > 0 and deleted > 0


def test_corpus_findings_are_where_the_rules_say(corpus_findings):
    """Every finding is in a stage that ships, on the instruction kind the rule reports on."""
    from dlint.stages import StageGraph

    seen = set()
    for path, text, diags in corpus_findings:
        if not diags:
            continue
        doc = parse(text)
        graph = StageGraph(doc)
        for d in diags:
            ins = next(i for i in doc.instructions if i.start <= d.start < i.end)
            assert graph.stage_index(ins) in graph.shipping, (path, d.line)
            expected = {"L005": ("RUN",), "L006": ("RUN",), "L007": ("COPY", "ADD")}[d.code]
            assert ins.name in expected, (path, d.line, d.code)
            seen.add(d.code)
    assert seen == {"L005", "L006", "L007"}


