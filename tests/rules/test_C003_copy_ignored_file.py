"""C003: a COPY source that the .dockerignore excludes."""
from dlint.inputs import read_context
from dlint.settings import Settings
from dlint.checking import check_source


def found(tmp_path, ignore, text, name="Dockerfile", extra=None):
    files = {"a.txt": "", "dir/b.txt": "", "dir/keep.txt": ""}
    files.update(extra or {})
    if ignore is not None:
        files[".dockerignore"] = ignore
    elif (tmp_path / ".dockerignore").exists():
        (tmp_path / ".dockerignore").unlink()
    for n, t in files.items():
        p = tmp_path / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(t)
    ctx = read_context(str(tmp_path), str(tmp_path / name))
    return check_source(name, text.encode(), Settings(enabled={"C003"}, context=ctx)).diagnostics


def test_excluded_sources_are_reported(tmp_path):
    [d] = found(tmp_path, "dir\n", "FROM x\nCOPY a.txt dir/b.txt /t/\n")
    assert "dir/b.txt" in d.message
    assert found(tmp_path, "**/*.txt\n", "FROM x\nCOPY ./a.txt /t/\n")


def test_exceptions_and_other_sources_are_not(tmp_path):
    assert not found(tmp_path, "dir\n!dir/keep.txt\n", "FROM x\nCOPY dir/keep.txt /t/\n")
    assert not found(tmp_path, "dir\n", "FROM x\nCOPY --from=build dir/b.txt /t/\nCOPY dir/*.txt /t/\n")
    assert not found(tmp_path, None, "FROM x\nCOPY dir/b.txt /t/\n")


def test_a_directory_an_allow_list_lets_files_of_in_is_not_reported(tmp_path):
    # "everything out, then these in": the build has dir/ with dir/keep.txt, and COPY dir/ copies it
    assert not found(tmp_path, "**\n!dir/keep.txt\n", "FROM x\nCOPY dir/ /t/\n")
    assert found(tmp_path, "**\n!dir/keep.txt\n", "FROM x\nCOPY a.txt /t/\n")


def test_dockerfile_specific_ignore_file_wins(tmp_path):
    extra = {"app.Dockerfile.dockerignore": "a.txt\n"}
    assert found(tmp_path, "dir\n", "FROM x\nCOPY a.txt /t/\n", name="app.Dockerfile", extra=extra)
    assert not found(tmp_path, "dir\n", "FROM x\nCOPY dir/b.txt /t/\n", name="app.Dockerfile", extra=extra)


def test_without_a_context_it_is_silent():
    assert not check_source("-", b"FROM x\nCOPY a /t/\n", Settings(enabled={"C003"})).diagnostics
