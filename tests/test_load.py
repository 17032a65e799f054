"""``polgraph load``: a build into real SPARQL stores (Oxigraph server, Virtuoso), checked.

The server tests start the real servers of :mod:`servers` on free loopback ports; nothing of
the protocols is mocked. The others test the pieces that need no server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
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
    credentials_from_env,
    redact,
    split_userinfo,
)
from polgraph.graphs.load import (
    batches,
    bind_graphs,
    count_query_text,
    derive_endpoints,
    load_build,
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
def test_load_into_oxigraph_counts_each_graph_and_gives_the_same_rows(oxigraph, build,
                                                                      local_rows):
    target = resolve_target(oxigraph.query)
    assert target.graph_store == oxigraph.store
    report = load_build(build, target, fast_client(), batch_size=5)

    expected = build_counts(build)
    assert {c.graph: c.build for c in report.graphs} == expected
    assert {c.graph: c.store for c in report.graphs} == expected
    assert report.mismatches == []
    assert report.requests > len(expected)  # the graphs were cut into several requests
    assert store_counts(fast_client(), oxigraph.query, build) == expected
    assert_same_rows(oxigraph.query, local_rows)


@pytest.mark.server
def test_loading_twice_leaves_the_store_unchanged(oxigraph, build):
    target = resolve_target(oxigraph.query)
    load_build(build, target, fast_client(), batch_size=4)
    first = _dump(oxigraph)
    report = load_build(build, target, fast_client(), batch_size=4)
    assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    second = _dump(oxigraph)
    assert len(second) == len(first) == sum(build_counts(build).values())
    # One blank node (the address) before and after: not doubled by the second load.
    assert _blank_subjects(second) == _blank_subjects(first) == 1


@pytest.mark.server
def test_append_adds_to_graphs_and_checks_at_least_the_build(oxigraph, build):
    target = resolve_target(oxigraph.query)
    expected = build_counts(build)
    load_build(build, target, fast_client(), replace=False)
    report = load_build(build, target, fast_client(), replace=False)
    assert report.mismatches == []
    counts = store_counts(fast_client(), oxigraph.query, build)
    # Ground triples are a set; the blank-node triples (3 in the hand graph) come again.
    assert counts == {**expected, HAND: expected[HAND] + 3}


@pytest.mark.server
def test_update_protocol_gives_the_same_store(oxigraph, build, local_rows):
    target = resolve_target(oxigraph.query, protocol="update")
    assert target.update == oxigraph.update
    for _ in range(2):
        report = load_build(build, target, fast_client(), batch_size=3)
        assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    assert _blank_subjects(_dump(oxigraph)) == 1
    assert_same_rows(oxigraph.query, local_rows)


@pytest.mark.server
def test_a_build_with_only_graph_nq_loads_the_same(oxigraph, build, tmp_path):
    nq_only = tmp_path / "nq-only"
    nq_only.mkdir()
    shutil.copy(build / "graph.nq", nq_only / "graph.nq")
    report = load_build(nq_only, resolve_target(oxigraph.query), fast_client(), batch_size=6)
    assert {c.graph: c.store for c in report.graphs} == build_counts(build)
    assert report.mismatches == []


@pytest.mark.server
def test_a_changed_graph_is_a_mismatch_naming_it(oxigraph, build, monkeypatch):
    target = resolve_target(oxigraph.query)
    client = fast_client()

    def meddle(done, total, graph, triples):
        if done == total:  # another writer adds to a graph before the check
            client.request("POST", oxigraph.update,
                           f"INSERT DATA {{ GRAPH <{NORTHAM}> {{ <urn:x> <urn:y> 1 }} }}".encode(),
                           {"Content-Type": "application/sparql-update"})

    report = load_build(build, target, client, progress=meddle)
    assert [(c.graph, c.build, c.store) for c in report.mismatches] == [
        (NORTHAM, build_counts(build)[NORTHAM], build_counts(build)[NORTHAM] + 1)
    ]

    import polgraph.cli.load as cli_load

    monkeypatch.setattr(cli_load, "load_build",
                        lambda *args, **kwargs: load_build(*args, **{**kwargs, "progress": meddle}))
    result = CliRunner().invoke(cli, ["load", "--endpoint", oxigraph.query,
                                      "--build", str(build)])
    assert result.exit_code == 1, result.output
    assert f"graph <{NORTHAM}>" in result.output
    assert "expected from the build" in result.output


@pytest.mark.server
def test_server_stopped_mid_load_gives_a_clear_error_and_a_rerun_completes(oxigraph, build):
    target = resolve_target(oxigraph.query)
    loaded = []

    def crash_after_first(done, total, graph, triples):
        loaded.append(graph)
        if done == 1:
            oxigraph.kill()

    with pytest.raises(EndpointError) as caught:
        load_build(build, target, fast_client(), progress=crash_after_first)
    message = str(caught.value)
    second = sorted(build_counts(build))[1]
    assert len(loaded) == 1
    assert f"loading graph <{second}>" in message
    assert "cannot reach the store" in message and "connection refused" in message
    assert "gave up after 3 attempts" in message
    assert oxigraph.store in message

    oxigraph.start()  # same location, same port
    report = load_build(build, target, fast_client())
    assert report.mismatches == []
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)


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
    assert f"into {oxigraph.store}" in result.output
    assert "match the build" in result.output
    assert "loading graph" not in result.output  # no progress when stderr is not a terminal
    assert store_counts(fast_client(), oxigraph.query, build) == build_counts(build)
    assert_same_cli_output(oxigraph.query, build)


@pytest.mark.server
def test_progress_is_shown_on_a_terminal(oxigraph, build):
    pty = pytest.importorskip("pty")
    main, terminal = pty.openpty()
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
    assert b"loading graph 1/5" in shown and b"loading graph 5/5: resolution" in shown
    assert b"loading graph" not in done.stdout


def test_cli_unreachable_endpoint_is_exit_2_with_a_clear_message(build):
    port = free_port()
    result = CliRunner().invoke(cli, ["load", "--endpoint", f"http://127.0.0.1:{port}/query",
                                      "--build", str(build), "--retries", "0"])
    assert result.exit_code == 2
    assert "cannot reach the store: connection refused" in result.output
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
    assert store_counts(fast_client(), virtuoso.sparql, build) == build_counts(build)
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


def _triple(s, o):
    node = pyoxigraph.BlankNode if s.startswith("_:") else pyoxigraph.NamedNode
    subject = node(s[2:]) if s.startswith("_:") else node(s)
    obj = pyoxigraph.BlankNode(o[2:]) if o.startswith("_:") else pyoxigraph.Literal(o)
    return pyoxigraph.Triple(subject, pyoxigraph.NamedNode("http://p"), obj)


def test_batches_keep_every_blank_node_triple_in_the_first_request():
    triples = [_triple(f"http://s{i}", f"v{i}") for i in range(7)]
    triples[3:3] = [_triple("_:a", "x"), _triple("http://s", "_:a"), _triple("_:a", "y")]
    cut = list(batches(lambda: iter(triples), batch_size=3, max_bytes=10_000))
    assert [len(batch.lines) for batch in cut] == [3, 3, 3, 1]
    assert cut[0].blank and not any(batch.blank for batch in cut[1:])
    assert all(b"_:a" in line for line in cut[0].lines)
    assert sum(len(batch.lines) for batch in cut) == 10
    by_bytes = list(batches(lambda: iter(triples[:2]), batch_size=100, max_bytes=10))
    assert [len(batch.lines) for batch in by_bytes] == [1, 1]


def test_update_text_replaces_then_inserts():
    [batch] = batches(lambda: iter([_triple("http://s", "v")]), 10, 1000)
    text = update_text("http://g", batch, drop=True).decode()
    assert text.startswith("DROP SILENT GRAPH <http://g> ;\nINSERT DATA { GRAPH <http://g> {")
    [blank] = batches(lambda: iter([_triple("_:b", "v")]), 10, 1000)
    text = update_text("http://g", blank, drop=False).decode()
    assert text.startswith("INSERT { GRAPH <http://g> {") and text.endswith("} WHERE {}\n")


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
    client = fast_client()
    answer = client.request("GET", f"{server.store}", headers={"Accept": "application/n-quads"})
    return [line for line in answer.body.decode().splitlines() if line.strip()]


def _blank_subjects(lines: list[str]) -> int:
    return len({line.split(" ", 1)[0] for line in lines if line.startswith("_:")})
