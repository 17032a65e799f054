"""``polgraph serve``: the build as a SPARQL endpoint, run as the command a researcher runs."""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from servers import HOST, build_counts, free_port, write_build

from polgraph.cli import cli
from polgraph.queries import load_query, run_query

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_QUERIES = ("mentions", "statements", "memberships", "results", "events")


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    return write_build(tmp_path_factory.mktemp("served"))


class ServeProcess:
    """``python -m polgraph serve …`` in a child process, its output read as it comes."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "polgraph", "serve", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = 30.0) -> list[str]:
        """The output up to the first line starting with ``prefix``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} in {self.output}") from None
            if line is None:
                raise AssertionError(f"serve exited ({self.process.wait()}): {self.output}")
            self.output.append(line)
            if line.strip().startswith(prefix):
                return self.output

    def stop(self, signum: int = signal.SIGINT, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def url(self, label: str) -> str:
        for line in self.output:
            if line.strip().startswith(f"{label}:"):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"no {label} URL in {self.output}")


@pytest.fixture
def serve_process():
    started: list[ServeProcess] = []

    def start(*args: str) -> ServeProcess:
        started.append(ServeProcess(*args))
        return started[-1]

    yield start
    for process in started:
        if process.process.poll() is None:
            process.stop(signal.SIGTERM)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its content."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


def port_is_free(port: int) -> bool:
    """Nothing accepts connections on the port any more."""
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return False
    except OSError:
        return True


def http(method: str, url: str, data: bytes | None = None, headers=None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.mark.server
def test_serve_answers_the_named_queries_as_the_build_does_and_changes_nothing(
    build, serve_process
):
    before = fingerprint(build / "store")
    port = free_port()
    served = serve_process("--build", str(build), "--port", str(port))
    output = served.wait_for("Query it:")
    query = served.url("query")
    assert query == f"http://127.0.0.1:{port}/query"
    assert served.url("graph store") == f"http://127.0.0.1:{port}/store"
    assert not any(line.strip().startswith("update:") for line in output)
    assert "(read-only)" in output[0]
    assert output[-1] == f"Query it:  polgraph query statements --endpoint {query}"

    local = pyoxigraph.Store.read_only(str(build / "store"))
    for name in CONTRACT_QUERIES:
        rows = run_query(load_query(name), query).rows
        assert rows, name
        assert rows == run_query(load_query(name), local).rows, name

    # Each graph over the Graph Store Protocol, as many triples as in the build.
    for graph, count in build_counts(build).items():
        status, body = http("GET", f"{served.url('graph store')}?graph="
                            f"{urllib.parse.quote(graph, safe='')}",
                            headers={"Accept": "application/n-triples"})
        assert status == 200
        assert len([line for line in body.decode().splitlines() if line.strip()]) == count

    status, _ = http("POST", f"http://127.0.0.1:{port}/update",
                     b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                     {"Content-Type": "application/sparql-update"})
    assert status == 403

    assert served.stop(signal.SIGINT) == 0
    assert port_is_free(port)  # the Oxigraph server went with it
    assert fingerprint(build / "store") == before


@pytest.mark.server
def test_serve_read_write_accepts_updates_into_the_build(build, serve_process, tmp_path):
    copy = tmp_path / "build"
    shutil.copytree(build, copy)
    port = free_port()
    served = serve_process("--build", str(copy), "--port", str(port), "--read-write")
    output = served.wait_for("Query it:")
    assert "(read-write)" in output[0]
    update = served.url("update")
    assert update == f"http://127.0.0.1:{port}/update"
    status, _ = http("POST", update,
                     b"INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
                     {"Content-Type": "application/sparql-update"})
    assert status == 204
    assert served.stop(signal.SIGTERM) == 0
    assert port_is_free(port)

    store = pyoxigraph.Store.read_only(str(copy / "store"))
    assert pyoxigraph.NamedNode("urn:g") in set(store.named_graphs())
    assert len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode("urn:g")))) == 1


def test_serve_on_a_busy_port_is_exit_2_with_a_clear_message(build):
    with socket.socket() as busy:
        busy.bind((HOST, 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--build", str(build), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output


def test_serve_without_a_build_is_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--build", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "no build in" in result.output and "polgraph build" in result.output


def test_serve_help_has_an_example():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "polgraph serve --build build --port 7878" in result.output
    assert "polgraph query statements --endpoint http://127.0.0.1:7878/query" in result.output
