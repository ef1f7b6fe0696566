"""Checkstyle XML, read by Jenkins (warnings-ng), reviewdog, SonarQube and many CI dashboards."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from ..diagnostics import FileResult
from ._common import clean_xml, report_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

# Checkstyle's severities are ignore, info, warning and error.
SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def render(results: List[FileResult]) -> str:
    root = ET.Element("checkstyle", version="4.3")
    for r in results:
        f = ET.SubElement(root, "file", name=clean_xml(report_path(r.path)))
        for p in r.problems:
            ET.SubElement(f, "error", line=str(p.line or 1), severity="error", message=clean_xml(p.message),
                          source="dlint.input")
        for d in r.diagnostics:
            ET.SubElement(f, "error", line=str(d.line), column=str(d.column),
                          severity=SEVERITIES.get(d.severity, "warning"),
                          message=clean_xml(f"{d.rendered_message} ({d.name})"), source=f"dlint.{d.code}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
