"""JUnit XML: one test suite per file, one failing test case per finding, a passing one for a clean file."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..diagnostics import FileResult
from ._common import clean_xml, report_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List


def render(results: List[FileResult]) -> str:
    root = ET.Element("testsuites", name="dlint")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in results:
        path = clean_xml(report_path(r.path))
        suite = ET.SubElement(root, "testsuite", name=path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        for p in r.problems:
            case = ET.SubElement(suite, "testcase", name="input", classname=path, file=path, line=str(p.line or 1))
            error = ET.SubElement(case, "error", message=clean_xml(p.message), type="input")
            error.text = clean_xml(p.render())
            counts["tests"] += 1
            counts["errors"] += 1
        for d in r.diagnostics:
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} (line {d.line})", classname=path,
                                 file=path, line=str(d.line))
            failure = ET.SubElement(case, "failure", message=clean_xml(d.rendered_message), type=d.code)
            failure.text = clean_xml(f"{path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.rendered_message}")
            counts["tests"] += 1
            counts["failures"] += 1
        if not counts["tests"]:
            ET.SubElement(suite, "testcase", name="dlint", classname=path, file=path)
            counts["tests"] = 1
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
