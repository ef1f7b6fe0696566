"""R011 wget-and-curl."""
from dlint.testing import findings, fixed


def test_reports_the_runs_once_both_are_used_in_a_stage():
    text = ("FROM debian:12\nRUN curl -fsSLO https://e.com/a\nRUN wget -q https://e.com/b\nRUN echo hi\n"
            "RUN curl -fsSLO https://e.com/c\n")
    assert [d.line for d in findings(text, "R011")] == [3, 5]
    assert fixed(text, "R011", unsafe=True) == text


def test_both_in_one_run_and_onbuild():
    assert [d.line for d in findings("FROM alpine\nRUN wget -q x && curl -O y\n", "R011")] == [2]
    assert [d.line for d in findings("FROM alpine\nRUN wget -q x\nONBUILD RUN curl -O y\n", "R011")] == [3]


def test_each_stage_counts_on_its_own():
    text = "FROM debian:12 AS a\nRUN curl -O x\nFROM debian:12\nRUN wget -q y\n"
    assert findings(text, "R011") == []


def test_not_called_only_named():
    assert findings("FROM debian:12\nRUN apt-get install -y curl wget\nRUN curl -O x\n", "R011") == []
    assert findings('FROM debian:12\nSHELL ["pwsh", "-c"]\nRUN curl x; wget y\n', "R011") == []


def test_calls_inside_a_substitution_of_export_or_a_test_count():
    text = "FROM debian:12\nRUN export V=$(curl -fsS https://e.com/v) && wget -q https://e.com/$V\n"
    assert [(d.line, d.column) for d in findings(text, "R011")] == [(2, 1)]
    text = "FROM debian:12\nRUN [ -n \"$(curl -fsS https://e.com/v)\" ] && wget -q https://e.com/x\n"
    assert len(findings(text, "R011")) == 1
