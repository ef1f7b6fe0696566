"""Report formats, checked against what their consumers read: the SARIF 2.1.0 schema, GitHub's workflow
command syntax, Checkstyle and JUnit XML structure, and GitLab's Code Quality fields."""
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from dlint import docs
from dlint.cli import main
from dlint.diagnostics import Diagnostic, FileResult, Fix, Edit, InputProblem
from dlint.reporters import checkstyle, github, gitlab, junit, sarif
from dlint.rules import ALL_RULES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SARIF_SCHEMA = os.path.join(os.path.dirname(ROOT), "shared", "schemas", "sarif-schema-2.1.0.json")

# One finding of each severity dlint's rules use: B002 error, L001 warning, L008 info (opt-in; the last stage
# builds on the build stage, so its layers ship and L008 reports them).
MULTI = """\
FROM golang:1.25 AS build
WORKDIR /src
RUN apt-get update
RUN apt-get install -y --no-install-recommends git
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian13:nonroot AS release
COPY --from=build /out/server /server
ENTRYPOINT /server --port 8080

FROM build AS dev
"""
# Rules other than these are left out so that the expected findings stay put as rules are added.
SELECTION = ("--select", "L001,L008,B002")
CLEAN = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(MULTI)
    (tmp_path / "clean.Dockerfile").write_text(CLEAN)
    return tmp_path


def run(*args):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code in (0, 1, 2), r.output
    return r


def check(fmt, *paths, extra=SELECTION):
    return run("check", "--format", fmt, *extra, *paths)


def json_findings(*paths, extra=SELECTION):
    return json.loads(check("json", *paths, extra=extra).stdout)


def line_col_to_offset(text, line, column):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    bom = 1 if line == 1 and text.startswith("\ufeff") else 0  # decoded content starts after a BOM
    return starts[line - 1] + column - 1 + bom


@pytest.mark.parametrize("text", [
    "\ufeffFROM a\r\nRUN b \\\r\n  c\r\n",
    "FROM a\n\n# caf\u00e9 \U0001f600\nRUN x\n",
    "\ufeff\nFROM a",
])
def test_positions_in_reports_are_the_parsers(text):
    from dlint.syntax import parse, text_position as line_col

    doc = parse(text)
    for offset in range(len(text) + 1):
        assert line_col(text, offset) == doc.line_col(offset), offset
        if offset > 0 or not text.startswith("\ufeff"):
            assert line_col_to_offset(text, *line_col(text, offset)) == offset


# ------------------------------------------------------------------------------------------------ SARIF

def sarif_validator():
    import jsonschema

    if not os.path.isfile(SARIF_SCHEMA):
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    with open(SARIF_SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid_sarif(data):
    errors = sorted(sarif_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_is_valid_and_describes_every_rule(project):
    r = check("sarif", "Dockerfile", "clean.Dockerfile")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert_valid_sarif(data)
    assert data["version"] == "2.1.0"
    (run_,) = data["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "dlint"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == [r.code for r in ALL_RULES]
    for meta, rule in zip(rules, ALL_RULES):
        assert meta["name"] == rule.name
        assert meta["shortDescription"]["text"] == rule.summary
        full = meta["fullDescription"]["text"]
        assert full
        what = docs.sections(docs.page(rule)).get("What it does")
        if what is not None:  # the first paragraph of the page (a missing page fails test_rule_docs)
            assert " ".join(what.split()).startswith(full)
        assert meta["helpUri"] == f"{docs.PROJECT_URL}/blob/main/rules/{rule.code}-{rule.name}.md"
        # (test_rule_docs checks that every rule has that page)
        assert meta["defaultConfiguration"]["level"] == sarif.LEVELS[rule.severity]
        assert meta["defaultConfiguration"]["enabled"] == rule.default_enabled
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_sarif_results_match_the_findings(project):
    expected = json_findings("Dockerfile")
    data = json.loads(check("sarif", "Dockerfile").stdout)
    results = data["runs"][0]["results"]
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert len(results) == len(expected) == 3
    levels = {}
    for res, d in zip(results, expected):
        assert res["ruleId"] == d["code"]
        assert rules[res["ruleIndex"]]["id"] == d["code"]
        assert res["message"]["text"] == d["message"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "Dockerfile"
        assert loc["region"] == {"startLine": d["line"], "startColumn": d["column"],
                                 "endLine": d["end_line"], "endColumn": d["end_column"]}
        levels[d["severity"]] = res["level"]
    assert levels == {"error": "error", "warning": "warning", "info": "note"}
    assert len({res["partialFingerprints"]["dlintFinding/v1"] for res in results}) == 3


def apply_sarif_fix(text, fix):
    """Apply a SARIF fix the way a consumer does: regions are 1-based line/column, end exclusive."""
    (change,) = fix["artifactChanges"]
    edits = []
    for rep in change["replacements"]:
        reg = rep["deletedRegion"]
        start = line_col_to_offset(text, reg["startLine"], reg["startColumn"])
        end = line_col_to_offset(text, reg["endLine"], reg["endColumn"])
        edits.append((start, end, rep["insertedContent"]["text"]))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.parametrize("code", ["L001", "B002"])
def test_sarif_fix_is_what_dlint_fix_does(project, code):
    data = json.loads(check("sarif", "--select", code, "Dockerfile", extra=()).stdout)
    (res,) = data["runs"][0]["results"]
    (fix,) = res["fixes"]
    assert fix["description"]["text"]
    patched = apply_sarif_fix(MULTI, fix)
    r = run("fix", "--select", code, "Dockerfile")
    assert r.exit_code == 0, r.output
    assert patched == (project / "Dockerfile").read_text()
    assert patched != MULTI


def test_sarif_columns_are_code_points_after_a_bom_and_non_ascii(project):
    text = "\ufeff# caf\u00e9 \u2603 \U0001f600\nFROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    (project / "Dockerfile").write_text(text, encoding="utf-8")
    data = json.loads(check("sarif", "--select", "L001", "Dockerfile", extra=()).stdout)
    assert_valid_sarif(data)
    assert data["runs"][0]["columnKind"] == "unicodeCodePoints"
    (res,) = data["runs"][0]["results"]
    region = res["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 1, 19)
    patched = apply_sarif_fix(text, res["fixes"][0])
    run("fix", "--select", "L001", "Dockerfile")
    assert patched == (project / "Dockerfile").read_text(encoding="utf-8")


def test_sarif_reports_input_problems_as_notifications(project):
    (project / "broken.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    r = check("sarif", "Dockerfile", "broken.Dockerfile", "missing.Dockerfile")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    assert_valid_sarif(data)
    inv = data["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    notes = inv["toolExecutionNotifications"]
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
    assert uris == ["broken.Dockerfile", "missing.Dockerfile"]
    assert notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert len(data["runs"][0]["results"]) == 3  # the good file is still reported


def test_sarif_uris_are_relative_below_the_working_directory_and_file_uris_elsewhere(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "my Dockerfile"
    other.write_text(MULTI)
    os.mkdir("sub dir")
    (project / "sub dir" / "Dockerfile").write_text(MULTI)
    data = json.loads(check("sarif", str(project / "sub dir" / "Dockerfile"), str(other)).stdout)
    assert_valid_sarif(data)
    uris = sorted({res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                   for res in data["runs"][0]["results"]})
    assert uris == sorted(["sub%20dir/Dockerfile", "file://" + str(other).replace(" ", "%20")])


def test_sarif_output_file(project):
    r = check("sarif", "--output-file", "out/dlint.sarif", "Dockerfile") if os.path.isdir("out") else None
    os.mkdir("out")
    r = check("sarif", "--output-file", "out/dlint.sarif", "Dockerfile")
    assert r.exit_code == 1
    assert r.stdout == ""
    with open("out/dlint.sarif", encoding="utf-8") as fh:
        assert_valid_sarif(json.load(fh))


# ----------------------------------------------------------------------------------------------- GitHub

COMMAND_RE = re.compile(r"^::(?P<kind>[a-z]+) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(value):
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_command(line):
    m = COMMAND_RE.match(line)
    assert m, line
    props = {}
    for item in m.group("props").split(","):
        key, _, value = item.partition("=")
        props[key] = unescape(value)
    return m.group("kind"), props, unescape(m.group("message"))


def test_github_annotations(project):
    expected = json_findings("Dockerfile")
    r = check("github", "Dockerfile", "clean.Dockerfile")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == len(expected) == 3
    kinds = {}
    for line, d in zip(lines, expected):
        kind, props, message = parse_command(line)
        kinds[d["severity"]] = kind
        assert props == {"file": "Dockerfile", "line": str(d["line"]), "col": str(d["column"]),
                         "endLine": str(d["end_line"]), "endColumn": str(d["end_column"]),
                         "title": f"{d['code']} {d['name']}"}
        assert message == d["message"]
    assert kinds == {"error": "error", "warning": "warning", "info": "notice"}


def test_github_escaping():
    assert github.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert github.escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    # A path and a message with every special character survive the round trip, and nothing in them can
    # end the property list or the command early.
    path = "dir,x:y/50%/Dockerfile"
    message = "first line: a, b\nsecond %0A line\r\n::error::not a command"
    d = Diagnostic(path, 2, 3, 2, 9, "L001", "update-without-install", "style", message)
    (line,) = github.render([FileResult(path, diagnostics=[d], source="")]).splitlines()
    assert "\n" not in line and "\r" not in line
    kind, props, got = parse_command(line)
    assert kind == "notice"
    assert props["file"] == path
    assert got == message


def test_github_input_problem_is_an_error(project):
    (project / "broken.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    r = check("github", "broken.Dockerfile")
    assert r.exit_code == 2
    kind, props, message = parse_command(r.stdout.strip())
    assert kind == "error" and props["file"] == "broken.Dockerfile" and props["line"] == "2"
    assert "FROBNICATE" in message


# ------------------------------------------------------------------------------------------- Checkstyle

def test_checkstyle_xml_structure(project):
    expected = json_findings("Dockerfile")
    r = check("checkstyle", "Dockerfile", "clean.Dockerfile")
    assert r.exit_code == 1
    assert r.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.tag == "checkstyle"
    files = root.findall("file")
    assert [f.get("name") for f in files] == ["Dockerfile", "clean.Dockerfile"]
    errors = files[0].findall("error")
    assert files[1].findall("error") == []
    assert len(errors) == len(expected) == 3
    for e, d in zip(errors, expected):
        assert set(e.keys()) == {"line", "column", "severity", "message", "source"}
        assert (int(e.get("line")), int(e.get("column"))) == (d["line"], d["column"])
        assert e.get("source") == f"dlint.{d['code']}"
        assert e.get("message").startswith(d["message"])
        assert e.get("severity") in ("ignore", "info", "warning", "error")
    assert [e.get("severity") for e in errors] == [{"error": "error", "warning": "warning", "info": "info"}[d["severity"]]
                                                   for d in expected]


def test_xml_formats_survive_characters_xml_cannot_hold():
    # undecodable bytes (read as lone surrogates), control characters and markup in paths and messages
    path = "odd\udcff<&>\x01.Dockerfile"
    d = Diagnostic(path, 1, 1, 1, 5, "B004", "unpinned-base-image", "warning", 'a "quoted" <tag> & \x07 \udce9')
    results = [FileResult(path, diagnostics=[d], source="FROM x\n")]
    for module in (checkstyle, junit):
        out = module.render(results)
        out.encode("utf-8")  # writable
        root = ET.fromstring(out.encode("utf-8"))
        texts = [v for el in root.iter() for v in el.attrib.values()]
        assert any('a "quoted" <tag> &' in t for t in texts)
        assert any("odd\ufffd<&>\ufffd.Dockerfile" == t for t in texts)


# ----------------------------------------------------------------------------------------------- GitLab

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def gitlab_issues(*paths, extra=SELECTION):
    r = check("gitlab", *paths, extra=extra)
    issues = json.loads(r.stdout)
    assert isinstance(issues, list)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    return r, issues


def test_gitlab_code_quality(project):
    expected = json_findings("Dockerfile")
    r, issues = gitlab_issues("Dockerfile", "clean.Dockerfile")
    assert r.exit_code == 1
    assert len(issues) == len(expected) == 3
    for issue, d in zip(issues, expected):
        assert issue["location"] == {"path": "Dockerfile", "lines": {"begin": d["line"], "end": d["end_line"]}}
        assert d["code"] in issue["check_name"] and d["message"] in issue["description"]
    assert [i["severity"] for i in issues] == [gitlab.SEVERITIES[d["severity"]] for d in expected]
    assert len({i["fingerprint"] for i in issues}) == 3


def test_gitlab_fingerprints_are_stable_and_ignore_line_shifts(project):
    _, first = gitlab_issues("Dockerfile")
    _, again = gitlab_issues("Dockerfile")
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    # Lines added above move every finding but it is still the same finding.
    (project / "Dockerfile").write_text("# syntax=docker/dockerfile:1\n\n# builder\n" + MULTI)
    _, shifted = gitlab_issues("Dockerfile")
    assert [i["location"]["lines"]["begin"] for i in shifted] == [i["location"]["lines"]["begin"] + 3 for i in first]
    assert [i["fingerprint"] for i in shifted] == [i["fingerprint"] for i in first]
    # A different finding (another command flagged) gets another fingerprint, and so does another file.
    (project / "Dockerfile").write_text(MULTI.replace("ENTRYPOINT /server --port 8080", "ENTRYPOINT /server --port 9090"))
    _, changed = gitlab_issues("Dockerfile")
    assert [i["fingerprint"] for i in changed][:2] == [i["fingerprint"] for i in first][:2]
    assert changed[2]["fingerprint"] != first[2]["fingerprint"]
    (project / "Other.Dockerfile").write_text(MULTI)
    _, other = gitlab_issues("Other.Dockerfile")
    assert not {i["fingerprint"] for i in other} & {i["fingerprint"] for i in first}


def test_gitlab_identical_findings_get_distinct_fingerprints(project):
    twice = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n\nFROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
    (project / "Dockerfile").write_text(twice)
    _, issues = gitlab_issues("Dockerfile", extra=("--select", "L001"))
    assert len(issues) == 2
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_input_problem_is_a_blocker(project):
    (project / "broken.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    r, issues = gitlab_issues("broken.Dockerfile")
    assert r.exit_code == 2
    (issue,) = issues
    assert issue["severity"] == "blocker"
    assert issue["location"] == {"path": "broken.Dockerfile", "lines": {"begin": 2}}


# ------------------------------------------------------------------------------------------------ JUnit

def test_junit_xml_structure(project):
    (project / "broken.Dockerfile").write_text("FROM debian:12\nFROBNICATE x\n")
    expected = json_findings("Dockerfile")
    r = check("junit", "Dockerfile", "clean.Dockerfile", "broken.Dockerfile")
    assert r.exit_code == 2
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["Dockerfile", "clean.Dockerfile", "broken.Dockerfile"]
    for s in suites:
        cases = s.findall("testcase")
        assert int(s.get("tests")) == len(cases)
        assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(s.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites) == 5
    assert int(root.get("failures")) == 3 and int(root.get("errors")) == 1
    dockerfile, clean, broken = suites
    for case, d in zip(dockerfile.findall("testcase"), expected):
        failure = case.find("failure")
        assert failure.get("type") == d["code"] and failure.get("message") == d["message"]
        assert case.get("classname") == "Dockerfile" and case.get("line") == str(d["line"])
        assert f"Dockerfile:{d['line']}:{d['column']}: {d['code']}" in failure.text
    (passing,) = clean.findall("testcase")
    assert list(passing) == []  # a clean file is one passing test case
    (errored,) = broken.findall("testcase")
    assert "FROBNICATE" in errored.find("error").get("message")


# ------------------------------------------------------------------ problems in files that are still checked

ODD = (b'FROM debian:12\nLABEL description="caf\xe9"\nRUN apt-get update\n'
       b'RUN apt-get install -y --no-install-recommends git\nCMD ["serve"\n')
ODD_PROBLEMS = {2: "not valid UTF-8 (byte 0xe9 at line 2, column 23): checked with the bytes kept as they are",
                5: 'CMD ["serve": looks like JSON (exec) form but is not valid JSON (unterminated array), so it '
                   "runs as a shell command"}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "checkstyle", "gitlab", "junit"])
def test_problems_of_files_still_checked_in_every_format(project, fmt):
    """Errors (exit code 2) shown as such, next to the file's findings, which are all still there."""
    (project / "odd.Dockerfile").write_bytes(ODD)
    r = check(fmt, "odd.Dockerfile", extra=("--select", "L001"))
    assert r.exit_code == 2
    out = r.stdout
    if fmt in ("text", "json"):  # problems on stderr, findings as usual
        assert r.stderr.splitlines() == [f"odd.Dockerfile:{n}: error: {m}" for n, m in ODD_PROBLEMS.items()]
        found = json.loads(out) if fmt == "json" else None
        assert ([(d["code"], d["line"]) for d in found] == [("L001", 3)]) if found is not None \
            else re.search(r"^odd.Dockerfile:3:1: L001 ", out, re.M)
    elif fmt == "sarif":
        data = json.loads(out)
        assert_valid_sarif(data)
        run_ = data["runs"][0]
        assert [(res["ruleId"], res["locations"][0]["physicalLocation"]["region"]["startLine"])
                for res in run_["results"]] == [("L001", 3)]
        notes = run_["invocations"][0]["toolExecutionNotifications"]
        assert [(n["level"], n["locations"][0]["physicalLocation"]["region"]["startLine"], n["message"]["text"])
                for n in notes] == [("error", n, m) for n, m in ODD_PROBLEMS.items()]
    elif fmt == "github":
        commands = [parse_command(line) for line in out.splitlines()]
        assert [(k, p["line"], p["title"], m) for k, p, m in commands if k == "error"] == [
            ("error", str(n), "dlint: input problem", m) for n, m in ODD_PROBLEMS.items()]
        assert [(k, p["line"]) for k, p, _ in commands if k != "error"] == [("warning", "3")]
    elif fmt == "checkstyle":
        (f,) = ET.fromstring(out.encode("utf-8")).findall("file")
        assert [(e.get("source"), e.get("line"), e.get("severity")) for e in f.findall("error")] == [
            ("dlint.input", "2", "error"), ("dlint.input", "5", "error"), ("dlint.L001", "3", "warning")]
    elif fmt == "gitlab":
        issues = json.loads(out)
        assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
            ("dlint-input", "critical", 2), ("dlint-input", "critical", 5), ("L001 update-without-install", "major", 3)]
        assert [i["description"] for i in issues[:2]] == list(ODD_PROBLEMS.values())
    else:
        (suite,) = ET.fromstring(out.encode("utf-8")).findall("testsuite")
        assert (suite.get("errors"), suite.get("failures")) == ("2", "1")
        assert [c.find("error").get("message") for c in suite.findall("testcase") if c.find("error") is not None] \
            == list(ODD_PROBLEMS.values())


# ---------------------------------------------------------------------------------- hadolint codes

HADOLINT_CASES = """\
FROM ubuntu
FROM alpine:latest
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apk add curl
RUN pip install --upgrade requests
RUN yum install -y curl
RUN dnf install -y curl
RUN microdnf install -y curl
RUN zypper install -y curl
RUN yarn install
RUN npm install left-pad
"""
HADOLINT_EXPECTED = {
    ("B004", 1): "DL3006", ("B004", 2): "DL3007", ("L004", 3): "DL3009", ("L004", 4): "DL3019",
    ("L004", 5): "DL3042", ("L004", 6): "DL3032", ("L004", 7): "DL3040", ("L004", 8): "DL3040",
    ("L004", 9): "DL3036", ("L004", 10): "DL3060", ("L004", 11): None,
}


def _hadolint_project(tmp_path):
    (tmp_path / "Dockerfile").write_text(HADOLINT_CASES)
    return ["--select", "B004,L004", "Dockerfile"]


def test_json_gives_each_finding_its_hadolint_code(project):
    rows = json.loads(run("check", "--format", "json", *_hadolint_project(project)).stdout)
    got = {(r["code"], r["line"]): r["hadolint"] for r in rows}
    assert got == HADOLINT_EXPECTED
    # the field sits after the name; every other key is as before
    assert list(rows[0])[:8] == ["file", "line", "column", "end_line", "end_column", "code", "name", "hadolint"]


def test_sarif_result_properties_carry_the_hadolint_code(project):
    report = json.loads(run("check", "--format", "sarif", *_hadolint_project(project)).stdout)
    results = report["runs"][0]["results"]
    got = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["properties"]["hadolint"]
           for r in results}
    assert got == HADOLINT_EXPECTED
    assert_valid_sarif(report)


def test_a_finding_of_a_rule_without_hadolint_code_has_null(project):
    rows = json_findings("Dockerfile")
    assert rows and all(r["hadolint"] is None for r in rows if not [x for x in ALL_RULES if x.code == r["code"]][0].hadolint)


def test_a_rule_with_one_hadolint_code_gives_it_to_every_finding():
    from dlint.context import Context
    from dlint.settings import Settings
    from dlint.syntax import parse
    from dlint.rule import Rule

    doc = parse("FROM scratch\n")
    ctx = Context("Dockerfile", doc, Settings())
    ctx.rule = Rule(code="X001", name="x", severity="info", summary="x", hadolint=("DL3000",))
    assert ctx.at_instruction(doc.instructions[0], "m").hadolint == "DL3000"
    ctx.rule = Rule(code="X002", name="y", severity="info", summary="y", hadolint=("DL3000", "DL3001"))
    assert ctx.at_instruction(doc.instructions[0], "m").hadolint is None
    assert ctx.at_instruction(doc.instructions[0], "m", hadolint="DL3001").hadolint == "DL3001"
    with pytest.raises(ValueError):
        ctx.at_instruction(doc.instructions[0], "m", hadolint="DL3999")
