"""hadolint's config file (.hadolint.yaml) read as the ``[tool.dlint]`` table that means the same.

The keys and what they mean are hadolint's (2.x): ``ignored``, ``override`` (``error``/``warning``/``info``/
``style``: rules whose severity changes), ``failure-threshold``, ``trustedRegistries``, ``label-schema``,
``strict-labels``, ``disable-ignore-pragma``; ``no-color``, ``no-fail``, ``verbose`` and ``format`` are about
hadolint's own output and exit code: they are checked, and dlint's command line decides those. Any other key,
or a value of the wrong type, is an error (hadolint passes over a key it does not know, so a misspelt one
silently does nothing there).

A hadolint code is kept as it is in the table (``ignore = ["DL3042"]``): dlint resolves it to the rules that
report it, or to only the findings with that code when the rule reports several. A code no dlint rule reports
is left out and named in ``notes``.

YAML is read with PyYAML, imported here only: a run that reads no hadolint file does not load it.
"""
from __future__ import annotations

from ._dataclass import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List

SEVERITY_KEYS = ("error", "warning", "info", "style")
# hadolint's failure thresholds; ``ignore`` and ``none`` fail on any finding, as ``style`` does.
THRESHOLDS = {"error": "error", "warning": "warning", "info": "info", "style": "style", "ignore": "style",
              "none": "style"}
# hadolint's threshold when its config names none: a finding of severity style alone does not fail.
DEFAULT_THRESHOLD = "info"
FORMATS = ("tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube", "sarif")
# Keys about hadolint's own output and exit code: accepted and checked, not used.
OUTPUT_KEYS = {"no-color": bool, "no-fail": bool, "verbose": bool, "format": str}
KEYS = ("ignored", "override", "failure-threshold", "trustedRegistries", "label-schema", "strict-labels",
        "disable-ignore-pragma") + tuple(OUTPUT_KEYS)
# Spellings hadolint does not read, with the key meant.
_NEAR = {"trusted-registries": "trustedRegistries", "trusted_registries": "trustedRegistries",
         "trustedregistries": "trustedRegistries", "ignore": "ignored", "overrides": "override",
         "labelSchema": "label-schema", "strictLabels": "strict-labels", "failureThreshold": "failure-threshold",
         "output-format": "format"}


@dataclass
class HadolintTable:
    table: Dict[str, object] = field(default_factory=dict)  # the ``[tool.dlint]`` keys
    # Lines for the reader of the printed table: what was left out and why (key order).
    notes: List[str] = field(default_factory=list)
    # hadolint code -> the dlint rules that report it (for comments in the printed table)
    rules: Dict[str, List[str]] = field(default_factory=dict)


# The types a ``label-schema`` entry may name (hadolint's).
LABEL_TYPES = ("text", "url", "hash", "rfc3339", "semver", "spdx", "email")


class HadolintConfigError(ValueError):
    """A hadolint config dlint cannot read as hadolint would (one line naming the file)."""


def _error(path: str, message: str):
    return HadolintConfigError(f"{path}: {message}")


def _yaml_type(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def _load(path: str):
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise _error(path, f"cannot read config: {exc.strerror or exc}") from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(data, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _error(path, f"not valid YAML{where}: {problem}") from None


def _codes(path: str, key: str, value) -> List[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(path, f"`{key}` must be a list of rule codes (e.g. [DL3008, SC2086]), not {_yaml_type(value)}")
    return [v.strip() for v in value]


def read_table(path: str) -> HadolintTable:
    """The ``[tool.dlint]`` table that means what the hadolint config at ``path`` means."""
    from . import rules

    data = _load(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise _error(path, f"a hadolint config is a mapping of keys (ignored:, override:, ...), not {_yaml_type(data)}")
    out = HadolintTable()
    for key in data:
        if key not in KEYS:
            near = _NEAR.get(key) if isinstance(key, str) else None
            hint = f" (hadolint's key is `{near}`)" if near else f" (known: {', '.join(sorted(KEYS))})"
            raise _error(path, f"unknown hadolint config key {key!r}{hint}")

    def resolve(code: str) -> List[str]:
        try:
            found = rules.expand([code], partial=True)
        except rules.UnknownRule:
            found = []
        # a hadolint file names hadolint's codes: dlint's own (L001) mean nothing there; a ShellCheck code
        # may be the code of a dlint rule itself
        if not rules.hadolint_rules(code) and not (code.upper().startswith("SC") and code.upper() in rules.BY_CODE):
            found = []
        if found:
            out.rules[code.upper()] = [r.code for r in rules.hadolint_rules(code)] or [code.upper()]
        return found

    unmapped: List[str] = []
    if "ignored" in data:
        kept = []
        for code in _codes(path, "ignored", data["ignored"]):
            if resolve(code):
                kept.append(code.upper())
            else:
                unmapped.append(code)
        if kept:
            out.table["ignore"] = kept
    if "override" in data:
        override = data["override"]
        if not isinstance(override, dict):
            raise _error(path, f"`override` must be a mapping of error/warning/info/style to lists of rule codes, "
                               f"not {_yaml_type(override)}")
        severity: Dict[str, str] = {}
        for level, codes in override.items():
            if level not in SEVERITY_KEYS:
                raise _error(path, f"unknown key {level!r} under `override` (known: {', '.join(SEVERITY_KEYS)})")
            if codes is None:
                continue
            for code in _codes(path, f"override.{level}", codes):
                if resolve(code):
                    severity[code.upper()] = level
                else:
                    unmapped.append(code)
        if severity:
            out.table["severity"] = severity
    threshold = data.get("failure-threshold", DEFAULT_THRESHOLD)
    if not isinstance(threshold, str) or threshold not in THRESHOLDS:
        raise _error(path, f"`failure-threshold` must be one of {', '.join(THRESHOLDS)}, not {threshold!r}")
    out.table["failure-threshold"] = THRESHOLDS[threshold]
    if "failure-threshold" not in data:
        out.notes.append("failure-threshold: hadolint's default (info) when its config names none")
    if "trustedRegistries" in data:
        registries = data["trustedRegistries"]
        if not isinstance(registries, list) or not all(isinstance(r, str) for r in registries):
            raise _error(path, f"`trustedRegistries` must be a list of registries (e.g. [docker.io]), not "
                               f"{_yaml_type(registries)}")
        out.table["trusted-registries"] = list(registries)
    if "label-schema" in data:
        schema = data["label-schema"]
        if schema is None:
            schema = {}
        if not isinstance(schema, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in schema.items()):
            raise _error(path, f"`label-schema` must be a mapping of label names to types, not {_yaml_type(schema)}")
        for label, kind in schema.items():
            if kind not in LABEL_TYPES:
                raise _error(path, f"`label-schema.{label}` must be one of {', '.join(LABEL_TYPES)}, not {kind!r}")
        out.table["label-schema"] = dict(schema)
    for key, option in (("strict-labels", "strict-labels"), ("disable-ignore-pragma", "disable-ignore-pragma")):
        if key in data:
            if not isinstance(data[key], bool):
                raise _error(path, f"`{key}` must be true or false, not {_yaml_type(data[key])}")
            out.table[option] = data[key]
    for key, kind in OUTPUT_KEYS.items():
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, kind):
            raise _error(path, f"`{key}` must be {'true or false' if kind is bool else 'a string'}, not "
                               f"{_yaml_type(value)}")
        if key == "format" and value not in FORMATS:
            raise _error(path, f"`format` must be one of {', '.join(FORMATS)}, not {value!r}")
        how = {"no-color": "dlint colours only a terminal, and never with NO_COLOR set",
               "no-fail": "`dlint check --exit-zero` does this", "verbose": "not used",
               "format": "`dlint check --format` chooses the report"}[key]
        out.notes.append(f"{key}: {how}")
    for code in unmapped:
        out.notes.append(f"{code}: no dlint rule reports what hadolint's {code} reports")
    return out


def _toml_string(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)  # a JSON string is a TOML basic string for these characters


def to_toml(found: HadolintTable, source: str) -> str:
    """``found`` as a ``[tool.dlint]`` table for pyproject.toml, with comments saying where each key came from."""
    t = found.table
    lines = [f"# dlint settings equivalent to {source}", "[tool.dlint]"]

    def comment(code: str) -> str:
        mapped = found.rules.get(code, [])
        return f"  # {', '.join(mapped)}" if mapped else ""

    if "ignore" in t:
        lines.append("ignore = [")
        lines.extend(f"    {_toml_string(c)},{comment(c)}" for c in t["ignore"])
        lines.append("]")
    for key in ("failure-threshold", "strict-labels", "disable-ignore-pragma"):
        if key in t:
            value = t[key]
            lines.append(f"{key} = {('true' if value else 'false') if isinstance(value, bool) else _toml_string(value)}")
    if "trusted-registries" in t:
        lines.append(f"trusted-registries = [{', '.join(_toml_string(r) for r in t['trusted-registries'])}]")
    for key in ("severity", "label-schema"):
        if key in t:
            lines.append("")
            lines.append(f"[tool.dlint.{key}]")
            for name, value in t[key].items():
                lines.append(f"{_toml_string(name)} = {_toml_string(value)}{comment(name) if key == 'severity' else ''}")
    if found.notes:
        lines.append("")
        lines.extend(f"# {note}" for note in found.notes)
    return "\n".join(lines) + "\n"
