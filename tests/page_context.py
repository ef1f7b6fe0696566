"""The build context a rule page shows next to a Dockerfile (``context`` and ``dockerignore`` blocks), and
writing it into a directory, for the tests that run the pages' examples."""
import re


def context_block(body: str) -> dict:
    """The build context a page's section shows next to its Dockerfile: a ```context block of paths (one a
    line; JSON files hold ``{}``), a ```dockerignore block for the .dockerignore, and a ```toml block for the
    .dlint.toml that sets the rule's options (``label-schema = {...}``)."""
    files = {}
    for block in re.findall(r"^```context\n(.*?)^```\s*$", body, flags=re.S | re.M):
        for name in block.split():
            files[name] = "{}\n" if name.endswith(".json") else ""
    for block in re.findall(r"^```dockerignore\n(.*?)^```\s*$", body, flags=re.S | re.M):
        files[".dockerignore"] = block
    for block in re.findall(r"^```toml\n(.*?)^```\s*$", body, flags=re.S | re.M):
        files[".dlint.toml"] = block
    return files


def make_context(tmp_path, files: dict) -> None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
