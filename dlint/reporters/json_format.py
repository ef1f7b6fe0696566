import json


def render(results) -> str:
    return json.dumps([d.to_json() for r in results for d in r.diagnostics], indent=2) + "\n"
