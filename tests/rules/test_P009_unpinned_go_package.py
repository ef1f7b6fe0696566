"""P009 unpinned-go-package: go install, go get, go run."""
import pytest

from dlint.rules import BY_CODE
from dlint.testing import findings, fixed


def lines(text):
    return [d.line for d in findings(text, "P009")]


def test_p009_reports_remote_packages_without_a_version_or_at_a_moving_one():
    text = ("FROM golang:1.23\n"
            "RUN go install golang.org/x/tools/gopls@latest\n"
            "RUN go get -d -v github.com/org/tool\n"
            "RUN go install -ldflags '-s -w' github.com/org/a@master github.com/org/b@v1.2.3\n"
            "RUN go run github.com/org/gen arg1 arg2\n")
    ds = findings(text, "P009")
    assert [d.line for d in ds] == [2, 3, 4, 5]
    assert "`github.com/org/a@master`" in ds[2].message and "org/b" not in ds[2].message
    assert "arg1" not in ds[3].message


@pytest.mark.parametrize("run", [
    "go install github.com/org/tool@v1.2.3", "go install github.com/org/tool@3f2a9c1", "go install ./...",
    "go install .", "go install -v ./cmd/app", "go run main.go", "go run -mod=vendor build.go -v", "go install std",
    "go install cmd/vet", "go build -o /app ./cmd/app", "go mod download", "go install $TOOL",
    "go run ./cmd/gen github.com/not/a/package",
])
def test_p009_pinned_local_or_not_an_install_is_not_reported(run):
    assert lines(f"FROM golang:1.23\nARG TOOL\nRUN {run}\n") == []


def test_p009_heredoc_onbuild_exec_form_no_fix():
    assert BY_CODE["P009"].default_enabled is False and BY_CODE["P009"].hadolint == ("DL3062",)
    text = ("FROM golang:1.23\nRUN <<EOF\ngo install github.com/a/b@latest\nEOF\n"
            "ONBUILD RUN go get github.com/c/d\n"
            "RUN [\"go\", \"install\", \"github.com/e/f@latest\"]\n")
    assert lines(text) == [2, 5, 6]
    assert fixed(text, "P009", unsafe=True) == text


@pytest.mark.parametrize("before", [
    "COPY go.mod go.sum ./\n", "COPY . .\n", "COPY ./ /src/\n", "RUN go mod init example.com/app\n",
])
def test_p009_inside_a_module_go_mod_decides_install_and_run(before):
    text = ("FROM golang:1.23\nWORKDIR /src\n" + before +
            "RUN go install github.com/org/tool\n"
            "RUN go run github.com/org/gen\n"
            "RUN go install github.com/org/other@latest\n"
            "RUN go get github.com/org/dep\n")
    assert lines(text) == [6, 7]


def test_p009_module_from_a_parent_stage_or_a_mount():
    text = ("FROM golang:1.23 AS base\nCOPY go.mod ./\n"
            "FROM base AS tools\nRUN go install github.com/org/tool\n"
            "FROM golang:1.23\n"
            "RUN --mount=type=bind,source=go.mod,target=/app/go.mod go install github.com/org/tool\n"
            "RUN --mount=type=bind,target=. go install github.com/org/tool\n"
            "RUN --mount=type=cache,target=/root/.cache go install github.com/org/tool\n"
            "COPY --from=base /go/go.mod ./\n"
            "RUN go install github.com/org/tool\n")
    assert lines(text) == [8, 10]
