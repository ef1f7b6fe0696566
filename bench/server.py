"""Language server latency: from a one-character change to the diagnostics for it.

Starts `dlint server` (this checkout) with default settings, opens a file, then makes one-character changes
(a character added at the end of a line in the middle of the file, then removed again) and measures the
time from sending each ``textDocument/didChange`` to receiving the ``textDocument/publishDiagnostics`` for
that version. Changes are spaced by a pause longer than the debounce interval, as when someone stops typing
for a moment; a second measure sends bursts of changes 30 ms apart (typing) and times the diagnostics from
the last change of each burst.

Files: the corpus file of median line count (the typical file of bench/run.py; a built-in 40-line file if
the corpus is absent) and a generated 2,000-line file (bench/run.py's generator).

    python bench/server.py [--changes 100] [--write]

``--write`` puts the results in bench/results.md (its "Language server" section) as well as printing them.
Needs the lsp extra (pygls, lsprotocol).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench"))

from lsprotocol import types as lsp  # noqa: E402
from pygls import uris  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dockerfiles")
RESULTS = os.path.join(ROOT, "bench", "results.md")
SECTION = "## Language server"
PAUSE = 0.25  # seconds between changes: more than the default debounce interval (150 ms)
BURST = 5
BURST_GAP = 0.03

FALLBACK = """\
FROM golang:1.22-alpine AS build
ENV CGO_ENABLED=0 \\
    GOFLAGS=-trimpath
RUN apk add --no-cache git ca-certificates
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /out/app ./cmd/app
RUN go test ./...

FROM alpine:3.19
RUN apk update
RUN apk add --no-cache tzdata
RUN addgroup -S app && adduser -S app -G app
COPY --from=build /out/app /usr/local/bin/app
RUN chmod 0755 /usr/local/bin/app
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/healthz || exit 1
ENV APP_ENV=production \\
    APP_PORT=8080
LABEL org.opencontainers.image.source="https://example.com/app"
# Runtime settings
ENV GODEBUG=madvdontneed=1
WORKDIR /home/app
COPY config/ /etc/app/
RUN mkdir -p /var/lib/app && chown app:app /var/lib/app
VOLUME /var/lib/app
STOPSIGNAL SIGTERM
ARG BUILD_DATE
LABEL org.opencontainers.image.created="${BUILD_DATE}"
RUN echo "build ${BUILD_DATE}" > /etc/app/build
ENV LOG_LEVEL=info
ENV LOG_FORMAT=json
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve"]
"""


def typical_file():
    if os.path.isdir(CORPUS):
        from run import median_file

        files = sorted(os.path.join(CORPUS, f) for f in os.listdir(CORPUS))
        path = median_file(files)
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return os.path.basename(path), fh.read()
    return "built-in example", FALLBACK


def long_file(lines=2000):
    from run import generate

    return "generated (bench/run.py)", generate(lines)


def change_line(text: str) -> int:
    """A line near the middle that a character can be added to and removed from (no continuation)."""
    lines = text.split("\n")
    middle = len(lines) // 2
    for i in list(range(middle, len(lines))) + list(range(middle - 1, -1, -1)):
        if lines[i].strip() and not lines[i].rstrip().endswith("\\") and not lines[i].lstrip().startswith("#"):
            return i
    raise SystemExit("no line to change")


class Bench:
    def __init__(self):
        self.client = LanguageClient("dlint-bench", "1")
        self.arrivals = {}  # version -> time the diagnostics arrived
        self.event = asyncio.Event()

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: lsp.PublishDiagnosticsParams):
            self.arrivals[params.version] = time.perf_counter()
            self.count = len(params.diagnostics)
            self.event.set()

        @self.client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params):
            return None

    async def until(self, version):
        while version not in self.arrivals:
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), 60)
        return self.arrivals[version]

    async def run(self, name, text, changes, directory):
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        await self.client.start_io(sys.executable, "-m", "dlint", "server", env=env)
        await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), root_uri=uris.from_fs_path(directory)))
        self.client.initialized(lsp.InitializedParams())
        path = os.path.join(directory, "Dockerfile")
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(text)
        uri = uris.from_fs_path(path)
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="dockerfile", version=1, text=text)))
        await self.until(1)
        line = change_line(text)
        end = len(text.split("\n")[line].encode("utf-16-le")) // 2
        version = 1
        added = False

        def send():
            nonlocal version, added
            version += 1
            if added:
                r, new = lsp.Range(lsp.Position(line, end), lsp.Position(line, end + 1)), ""
            else:
                r, new = lsp.Range(lsp.Position(line, end), lsp.Position(line, end)), "x"
            added = not added
            sent = time.perf_counter()
            self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangePartial(range=r, text=new)]))
            return sent

        single = []
        for _ in range(changes):
            await asyncio.sleep(PAUSE)
            sent = send()
            single.append(await self.until(version) - sent)
        bursts = []
        for _ in range(max(changes // 5, 5)):
            await asyncio.sleep(PAUSE)
            for k in range(BURST):
                if k:
                    await asyncio.sleep(BURST_GAP)
                sent = send()
            bursts.append(await self.until(version) - sent)
        diagnostics = self.count
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()
        return {"name": name, "lines": text.count("\n"), "single": single, "bursts": bursts,
                "diagnostics": diagnostics, "alone": check_alone(path, text)}


def check_alone(path, text, runs=20):
    """Median time of dlint's check of ``text`` in this process, without the server (for reference)."""
    from dlint.config import Config
    from dlint.parallel import check_job
    from dlint.settings import settings_for

    settings = settings_for(path, Config())
    data = text.encode("utf-8", "surrogateescape")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_job((path, data, settings, None))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def render(results, changes) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    out = [SECTION, "",
           f"Written by `python bench/server.py --write` (commit {commit}, Python {platform.python_version()}, "
           f"{cores} usable cores, load average {os.getloadavg()[0]:.1f} when it started). Time from sending a "
           "one-character `textDocument/didChange` to receiving the `textDocument/publishDiagnostics` for that "
           f"version, through `dlint server` over stdio with its defaults (150 ms debounce): {changes} changes, "
           f"each after a {int(PAUSE * 1000)} ms pause; then bursts of {BURST} changes {int(BURST_GAP * 1000)} ms "
           "apart (typing), timed from the last change of each burst. **min / median / p90 / max**. The last "
           "column is the median time of dlint's check of the same text in one process, without the server.", "",
           "| file | diagnostics | one change | burst, from its last change | check alone |",
           "| --- | --- | --- | --- | --- |"]
    for r in results:
        def summary(xs):
            xs = sorted(xs)
            p90 = xs[min(len(xs) - 1, int(len(xs) * 0.9))]
            return f"{ms(xs[0])} / **{ms(statistics.median(xs))}** / {ms(p90)} / {ms(xs[-1])}"
        out.append(f"| {r['name']} ({r['lines']:,} lines) | {r['diagnostics']} | {summary(r['single'])} | "
                   f"{summary(r['bursts'])} | {ms(r['alone'])} |")
    out.append("")
    return "\n".join(out)


def write(section: str) -> None:
    with open(RESULTS, encoding="utf-8") as fh:
        text = fh.read()
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(RESULTS, "w", encoding="utf-8") as fh:
        fh.write(text)


async def main_async(args):
    import tempfile

    results = []
    for name, text in (typical_file(), long_file()):
        with tempfile.TemporaryDirectory() as directory:
            r = await Bench().run(name, text, args.changes, directory)
        results.append(r)
        print(f"{r['name']}: one change median {ms(statistics.median(r['single']))}, "
              f"burst median {ms(statistics.median(r['bursts']))}", file=sys.stderr)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--write", action="store_true", help="update bench/results.md")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    section = render(results, args.changes)
    print(section)
    if args.write:
        write(section)


if __name__ == "__main__":
    main()
