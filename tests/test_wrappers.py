"""Commands behind wrappers (sudo, env, xargs, pyenv exec...) and inside ``sh -c '...'``: every rule sees
the command that runs, at its place in the file."""
import pytest

from dlint.settings import Settings
from dlint.fixer import fix_text
from dlint.packages import package_calls
from dlint.checking import check_source
from dlint.shell import command_words, script_of, unwrapped_index
from dlint.syntax import parse


def script(run_line):
    doc = parse("FROM a\n" + run_line + "\n")
    return script_of(doc.instructions[-1])


def calls(run_line):
    return [(c.manager, c.subcommand, c.packages) for c in package_calls(script(run_line))]


@pytest.mark.parametrize("run,expected", [
    ("RUN sudo apt-get install -y curl", [("apt", "install", ["curl"])]),
    ("RUN sudo -E -u root apt-get install -y curl", [("apt", "install", ["curl"])]),
    ("RUN sudo -- apt-get install -y curl", [("apt", "install", ["curl"])]),
    ("RUN env DEBIAN_FRONTEND=noninteractive apt-get install -y curl", [("apt", "install", ["curl"])]),
    ("RUN env -u HOME X=1 pip install flask", [("pip", "install", ["flask"])]),
    ("RUN xargs sudo dnf install -y < packages.txt", [("dnf", "install", [])]),
    ("RUN xargs -r -n 1 apt-get install -y < list", [("apt", "install", [])]),
    ("RUN pyenv exec pip install flask", [("pip", "install", ["flask"])]),
    ("RUN conda run -n base pip install flask", [("pip", "install", ["flask"])]),
    ("RUN poetry run pip install flask", [("pip", "install", ["flask"])]),
    ("RUN timeout 300 apt-get update", [("apt", "update", [])]),
    ("RUN gosu app npm install -g yarn", [("npm", "install", ["yarn"])]),
    ("RUN /usr/bin/sudo apk add curl", [("apk", "add", ["curl"])]),
    # the tools themselves, not wrappers
    ("RUN pyenv install 3.12", []),
    ("RUN conda install -y numpy", [("conda", "install", ["numpy"])]),
    ("RUN poetry install", []),
    # a look-up runs nothing
    ("RUN command -v apt-get", []),
    ("RUN sudo", []),
])
def test_wrappers(run, expected):
    assert calls(run) == expected


@pytest.mark.parametrize("run,expected", [
    ("RUN bash -c 'cd /app && npm install -g yarn'", [("npm", "install", ["yarn"])]),
    ('RUN sh -c "apt-get update && apt-get install -y curl"',
     [("apt", "update", []), ("apt", "install", ["curl"])]),
    ("RUN sudo sh -ec 'pip install flask'", [("pip", "install", ["flask"])]),
    # as another user: its home and caches are elsewhere, a cleanup run as root would miss them
    ("RUN su app -c 'pip install --user flask'", []),
    ("RUN sudo -u app sh -c 'pip install --user flask'", []),
    ("RUN gosu app bash -c 'npm install -g yarn'", []),
    ("RUN /bin/bash -o pipefail -c 'apk add curl'", [("apk", "add", ["curl"])]),
    ('RUN ["/bin/sh", "-c", "bash -c \'apk add curl\'"]', [("apk", "add", ["curl"])]),
    # a script whose text is not its value (escapes, expansions) is left alone
    ('RUN sh -c "echo \\"x\\" && apt-get install -y curl"', []),
    ('RUN sh -c "$CMD && apt-get install -y curl"', []),
    # a script that does not parse
    ("RUN sh -c 'apt-get install ( curl'", []),
])
def test_nested_shell_scripts(run, expected):
    assert calls(run) == expected


def test_nested_commands_sit_at_their_place_in_the_script():
    s = script("RUN sudo bash -c 'cd /srv && (pip install flask)' && echo done")
    texts = [(s.text[c.start:c.end], c.context) for c in s.commands]
    assert texts == [
        ("sudo bash -c 'cd /srv && (pip install flask)'", ("and",)),
        ("cd /srv", ("and", "shell", "and")),
        ("pip install flask", ("and", "shell", "and", "subshell")),
        ("echo done", ("and",)),
    ]
    cd = s.commands[1]
    # a cd inside the nested shell holds until that shell ends
    assert cd.scope_end == s.commands[0].end
    assert [w.value for w in command_words(s.commands[2])] == ["pip", "install", "flask"]
    for c in s.commands:
        for w in c.words:
            assert s.text[w.start:w.end] == w.text


def test_unwrapped_index():
    assert unwrapped_index(["sudo", "-u", "app", "env", "A=1", "nice", "-n", "5", "pip", "install"]) == 8
    assert unwrapped_index(["pip", "install"]) == 0
    assert unwrapped_index(["command", "-v", "pip"]) is None
    assert unwrapped_index(["env"]) is None


def test_rules_see_a_nested_install():
    # L005 inserts the option inside the quoted script, where the command is
    text = "FROM debian:12\nRUN bash -c 'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*'\n"
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L005", "L004"}))
    assert [d.code for d in result.diagnostics] == ["L005"]  # the cleanup in the same shell counts for L004
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled={"L005"}), True)
    assert problem is None
    assert new == ("FROM debian:12\nRUN bash -c 'apt-get update && apt-get install --no-install-recommends -y curl"
                   " && rm -rf /var/lib/apt/lists/*'\n")


def test_l007_sees_a_deletion_behind_a_wrapper():
    text = "FROM debian:12\nCOPY app.deb /tmp/\nRUN sudo dpkg -i /tmp/app.deb && sudo sh -c 'rm -f /tmp/app.deb'\n"
    result = check_source("Dockerfile", text.encode(), Settings(enabled={"L007"}))
    assert [d.line for d in result.diagnostics] == [2]


def test_wrapper_lists_of_start_commands_and_builds_name_known_wrappers():
    # One table of command wrappers (dlint.shell.WRAPPERS); the start-command and build lists add only init
    # and user-switch programs to it.
    from dlint import installed_packages, shell, startup_command

    for name in startup_command.COMMON_WRAPPERS + installed_packages.BUILD_WRAPPERS:
        assert name in shell.WRAPPERS, name
    for name in startup_command.NAMED_COMMAND_WRAPPERS:
        assert name in shell.WRAPPERS or name in startup_command.INIT_WRAPPERS or name == "--", name
    assert startup_command.unwrapped_argv(["tini", "--", "nohup", "app"]) == ["nohup", "app"]
    assert startup_command.unwrapped_argv(["tini", "--", "nohup", "app"],
                                          startup_command.COMMON_WRAPPERS + startup_command.INIT_WRAPPERS) == ["app"]
