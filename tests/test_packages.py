"""Classification of package-manager calls in RUN bodies."""
import pytest

from dlint.packages import catalogue, classify, package_calls
from dlint.shell import script_of
from dlint.syntax import parse


def calls(run_line):
    doc = parse("FROM a\n" + run_line + "\n")
    return package_calls(script_of(doc.instructions[-1]))


def one(run_line):
    found = calls(run_line)
    assert len(found) == 1, [(c.tool, c.subcommand) for c in found]
    return found[0]


def summary(call):
    return call.manager, call.tool, call.subcommand, call.kind, call.packages


# Every tool and every subcommand kind the data file knows, so that a new entry gets classified too.
_CASES = [(m.name, tool, kind, sub) for m in catalogue().values() for tool in m.tools
          for kind in ("install", "update", "upgrade", "remove", "clean") for sub in getattr(m, kind)]


@pytest.mark.parametrize("manager, tool, kind, sub", _CASES, ids=[f"{t}-{s}" for _, t, _, s in _CASES])
def test_every_tool_and_subcommand_in_the_data_file(manager, tool, kind, sub):
    if manager == "uv":
        tool = "uv pip" if sub in ("install", "uninstall") else "uv"
    call = one(f"RUN {tool} {sub} pkg-one")
    assert (call.manager, call.tool, call.subcommand, call.kind) == (manager, tool, sub, kind)
    assert call.packages == ["pkg-one"]


def test_data_file_is_dated_and_complete():
    import json
    from importlib import resources

    raw = json.loads(resources.files("dlint").joinpath("data/package_managers.json").read_text("utf-8"))
    assert raw["checked"] and set(raw["managers"]) >= {"apt", "apk", "dnf", "zypper", "pip", "uv", "npm", "yarn",
                                                       "pnpm", "gem", "conda", "go", "cargo"}
    tools = {t for m in catalogue().values() for t in m.tools}
    assert tools >= {"apt-get", "apt", "aptitude", "apk", "dnf", "yum", "microdnf", "zypper", "pip", "pip3",
                     "npm", "yarn", "pnpm", "gem", "conda", "mamba", "go", "cargo"}


def test_apt_options_before_and_after_the_subcommand():
    call = one("RUN apt-get -y -o Dpkg::Options::=--force-confold install --no-install-recommends curl=7.88 git")
    assert summary(call) == ("apt", "apt-get", "install", "install", ["curl=7.88", "git"])
    assert call.options == ["-y", "-o", "Dpkg::Options::=--force-confold", "--no-install-recommends"]
    assert call.has_option("--no-install-recommends") and call.has_option("-y")
    assert not call.has_option("--quiet")


def test_apt_family():
    found = calls("RUN apt update && apt full-upgrade -y && aptitude install -y vim && apt-get purge -y x "
                  "&& apt-get clean")
    assert [(c.tool, c.kind) for c in found] == [("apt", "update"), ("apt", "upgrade"), ("aptitude", "install"),
                                                ("apt-get", "remove"), ("apt-get", "clean")]


def test_apk():
    found = calls("RUN apk --no-cache add --virtual .build-deps gcc musl-dev && apk del .build-deps")
    assert summary(found[0]) == ("apk", "apk", "add", "install", ["gcc", "musl-dev"])
    assert found[0].options == ["--no-cache", "--virtual", ".build-deps"]
    assert summary(found[1]) == ("apk", "apk", "del", "remove", [".build-deps"])


def test_dnf_yum_microdnf():
    found = calls("RUN dnf -y install --setopt=tsflags=nodocs httpd && yum makecache && yum update -y && "
                  "microdnf install -y jq && microdnf clean all")
    assert [(c.tool, c.subcommand, c.kind) for c in found] == [
        ("dnf", "install", "install"), ("yum", "makecache", "update"), ("yum", "update", "upgrade"),
        ("microdnf", "install", "install"), ("microdnf", "clean", "clean")]
    assert {c.manager for c in found} == {"dnf"}
    assert found[0].packages == ["httpd"] and found[-1].packages == ["all"]


def test_zypper():
    found = calls("RUN zypper --non-interactive ref && zypper in -y curl && zypper cc -a")
    assert [(c.subcommand, c.kind) for c in found] == [("ref", "update"), ("in", "install"), ("cc", "clean")]
    assert found[1].packages == ["curl"] and found[0].options == ["--non-interactive"]


def test_pip_spellings():
    found = calls("RUN pip install --no-cache-dir -r requirements.txt flask==2.0 && pip3 install -U pip && "
                  "python -m pip install x && python3.11 -m pip install y && /usr/local/bin/pip install z && "
                  "pip --no-cache-dir install w && uv pip install --system v && pip uninstall -y six")
    assert [(c.manager, c.tool, c.packages) for c in found] == [
        ("pip", "pip", ["flask==2.0"]), ("pip", "pip3", ["pip"]), ("pip", "python -m pip", ["x"]),
        ("pip", "python3.11 -m pip", ["y"]), ("pip", "/usr/local/bin/pip", ["z"]), ("pip", "pip", ["w"]),
        ("uv", "uv pip", ["v"]), ("pip", "pip", ["six"])]
    assert found[0].options == ["--no-cache-dir", "-r", "requirements.txt"]
    assert found[5].has_option("--no-cache-dir")
    assert found[-1].kind == "remove"
    assert calls("RUN python -m venv /v && python script.py && python -m pytest") == []


def test_node_managers_and_global_installs():
    found = calls("RUN npm install -g yarn && npm ci && npm i --location=global npm@10 && yarn global add serve "
                  "&& yarn install --frozen-lockfile && yarn && pnpm add -g pnpm && pnpm install && npm run build")
    assert [(c.manager, c.subcommand, c.kind, c.packages, c.global_install) for c in found] == [
        ("npm", "install", "install", ["yarn"], True),
        ("npm", "ci", "install", [], False),
        ("npm", "i", "install", ["npm@10"], True),
        ("yarn", "add", "install", ["serve"], True),
        ("yarn", "install", "install", [], False),
        ("yarn", "install", "install", [], False),  # a bare ``yarn`` installs
        ("pnpm", "add", "install", ["pnpm"], True),
        ("pnpm", "install", "install", [], False),
        ("npm", "run", "other", ["build"], False),
    ]


def test_gem_conda_go_cargo():
    found = calls("RUN gem install bundler -v 2.4 --no-document && conda install -y -c conda-forge numpy && "
                  "mamba create -n env python=3.11 && go install golang.org/x/tools/gopls@latest && "
                  "cargo install ripgrep --locked")
    assert [summary(c) for c in found] == [
        ("gem", "gem", "install", "install", ["bundler"]),
        ("conda", "conda", "install", "install", ["numpy"]),
        ("conda", "mamba", "create", "install", ["python=3.11"]),
        ("go", "go", "install", "install", ["golang.org/x/tools/gopls@latest"]),
        ("cargo", "cargo", "install", "install", ["ripgrep"]),
    ]
    assert found[0].options == ["-v", "2.4", "--no-document"]


def test_go_and_cargo_commands_that_are_not_package_calls():
    assert calls("RUN go version && go test ./... && cargo fmt && cargo test") == []
    assert [c.subcommand for c in calls("RUN go build ./... && cargo build --release")] == ["build", "build"]


@pytest.mark.parametrize("line, packages", [
    ("RUN sudo apt-get install -y a", ["a"]),
    ("RUN sudo -u root -E apt-get install -y a", ["a"]),
    ("RUN env DEBIAN_FRONTEND=noninteractive apt-get install -y a", ["a"]),
    ("RUN env -i PATH=/bin apt-get install -y a", ["a"]),
    ("RUN DEBIAN_FRONTEND=noninteractive apt-get install -y a", ["a"]),
    ("RUN timeout 600 apt-get install -y a", ["a"]),
    ("RUN nice -n 5 apt-get install -y a", ["a"]),
    ("RUN gosu app apt-get install -y a", ["a"]),
    ("RUN command apt-get install -y a", ["a"]),
    ("RUN eatmydata apt-get install -y a", ["a"]),
])
def test_wrappers(line, packages):
    call = one(line)
    assert (call.manager, call.subcommand, call.packages) == ("apt", "install", packages)


def test_looking_a_tool_up_is_not_calling_it():
    assert calls("RUN command -v apt-get && command -V pip") == []
    found = calls("RUN if command -v apt-get >/dev/null; then apt-get install -y x; fi")
    assert [(c.subcommand, c.packages) for c in found] == [("install", ["x"])]


def test_dynamic_words():
    call = one('RUN apt-get install -y $(cat pkgs.txt) "$EXTRA" vim')
    assert call.packages == ["vim"]  # only literal names are packages
    assert calls("RUN $PM install x") == []  # the tool itself is not known


def test_heredoc_and_exec_form_runs():
    found = calls("RUN <<EOF\nset -e\napt-get update\napk add --no-cache f\nEOF")
    assert [(c.manager, c.kind) for c in found] == [("apt", "update"), ("apk", "install")]
    found = calls("RUN <<EOT bash\napt-get install -y vim\nEOT")
    assert [(c.manager, c.packages) for c in found] == [("apt", ["vim"])]
    found = calls('RUN ["apt-get", "install", "-y", "e"]')
    assert [summary(c) for c in found] == [("apt", "apt-get", "install", "install", ["e"])]
    found = calls('RUN ["/bin/sh", "-c", "pip install --no-cache-dir x && npm ci"]')
    assert [(c.manager, c.subcommand) for c in found] == [("pip", "install"), ("npm", "ci")]
    found = calls("ONBUILD RUN pip install -r /app/requirements.txt")
    assert [(c.manager, c.options) for c in found] == [("pip", ["-r", "/app/requirements.txt"])]


def test_classify_keeps_the_command():
    doc = parse("FROM a\nRUN echo hi && apt-get install -y x\n")
    script = script_of(doc.instructions[1])
    assert classify(script.commands[0]) is None
    call = classify(script.commands[1])
    assert call.command is script.commands[1]
    assert package_calls(None) == []
