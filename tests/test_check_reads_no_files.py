"""Checking a file touches no file system: the command layer reads the input, its build context and where the
file sits in its repository first (``dlint.inputs``), and the check works on that plain data alone."""
import builtins
import os

from dlint import rules
from dlint.checking import check_source
from dlint.config import Config
from dlint.inputs import project_path, read_context
from dlint.settings import settings_for

TEXT = """\
FROM python:3.12 AS build
RUN apt-get update
RUN apt-get install -y gcc libpq-dev && pip install psycopg2
COPY requirements.txt /app/
COPY . /app
RUN chmod +x /app/run.sh
FROM python:3.12
COPY --from=build /app /app
RUN apt-get update && apt-get install -y curl
CMD ["gunicorn", "app:app"]
"""

# What reads a file or a directory, or asks where the process runs.
WATCHED = [(os, "stat"), (os, "lstat"), (os, "listdir"), (os, "scandir"), (os, "open"), (os, "getcwd"),
           (os.path, "exists"), (os.path, "lexists"), (os.path, "isdir"), (os.path, "isfile"), (os.path, "islink"),
           (builtins, "open")]


def _settings(path, context):
    settings = settings_for(path, Config(), select=[r.code for r in rules.ALL_RULES], project_path=project_path(path))
    settings.context = context
    return settings


def _project(root):
    """A project of its own with a build context: its Dockerfile's path and the settings the command layer
    reads for it."""
    root.mkdir(parents=True)
    (root / "requirements.txt").write_text("flask\ngunicorn\n")
    (root / "run.sh").write_text("#!/bin/sh\n")
    (root / "Dockerfile").write_text(TEXT)
    path = str(root / "Dockerfile")
    return path, _settings(path, read_context(str(root), path))


def test_checking_reads_nothing_from_disk(tmp_path, monkeypatch):
    # Modules and data files load on first use: checking a first project loads them.
    path, settings = _project(tmp_path / "first" / "deploy")
    check_source(path, TEXT.encode(), settings)

    path, settings = _project(tmp_path / "service" / "deploy")
    touched = []
    for owner, name in WATCHED:
        real = getattr(owner, name)

        def spy(*args, _name=name, _real=real, **kwargs):
            touched.append((_name, args))
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    result = check_source(path, TEXT.encode(), settings)
    monkeypatch.undo()

    assert not result.problems, result.problems
    assert {d.code for d in result.diagnostics} >= {"L001", "B001"}, [d.code for d in result.diagnostics]
    assert touched == []
