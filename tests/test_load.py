"""``polgraph load``: a build into real SPARQL stores (Oxigraph server, Virtuoso), checked.

The server tests start the real servers of :mod:`servers` on free loopback ports; nothing of
the protocols is mocked, and the store's content is compared with the build's quads (blank
nodes canonicalized). The others test the pieces that need no server, the HTTP client against
a small local HTTP/1.1 server.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from servers import (
    ID,
    ISQL,
    NO_VIRTUOSO,
    VIRTUOSO,
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    OxigraphServer,
    VirtuosoServer,
    build_counts,
    free_port,
    write_build,
)

from polgraph.cli import cli
from polgraph.errors import EndpointError, UsageError
from polgraph.graphs.http import (
    Credentials,
    HttpClient,
    HttpStatusError,
    credentials_from_env,
    redact,
    split_userinfo,
)
from polgraph.graphs.load import (
    batches,
    bind_graphs,
    count_query_text,
    derive_endpoints,
    graph_of,
    load_build,
    quad_batches,
    remote_counts,
    resolve_target,
    update_text,
)
from polgraph.queries import load_query, run_query

CONTRACT_QUERIES = ("mentions", "statements", "memberships", "results", "events")
HAND = f"{ID}graph/hand/people"
NORTHAM = f"{ID}graph/article/northam-vote"
SECRET = "pw-Zq81!never-print"


def fast_client(credentials: Credentials | None = None, **options) -> HttpClient:
    """A client that gives up quickly: the tests stop servers on purpose."""
    options.setdefault("timeout", 10)
    options.setdefault("retries", 2)
    options.setdefault("backoff", 0.05)
    return HttpClient(credentials, **options)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    return write_build(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def local_rows(build):
    store = pyoxigraph.Store.read_only(str(build / "store"))
    rows = {name: run_query(load_query(name), store).rows for name in CONTRACT_QUERIES}
    del store
    return rows


@pytest.fixture
def oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory):
    if VIRTUOSO is None or ISQL is None:
        pytest.skip(NO_VIRTUOSO)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def virtuoso(virtuoso_server, build):
    """The module's Virtuoso, without the build's graphs before and after each test."""
    graphs = sorted(build_counts(build))
    virtuoso_server.drop_graphs(graphs)
    yield virtuoso_server
    virtuoso_server.drop_graphs(graphs)


def store_counts(client: HttpClient, endpoint: str, build: Path) -> dict[str, int]:
    return remote_counts(client, endpoint, sorted(build_counts(build)))


def assert_same_rows(endpoint: str, local_rows) -> None:
    for name in CONTRACT_QUERIES:
        remote = run_query(load_query(name), endpoint).rows
        assert remote, f"{name}: no rows remotely"
        assert remote == local_rows[name], name


def assert_same_cli_output(endpoint: str, build: Path) -> None:
    """'polgraph query NAME --endpoint URL' prints what it prints over the build."""
    runner = CliRunner()
    for name in CONTRACT_QUERIES:
        remote = runner.invoke(cli, ["query", name, "--endpoint", endpoint, "--format", "csv"])
        local = runner.invoke(cli, ["query", name, "--build", str(build), "--format", "csv"])
        assert remote.exit_code == local.exit_code == 0, remote.output + local.output
        assert remote.output.count("\n") > 1, name
        assert remote.output == local.output, name


# --- Oxigraph server ---------------------------------------------------------------------


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["auto", "gsp"])
def test_load_into_oxigraph_counts_each_graph_and_gives_the_same_rows(oxigraph, build,
                                                                      local_rows, protocol):
    target = resolve_target(oxigraph.query, protocol=protocol)
    assert target.graph_store == oxigraph.store
    report = load_build(build, target, fast_client(), batch_size=5)

    assert report.target.protocol == ("dataset" if protocol == "auto" else "gsp")
    assert report.target.server.startswith("Oxigraph")
    expected = build_counts(build)
    assert {c.graph: c.build for c in report.graphs} == expected
    assert {c.graph: c.store for c in report.graphs} == expected
    assert report.mismatches == []
    assert report.requests > len(expected)  # the graphs were cut into several requests
    assert store_counts(fast_client(), oxigraph.query, build) == expected
    assert _store_quads(oxigraph) == _build_quads(build)
    assert_same_rows(oxigraph.query, local_rows)


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["auto", "gsp", "update"])
def test_loading_twice_leaves_the_store_unchanged(oxigraph, build, protocol):
    target = resolve_target(oxigraph.query, protocol=protocol)
    load_build(build, target, fast_client(), batch_size=4)
    first = _dump(oxigraph)
    report = load_build(build, target, fast_client(), batch_size=4)
    assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    second = _dump(oxigraph)
    assert len(second) == len(first) == sum(build_counts(build).values())
    # One blank node (the address) before and after: not doubled by the second load.
    assert _blank_subjects(second) == _blank_subjects(first) == 1
    assert _store_quads(oxigraph) == _build_quads(build)


@pytest.mark.server
def test_a_changed_build_replaces_its_graphs_and_leaves_the_others(oxigraph, build, tmp_path):
    target = resolve_target(oxigraph.query)
    client = fast_client()
    other = f"{ID}graph/article/not-in-the-build"
    client.request("POST", oxigraph.update,
                   f"INSERT DATA {{ GRAPH <{other}> {{ <urn:a> <urn:b> <urn:c> }} }}".encode(),
                   {"Content-Type": "application/sparql-update"})
    load_build(build, target, client)

    # The next build: one triple fewer in one graph, one more in another, a graph gone.
    lines = [line for line in (build / "graph.nq").read_text("utf-8").splitlines()
             if "graph/article/easton-byelection>" not in line]
    dropped = next(i for i, line in enumerate(lines) if line.endswith(f"<{NORTHAM}> ."))
    del lines[dropped]
    lines.append(f'<urn:new> <urn:p> "new" <{HAND}> .')
    quads = list(pyoxigraph.parse("\n".join(lines) + "\n", format=pyoxigraph.RdfFormat.N_QUADS))
    trig = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG).decode()
    changed = write_build(tmp_path / "changed", trig)
    report = load_build(changed, target, client, batch_size=7)
    assert report.mismatches == []
    assert {c.graph for c in report.graphs} == set(build_counts(changed))
    kept = [  # untouched: a graph the build never had, and one it no longer has
        *_parse_lines([f"<urn:a> <urn:b> <urn:c> <{other}> ."]),
        *(q for q in _parse_lines(build / "graph.nq")
          if q.graph_name.value.endswith("/easton-byelection")),
    ]
    assert _store_quads(oxigraph) == _canonical([*_parse_lines(changed / "graph.nq"), *kept])


@pytest.mark.server
def test_append_adds_to_graphs_and_checks_at_least_the_build(oxigraph, build):
    expected = build_counts(build)
    for protocol in ("gsp", "auto"):
        target = resolve_target(oxigraph.query, protocol=protocol)
        load_build(build, target, fast_client(), replace=False)
        report = load_build(build, target, fast_client(), replace=False)
        assert report.mismatches == []
        assert all(not count.exact for count in report.graphs)
    counts = store_counts(fast_client(), oxigraph.query, build)
    # Ground triples are a set; the blank-node triples (3 in the hand graph) come again.
    assert counts == {**expected, HAND: expected[HAND] + 3 * 3}


@pytest.mark.server
def test_update_protocol_gives_the_same_store(oxigraph, build, local_rows):
    target = resolve_target(oxigraph.query, protocol="update")
    assert target.update == oxigraph.update
    for _ in range(2):
        report = load_build(build, target, fast_client(), batch_size=3)
        assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    assert _blank_subjects(_dump(oxigraph)) == 1
    assert _store_quads(oxigraph) == _build_quads(build)
    assert_same_rows(oxigraph.query, local_rows)


@pytest.mark.server
@pytest.mark.parametrize(("keep", "protocol"), [("graph.nq", "gsp"), ("store", "auto")])
def test_a_build_with_only_one_of_graph_nq_and_store_loads_the_same(oxigraph, build, tmp_path,
                                                                   keep, protocol):
    partial = tmp_path / "partial"
    partial.mkdir()
    if keep == "graph.nq":
        shutil.copy(build / "graph.nq", partial / "graph.nq")
    else:
        shutil.copytree(build / "store", partial / "store")
    target = resolve_target(oxigraph.query, protocol=protocol)
    report = load_build(partial, target, fast_client(), batch_size=6)
    assert {c.graph: c.store for c in report.graphs} == build_counts(build)
    assert report.mismatches == []
    assert _store_quads(oxigraph) == _build_quads(build)


@pytest.mark.server
def test_a_changed_graph_is_a_mismatch_naming_it(oxigraph, build, monkeypatch):
    import polgraph.graphs.load as load_module

    target = resolve_target(oxigraph.query)
    client = fast_client()
    counted = load_module.remote_counts

    def meddle_then_count(client, endpoint, graphs):
        # another writer adds to a graph between the load and the check
        client.request("POST", oxigraph.update,
                       f"INSERT DATA {{ GRAPH <{NORTHAM}> {{ <urn:x> <urn:y> 1 }} }}".encode(),
                       {"Content-Type": "application/sparql-update"})
        return counted(client, endpoint, graphs)

    monkeypatch.setattr(load_module, "remote_counts", meddle_then_count)
    for protocol in ("auto", "gsp"):
        report = load_build(build, resolve_target(oxigraph.query, protocol=protocol), client)
        [mismatch] = report.mismatches
        assert mismatch.graph == NORTHAM and mismatch.store > mismatch.build

    result = CliRunner().invoke(cli, ["load", "--endpoint", oxigraph.query,
                                      "--build", str(build), "--protocol", "gsp"])
    assert result.exit_code == 1, result.output
    assert f"graph <{NORTHAM}>" in result.output
    assert "expected from the build" in result.output
    assert target.protocol == "auto"


class _Bar:
    """A progress bar for the tests: records what it is told, runs ``on_update``."""

    def __init__(self, total, unit, on_update=None) -> None:
        self.total, self.unit, self.done, self.closed = total, unit, 0, False
        self.on_update = on_update

    def update(self, n=1):
        self.done += n
        if self.on_update is not None:
            self.on_update(self)

    def close(self):
        self.closed = True


@pytest.mark.server
@pytest.mark.parametrize("protocol", ["auto", "gsp"])
def test_server_stopped_mid_load_gives_a_clear_error_and_a_rerun_completes(oxigraph, build,
                                                                          protocol):
    target = resolve_target(oxigraph.query, protocol=protocol)
    bars = []

    def crash_after_first_request(bar):
        if oxigraph.process is not None and oxigraph.process.poll() is None:
            oxigraph.kill()

    def bar(total, unit):
        bars.append(_Bar(total, unit, crash_after_first_request))
        return bars[-1]

    with pytest.raises(EndpointError) as caught:
        load_build(build, target, fast_client(), batch_size=10, bar=bar)
    message = str(caught.value)
    if protocol == "auto":
        assert "loading graph.nq (lines " in message
        assert bars[0].unit == "B" and bars[0].total == (build / "graph.nq").stat().st_size
    else:
        assert "loading graph <" in message
        assert bars[0].unit == "triples" and bars[0].total == sum(build_counts(build).values())
    assert 0 < bars[0].done < bars[0].total and bars[0].closed
    assert "cannot reach the store" in message and "connection refused" in message
    assert "gave up after 3 attempts" in message
    assert oxigraph.store in message

    oxigraph.start()  # same location, same port
    report = load_build(build, target, fast_client())
    assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    assert _store_quads(oxigraph) == _build_quads(build)


@pytest.mark.server
def test_a_request_the_store_refuses_names_its_lines_and_a_rerun_completes(oxigraph, build,
                                                                         tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    lines = (build / "graph.nq").read_text("utf-8").splitlines(keepends=True)
    (broken / "graph.nq").write_text(
        "".join(lines[:25]) + '<urn:s> <urn:p> "no end <urn:g> .\n' + "".join(lines[25:]),
        "utf-8")
    target = resolve_target(oxigraph.query)
    with pytest.raises(EndpointError) as caught:
        load_build(broken, target, fast_client(), batch_size=10)
    message = str(caught.value)
    assert message.startswith("loading graph.nq (lines 21-30): POST ")
    assert "HTTP 400" in message
    assert "gave up" not in message  # a refusal is not tried again

    result = CliRunner().invoke(cli, ["load", "--endpoint", oxigraph.query, "--build",
                                      str(broken), "--batch-size", "10"])
    assert result.exit_code == 2
    assert "lines 21-30" in result.output and "HTTP 400" in result.output
    assert "Traceback" not in result.output

    report = load_build(build, target, fast_client(), batch_size=10)  # the mended build
    assert report.mismatches == []
    assert _store_quads(oxigraph) == _build_quads(build)


@pytest.mark.server
def test_retries_until_the_server_comes_up(tmp_path, build):
    server = OxigraphServer(tmp_path / "late")
    starter = threading.Timer(0.4, server.start)
    starter.start()
    try:
        client = HttpClient(timeout=5, retries=6, backoff=0.1)
        report = load_build(build, resolve_target(server.query), client)
        assert report.mismatches == []
    finally:
        starter.join()
        server.stop()


@pytest.mark.server
def test_cli_load_prints_a_summary_and_checks(oxigraph, build):
    runner = CliRunner()
    args = ["load", "--endpoint", oxigraph.query, "--build", str(build), "--batch-size", "7"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    total = sum(build_counts(build).values())
    assert f"Loaded 5 named graphs ({total} triples" in result.output
    assert f"into {oxigraph.store} as N-Quads" in result.output
    assert "match the build" in result.output
    assert "loading" not in result.output  # no progress when stderr is not a terminal
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    assert_same_cli_output(oxigraph.query, build)


@pytest.mark.server
def test_progress_is_shown_on_a_terminal(oxigraph, build):
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    main, terminal = pty.openpty()
    # 24 rows, 100 columns: a new pseudo-terminal has none, and tqdm draws nothing in 0.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])])}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "polgraph", "load", "--endpoint", oxigraph.query,
             "--build", str(build)],
            stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL, env=env,
            timeout=60, check=False,
        )
    finally:
        os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(main, 4096):
            shown += chunk
    os.close(main)
    assert done.returncode == 0, done.stdout
    assert b"loading:" in shown and b"%|" in shown  # a tqdm bar
    assert b"B/s" in shown or b"B [" in shown  # over the bytes of graph.nq
    assert b"loading" not in done.stdout


def test_cli_unreachable_endpoint_is_exit_2_with_a_clear_message(build):
    port = free_port()
    result = CliRunner().invoke(cli, ["load", "--endpoint", f"http://127.0.0.1:{port}/query",
                                      "--build", str(build), "--retries", "0"])
    assert result.exit_code == 2
    assert "cannot reach the store: connection refused" in result.output
    assert "--endpoint" in result.output  # it failed asking the query endpoint, first
    assert "Traceback" not in result.output


def test_timeout_is_a_clear_error():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(EndpointError, match=r"no answer within 0\.3 s .*gave up after 2"):
            HttpClient(timeout=0.3, retries=1, backoff=0.01).request("GET", url)
        assert time.monotonic() - started >= 0.6


def test_one_connection_is_kept_alive_for_many_requests():
    with _CountingServer() as server, HttpClient(retries=0) as client:
        for _ in range(20):
            assert client.request("POST", server.url, b"x" * 1000).body == b"ok"
        assert server.connections == 1
        server.close_idle()  # the server drops the idle connection: reopened, not an error
        assert client.request("GET", server.url).body == b"ok"
        assert server.connections == 2


def test_digest_and_basic_challenges_are_answered_once_then_sent_with_every_request():
    for scheme in ("Digest", "Basic"):
        with _CountingServer(auth=scheme) as server, \
                HttpClient(Credentials("loader", SECRET), retries=0) as client:
            for _ in range(5):
                assert client.request("PUT", server.url, b"body").body == b"ok"
            assert server.challenged == 1, scheme  # only the first request was refused
            assert server.accepted == 5
        with _CountingServer(auth=scheme) as server, \
                HttpClient(Credentials("loader", "wrong"), retries=0) as client:
            with pytest.raises(HttpStatusError, match="HTTP 401.*--password-env") as caught:
                client.request("GET", server.url)
            assert caught.value.status == 401


# --- Virtuoso ----------------------------------------------------------------------------


@pytest.mark.server
def test_load_into_virtuoso_over_the_graph_store_protocol_with_digest_auth(
    virtuoso, build, local_rows, monkeypatch
):
    monkeypatch.setenv("VIRTUOSO_PW", VIRTUOSO_PASSWORD)
    args = ["load", "--endpoint", virtuoso.sparql_auth, "--user", VIRTUOSO_USER,
            "--password-env", "VIRTUOSO_PW", "--build", str(build), "--batch-size", "5"]
    for _ in range(2):  # the second load replaces, nothing doubles
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert f"into {virtuoso.graph_crud_auth}" in result.output
        assert "graph by graph" in result.output
    assert store_counts(fast_client(), virtuoso.sparql, build) == build_counts(build)
    assert _graph_store_quads(virtuoso.graph_crud, build) == _build_quads(build)
    assert_same_rows(virtuoso.sparql, local_rows)
    assert_same_cli_output(virtuoso.sparql, build)


@pytest.mark.server
def test_load_into_virtuoso_over_sparql_update(virtuoso, build, local_rows):
    target = resolve_target(virtuoso.sparql, protocol="update")
    assert target.update == virtuoso.sparql
    for _ in range(2):
        report = load_build(build, target, fast_client(), batch_size=4)
        assert report.mismatches == []
    assert store_counts(fast_client(), virtuoso.sparql, build) == build_counts(build)
    assert _graph_store_quads(virtuoso.graph_crud, build) == _build_quads(build)
    assert_same_rows(virtuoso.sparql, local_rows)


@pytest.mark.server
def test_a_wrong_password_is_refused_and_never_printed(virtuoso, build, monkeypatch):
    monkeypatch.setenv("WRONG_PW", SECRET)
    result = CliRunner().invoke(cli, [
        "load", "--endpoint", virtuoso.sparql_auth, "--user", VIRTUOSO_USER,
        "--password-env", "WRONG_PW", "--build", str(build), "--retries", "0",
    ])
    assert result.exit_code == 2
    assert "HTTP 401" in result.output and "--password-env" in result.output
    assert SECRET not in result.output

    with_userinfo = virtuoso.sparql_auth.replace("http://", f"http://{VIRTUOSO_USER}:{SECRET}@")
    result = CliRunner().invoke(cli, ["load", "--endpoint", with_userinfo,
                                      "--build", str(build), "--retries", "0"])
    assert result.exit_code == 2
    assert "HTTP 401" in result.output
    assert SECRET not in result.output and f"{VIRTUOSO_USER}:" not in result.output


# --- no server ---------------------------------------------------------------------------


def test_endpoints_are_derived_for_the_usual_stores():
    assert derive_endpoints("http://h:7878/query") == ("http://h:7878/store",
                                                       "http://h:7878/update")
    assert derive_endpoints("http://h:8890/sparql") == ("http://h:8890/sparql-graph-crud",
                                                        "http://h:8890/sparql")
    assert derive_endpoints("http://h:8890/sparql-auth") == (
        "http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql-auth")
    assert derive_endpoints("http://h:3030/ds/sparql") == ("http://h:3030/ds/data",
                                                           "http://h:3030/ds/update")
    assert derive_endpoints("http://h:3030/ds/query") == ("http://h:3030/ds/data",
                                                          "http://h:3030/ds/update")
    assert derive_endpoints("http://h:7200/repositories/news") == (
        "http://h:7200/repositories/news/rdf-graphs/service",
        "http://h:7200/repositories/news/statements")
    assert derive_endpoints("http://h/elsewhere") == (None, None)


def test_targets_that_cannot_be_guessed_are_usage_errors():
    with pytest.raises(UsageError, match="--graph-store"):
        resolve_target("http://h/elsewhere")
    with pytest.raises(UsageError, match="--update-endpoint"):
        resolve_target("http://h/elsewhere", protocol="update")
    with pytest.raises(UsageError, match="not an http"):
        resolve_target("ftp://h/query")
    target = resolve_target("http://h/elsewhere", graph_store="http://h/gsp")
    assert target.write_url == "http://h/gsp"


def _line(s, o, graph=None):
    subject = s if s.startswith("_:") else f"<{s}>"
    obj = o if o.startswith("_:") else f'"{o}"'
    return f"{subject} <http://p> {obj}{f' <{graph}>' if graph else ''} .\n".encode()


def test_batches_keep_every_blank_node_triple_in_the_first_request():
    lines = [_line(f"http://s{i}", f"v{i}") for i in range(7)]
    lines[3:3] = [_line("_:a", "x"), _line("http://s", "_:a"), _line("_:a", "y"), b"\n"]
    cut = list(batches(lambda: iter(lines), batch_size=3, max_bytes=10_000))
    assert [len(batch.lines) for batch in cut] == [3, 3, 3, 1]
    assert cut[0].blank and not any(batch.blank for batch in cut[1:])
    assert all(b"_:a" in line for line in cut[0].lines)
    assert sum(len(batch.lines) for batch in cut) == 10  # the empty line is left out
    by_bytes = list(batches(lambda: iter(lines[:2]), batch_size=100, max_bytes=10))
    assert [len(batch.lines) for batch in by_bytes] == [1, 1]


def test_update_text_replaces_then_inserts():
    [batch] = batches(lambda: iter([_line("http://s", "v")]), 10, 1000)
    text = update_text("http://g", batch, drop=True).decode()
    assert text.startswith("DROP SILENT GRAPH <http://g> ;\nINSERT DATA { GRAPH <http://g> {")
    [blank] = batches(lambda: iter([_line("_:b", "v")]), 10, 1000)
    text = update_text("http://g", blank, drop=False).decode()
    assert text.startswith("INSERT { GRAPH <http://g> {") and text.endswith("} WHERE {}\n")


def test_the_graph_of_an_nquads_line():
    assert graph_of(b'<s> <p> "a <b>" <http://g> .\n') == (b"http://g", 15)
    assert graph_of(b"<s> <p> <o>\t<http://g>  .  \r\n") == (b"http://g", 11)
    assert graph_of(b'<s> <p> "x"^^<http://dt> .\n') is None  # a typed literal, no graph
    assert graph_of(b'<s> <p> "x" _:g .\n') is None
    assert graph_of(b'<s> <p> "x" .\n') is None
    assert graph_of(b"# a comment\n") is None and graph_of(b"\n") is None


def test_quad_batches_cut_whole_lines_count_each_graph_and_send_blank_nodes_last(tmp_path):
    lines = [_line(f"http://s{i}", f"v{i}", f"http://g{i % 2}") for i in range(9)]
    lines[4:4] = [_line("_:a", "x", "http://g1"), _line("http://s", "_:a", "http://g1")]
    lines.append(b"# a comment, then a last line without its newline\n")
    lines.append(_line("http://last", "v", "http://g0").rstrip(b"\n"))
    path = tmp_path / "graph.nq"
    path.write_bytes(b"".join(lines))

    cut = list(quad_batches(path, batch_size=4, max_bytes=1 << 20))
    assert [batch.where for batch in cut] == [
        "lines 1-4", "lines 5-8", "lines 9-12", "lines 13-13", "the 2 lines with blank nodes"]
    assert [batch.quads for batch in cut] == [4, 2, 3, 1, 2]
    assert cut[-1].blank and not any(batch.blank for batch in cut[:-1])
    assert sum((batch.graphs for batch in cut), Counter()) == {"http://g0": 6, "http://g1": 6}
    body = b"".join(batch.body for batch in cut)
    assert body.count(b"\n") == 12 and b"# a comment" not in body
    assert cut[3].body.endswith(b'<http://g0> .\n')
    # Read a few bytes at a time: still whole lines, the same quads.
    small = list(quad_batches(path, batch_size=100, max_bytes=30))
    assert sorted(b"".join(batch.body for batch in small).splitlines()) == sorted(
        body.splitlines())
    only = list(quad_batches(path, batch_size=100, max_bytes=1 << 20, only={b"http://g1"}))
    assert all(set(batch.graphs) == {"http://g1"} for batch in only)
    assert sum(batch.quads for batch in only) == 6


def test_the_count_query_is_bound_to_a_batch_of_graphs():
    text = bind_graphs(count_query_text(), ["http://a", "http://b"])
    assert "VALUES ?graph { <http://a> <http://b> }" in text
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://s"), pyoxigraph.NamedNode("http://p"),
                              pyoxigraph.Literal("o"), pyoxigraph.NamedNode("http://a")))
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://s"), pyoxigraph.NamedNode("http://p"),
                              pyoxigraph.Literal("o"), pyoxigraph.NamedNode("http://c")))
    rows = [(row["graph"].value, int(row["triples"].value)) for row in store.query(text)]
    assert rows == [("http://a", 1)]


def test_credentials_come_from_the_environment_and_stay_secret():
    creds = credentials_from_env("dba", "PW", environ={"PW": SECRET})
    assert creds == Credentials("dba", SECRET)
    assert SECRET not in repr(creds)
    assert credentials_from_env(token_env="TOK", environ={"TOK": SECRET}).token == SECRET
    assert credentials_from_env(environ={}) is None
    with pytest.raises(UsageError, match="PW: the environment variable is not set"):
        credentials_from_env("dba", "PW", environ={})
    with pytest.raises(UsageError, match="not both"):
        credentials_from_env("dba", "PW", "TOK", environ={"PW": "x", "TOK": "y"})
    with pytest.raises(UsageError, match="needs --user"):
        credentials_from_env(None, "PW", environ={"PW": "x"})


def test_urls_with_userinfo_are_redacted_and_split():
    url = f"https://dba:{SECRET}@example.org:8890/sparql-auth?x=1"
    assert redact(url) == "https://***@example.org:8890/sparql-auth?x=1"
    assert redact("http://example.org/sparql") == "http://example.org/sparql"
    clean, creds = split_userinfo(url)
    assert clean == "https://example.org:8890/sparql-auth?x=1"
    assert creds == Credentials("dba", SECRET)
    assert split_userinfo("http://h/q") == ("http://h/q", None)
    client = HttpClient(Credentials("dba", SECRET))
    assert client.scrub(f"refused {SECRET}!") == "refused ***!"


def test_cli_load_help_has_an_example():
    result = CliRunner().invoke(cli, ["load", "--help"])
    assert result.exit_code == 0
    assert "polgraph load --endpoint http://localhost:7878/query" in result.output
    assert "--password-env" in result.output


# --- helpers -----------------------------------------------------------------------------


def _dump(server: OxigraphServer) -> list[str]:
    with fast_client() as client:
        answer = client.request("GET", server.store, headers={"Accept": "application/n-quads"})
    return [line for line in answer.body.decode().splitlines() if line.strip()]


def _blank_subjects(lines: list[str]) -> int:
    return len({line.split(" ", 1)[0] for line in lines if line.startswith("_:")})


def _parse_lines(source: Path | Iterable[str]) -> list[pyoxigraph.Quad]:
    if isinstance(source, Path):
        return list(pyoxigraph.parse(path=str(source), format=pyoxigraph.RdfFormat.N_QUADS))
    text = "".join(f"{line}\n" for line in source)
    return list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_QUADS))


def _canonical(quads: Iterable[pyoxigraph.Quad]) -> set[str]:
    """The quads as N-Quads lines, blank nodes relabelled canonically (so comparable)."""
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    lines = {f"{quad} ." for quad in dataset}
    assert len(lines) == len(dataset)
    return lines


def _graph_store_quads(graph_store: str, build: Path) -> set[str]:
    """The build's graphs as the store's Graph Store endpoint gives them back."""
    quads = []
    with fast_client() as client:
        for graph in build_counts(build):
            answer = client.request("GET", graph_store, params={"graph": graph},
                                    headers={"Accept": "text/turtle"})
            name = pyoxigraph.NamedNode(graph)
            quads += [pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, name)
                      for quad in pyoxigraph.parse(answer.body,
                                                   format=pyoxigraph.RdfFormat.TURTLE)]
    return _canonical(quads)


def _build_quads(build: Path) -> set[str]:
    return _canonical(_parse_lines(build / "graph.nq"))


def _store_quads(server: OxigraphServer) -> set[str]:
    """Everything the store holds, in every graph."""
    return _canonical(_parse_lines(_dump(server)))


class _CountingServer:
    """An HTTP/1.1 server on loopback that counts connections and, with ``auth``, asks for
    Basic or Digest authentication (user ``loader``, password :data:`SECRET`)."""

    NONCE = "n0nce-7f3a"

    def __init__(self, auth: str | None = None) -> None:
        self.auth = auth
        self.connections = self.challenged = self.accepted = 0
        self._sockets: list[socket.socket] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                outer.connections += 1
                outer._sockets.append(self.connection)

            def log_message(self, *args) -> None:
                pass

            def answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if outer.auth and not outer.authorized(self.command, self.path,
                                                       self.headers.get("Authorization")):
                    outer.challenged += 1
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", outer.challenge())
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                outer.accepted += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = do_PUT = answer

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql-graph-crud?x=1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _CountingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.close_idle()

    def close_idle(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._sockets.clear()

    def challenge(self) -> str:
        if self.auth == "Basic":
            return 'Basic realm="test"'
        return f'Digest realm="test", nonce="{self.NONCE}", qop="auth", algorithm=MD5'

    def authorized(self, method: str, path: str, header: str | None) -> bool:
        if header is None:
            return False
        if self.auth == "Basic":
            return header == "Basic " + base64.b64encode(f"loader:{SECRET}".encode()).decode()
        if not header.startswith("Digest "):
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[7:]))

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        ha1, ha2 = md5(f"loader:test:{SECRET}"), md5(f"{method}:{fields['uri']}")
        expected = md5(f"{ha1}:{self.NONCE}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        return fields["uri"] == path and fields["response"] == expected
