"""The build context model: where the context is, which ignore file applies, what is read."""
import os

import pytest

from dlint.build_context import list_context, read_context
from dlint.commands import Run, UsageProblem


def make(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(**kw):
    return Run(None, (), (), (), (), None, None, kw.get("context"))


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
