"""The build context model: where the context is, which ignore file applies, what is read."""
import os

import pytest

from dlint.inputs import list_context, read_context
from dlint.commands import Invocation, UsageProblem


def make(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(**kw):
    return Invocation(None, (), (), (), (), None, None, kw.get("context"))


def test_the_context_is_the_dockerfiles_directory(tmp_path):
    make(tmp_path, {"Dockerfile": "FROM x\n", "package.json": "{}", "src/a.js": "", ".dockerignore": "src\n"})
    ctx = run().context_for(str(tmp_path / "Dockerfile"))
    assert ctx.has("src/a.js") and ctx.is_dir("src") and not ctx.is_dir("package.json")
    assert ctx.excluded("src/a.js") and not ctx.excluded("package.json")
    assert ctx.manifests == {"package.json": "{}"}


def test_context_option_and_config_key(tmp_path):
    make(tmp_path, {"docker/Dockerfile": "FROM x\n", "go.mod": "module m\n", ".dlint.toml": 'context = "."\n'})
    dockerfile = str(tmp_path / "docker" / "Dockerfile")
    assert run(context=str(tmp_path)).context_for(dockerfile).has("go.mod")
    assert not run(context=str(tmp_path / "docker")).context_for(dockerfile).has("go.mod")
    assert run().context_for(dockerfile).has("go.mod")  # from the config file found above the Dockerfile
    with pytest.raises(UsageProblem):
        run(context=str(tmp_path / "missing"))


def test_dockerfile_specific_ignore_file_takes_precedence(tmp_path):
    make(tmp_path, {"build/app.Dockerfile": "FROM x\n", "build/app.Dockerfile.dockerignore": "a\n",
                    ".dockerignore": "b\n", "a": "", "b": ""})
    ctx = read_context(str(tmp_path), str(tmp_path / "build" / "app.Dockerfile"))
    assert ctx.excluded("a") and not ctx.excluded("b")
    assert ctx.ignore_path == str(tmp_path / "build" / "app.Dockerfile.dockerignore")
    other = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert other.excluded("b") and not other.excluded("a")


def test_a_refused_ignore_file_is_an_error_not_a_matcher(tmp_path):
    make(tmp_path, {".dockerignore": "!\n"})
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert ctx.matcher is None and "exclusion" in ctx.ignore_error


def test_large_folders_are_named_not_entered_and_links_not_followed(tmp_path):
    make(tmp_path, {"node_modules/x/package.json": "{}", "real/f": ""})
    os.symlink(str(tmp_path / "real"), str(tmp_path / "link"))
    ctx = list_context(str(tmp_path))
    assert ctx.is_dir("node_modules") and not ctx.has("node_modules/x")
    assert ctx.has("link") and not ctx.is_dir("link") and not ctx.has("link/f")


def test_no_context_for_stdin_or_an_unlistable_directory(tmp_path):
    assert list_context(str(tmp_path / "missing")) is None


def test_only_manifests_and_the_ignore_file_are_opened(tmp_path, monkeypatch):
    make(tmp_path, {"Dockerfile": "FROM x\n", "requirements.txt": "flask\n", "secret.pem": "KEY",
                    "sub/pyproject.toml": "[project]\n", ".dockerignore": "*.pem\n"})
    opened = []
    real = os.open

    def spy(path, *a, **k):
        opened.append(os.path.basename(path))
        return real(path, *a, **k)

    monkeypatch.setattr(os, "open", spy)
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert sorted(opened) == [".dockerignore", "pyproject.toml", "requirements.txt"]
    assert ctx.has("secret.pem") and ctx.excluded("secret.pem")


# The same model gives the byte estimates their sizes and counts (plain data, read once by the command layer).

def test_sizes_follow_what_the_build_sends(tmp_path):
    make(tmp_path, {"app/a.py": "x" * 100, "app/b.py": "y" * 50, "app/secret.pem": "k" * 1000,
                    ".dockerignore": "**/*.pem\n", "node_modules/m/index.js": "z"})
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert ctx.stat("app") == (150, 2, 1) and ctx.stat("./app/") == (150, 2, 1)
    assert ctx.stat("app/a.py") == (100, 1, 0)
    assert ctx.stat("app/secret.pem") is None  # excluded: the build does not have it
    assert ctx.stat("missing") is None and ctx.stat("app/*.py") is None and ctx.stat("../x") is None
    # node_modules is named but not entered: a tree that holds it has no known size...
    assert ctx.stat(".") is None
    # ...unless the ignore file leaves it out
    make(tmp_path, {".dockerignore": "**/*.pem\nnode_modules\n"})
    ctx = read_context(str(tmp_path), str(tmp_path / "Dockerfile"))
    assert ctx.stat(".") == (150 + len("**/*.pem\nnode_modules\n"), 3, 2)


def test_requirement_and_lock_files_are_counted(tmp_path):
    make(tmp_path, {"requirements/prod.txt": "flask\n# web\nrequests==2.0\n-r base.txt\n",
                    "package-lock.json": '{"packages": {"": {}, "node_modules/a": {}, "node_modules/b": {}}}',
                    "notes.md": "flask\n"})
    ctx = list_context(str(tmp_path))
    assert ctx.count("requirements/prod.txt", "requirements") == 2
    assert ctx.count("./package-lock.json", "npm-lock") == 2
    assert ctx.count("notes.md", "requirements") is None
    assert ctx.count("requirements/prod.txt", "npm-lock") is None


def _json_check(*args):
    from click.testing import CliRunner

    from dlint.cli import main

    r = CliRunner().invoke(main, ["check", "--format", "json", "--extend-select", "L008", *args])
    return r


def test_context_option_gives_the_estimates_their_sizes(tmp_path, monkeypatch):
    import json

    text = "FROM debian:12\nCOPY run.sh /usr/local/bin/run.sh\nRUN chmod 755 /usr/local/bin/run.sh\n"
    make(tmp_path, {"docker/Dockerfile": text, "run.sh": "#!/bin/sh\n"})
    monkeypatch.chdir(tmp_path)

    def l006(*args):
        r = _json_check(*args, "docker/Dockerfile")
        assert r.exit_code == 1, r.output
        [d] = [d for d in json.loads(r.stdout) if d["code"] == "L006"]
        return d

    assert l006()["estimated_bytes"] is None  # the Dockerfile's directory holds no run.sh
    assert l006("--context", ".")["estimated_bytes"] == 4 * 512 + 512 + 1024  # 4 headers, a block, the end
    make(tmp_path, {".dlint.toml": 'context = "."\n'})
    assert l006()["estimated_bytes"] == 4 * 512 + 512 + 1024


def test_context_option_must_name_a_directory(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from dlint.cli import main

    make(tmp_path, {"Dockerfile": "FROM debian:12\n", "file": ""})
    monkeypatch.chdir(tmp_path)
    for command in ("check", "fix"):
        r = CliRunner().invoke(main, [command, "--context", "missing", "Dockerfile"])
        assert r.exit_code == 2 and "--context missing: not a directory" in r.output, (command, r.output)
    assert _json_check("--context", "file", "Dockerfile").exit_code == 2
