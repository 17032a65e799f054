"""Loading a build into a SPARQL store, one named graph at a time, and checking it arrived.

Each named graph of the build goes to the store over the SPARQL 1.1 Graph Store HTTP
Protocol: the first request of a graph is a ``PUT`` (it replaces the graph, so loading twice
leaves the store unchanged), the rest of it ``POST`` (append); ``--append`` posts every
request. For stores without the Graph Store Protocol, ``protocol="update"`` sends SPARQL 1.1
Update instead: ``DROP SILENT GRAPH`` (with replace) and ``INSERT DATA`` in batches.
Afterwards ``polgraph/queries/internal/graph-counts.rq`` counts the triples of each graph
through the query endpoint and every count is compared with the build.

Streaming: the build is read one graph at a time (:func:`open_build`), and each graph is cut
into requests of at most ``batch_size`` triples and ``max_bytes`` bytes, so memory holds one
request, never the dataset. Blank nodes are the one exception to the cut: a blank node sent
in two requests would become two nodes, so every triple of a graph that has a blank node goes
in that graph's first request (with ``PUT``, or ``DROP`` + ``INSERT`` in one update, so a
retried request cannot double it). Later requests only hold ground triples, which the store
keeps as a set, so retrying one of them is harmless too.

How the build is read (:class:`StoreSource`, :class:`NQuadsSource`): from the build's
on-disk Oxigraph store when it is there. Oxigraph keeps a graph-first index, so one graph's
triples come from one range scan: no copy, constant memory. A build handed on as ``graph.nq``
alone is read once, line by line; ``graph.nq`` is sorted by subject, so one graph's quads are
scattered through it, and each is appended to a temporary N-Triples file of its graph (a
bounded number of those files open at a time) that is then read back graph by graph. Disk
use: about the size of ``graph.nq``; memory: one request.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Protocol

import pyoxigraph

from polgraph.errors import EndpointError, UsageError
from polgraph.graphs.http import HttpClient, HttpStatusError, redact
from polgraph.graphs.store import STORE_FOLDER
from polgraph.queries.sparqltext import main_group_start

NQUADS_FILE = "graph.nq"
NTRIPLES = "application/n-triples"
SPARQL_UPDATE = "application/sparql-update"
SPARQL_JSON = "application/sparql-results+json"
PROTOCOLS = ("gsp", "update")

#: Triples per request: Graph Store Protocol bodies are parsed as a stream by every server;
#: SPARQL Update text is compiled whole (Virtuoso fails on very long INSERT DATA), so smaller.
DEFAULT_BATCH = {"gsp": 10_000, "update": 1_000}
#: Bytes per request, whatever the number of triples (long article texts are large literals).
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
#: Graphs counted per query after the load.
COUNT_BATCH = 50


# --- reading the build -------------------------------------------------------------------


class BuildSource(Protocol):
    """The named graphs of a build, each readable (more than once) as a stream of triples."""

    def graphs(self) -> list[str]:
        """The IRIs of the build's named graphs, sorted."""

    def triples(self, graph: str) -> Iterator[pyoxigraph.Triple]:
        """The triples of one named graph, streamed."""

    def close(self) -> None:
        """Release the store or the temporary files."""


class StoreSource:
    """The build's Oxigraph store, opened read-only."""

    def __init__(self, path: Path) -> None:
        try:
            self._store = pyoxigraph.Store.read_only(str(path))
        except OSError as err:
            raise UsageError(f"cannot open the build's store {path}: {err}") from None

    def graphs(self) -> list[str]:
        return sorted(
            graph.value
            for graph in self._store.named_graphs()
            if isinstance(graph, pyoxigraph.NamedNode)
        )

    def triples(self, graph: str) -> Iterator[pyoxigraph.Triple]:
        for quad in self._store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph)):
            yield quad.triple

    def close(self) -> None:
        self._store = None


class NQuadsSource:
    """``graph.nq`` split once into one temporary N-Triples file per named graph."""

    #: How many per-graph files stay open while splitting; the others are reopened to append.
    MAX_OPEN = 64

    def __init__(self, path: Path) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="polgraph-load-"))
        self._files: dict[str, Path] = {}
        try:
            self._split(path)
        except BaseException:
            self.close()
            raise

    def _split(self, path: Path) -> None:
        handles: OrderedDict[str, IO[str]] = OrderedDict()
        try:
            for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS):
                graph = quad.graph_name
                if not isinstance(graph, pyoxigraph.NamedNode):
                    continue  # the contract puts every triple in a named graph
                handle = handles.pop(graph.value, None)
                if handle is None:
                    if len(handles) >= self.MAX_OPEN:
                        handles.popitem(last=False)[1].close()
                    handle = self._open(graph.value)
                handles[graph.value] = handle
                handle.write(f"{quad.triple} .\n")
        except SyntaxError as err:
            raise UsageError(f"{path}: not valid N-Quads: {err}") from None
        finally:
            for handle in handles.values():
                handle.close()

    def _open(self, graph: str) -> IO[str]:
        file = self._files.setdefault(graph, self._folder / f"{len(self._files)}.nt")
        return file.open("a", encoding="utf-8")

    def graphs(self) -> list[str]:
        return sorted(self._files)

    def triples(self, graph: str) -> Iterator[pyoxigraph.Triple]:
        file = self._files.get(graph)
        if file is None:
            return iter(())
        return iter(pyoxigraph.parse(path=str(file), format=pyoxigraph.RdfFormat.N_TRIPLES))

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def open_build(build_dir: Path) -> BuildSource:
    """The build's store when it has one, else its ``graph.nq``; a clear error for neither."""
    build_dir = Path(build_dir)
    if (build_dir / STORE_FOLDER).is_dir():
        return StoreSource(build_dir / STORE_FOLDER)
    if (build_dir / NQUADS_FILE).is_file():
        return NQuadsSource(build_dir / NQUADS_FILE)
    raise UsageError(
        f"no build in {build_dir} (neither {STORE_FOLDER}/ nor {NQUADS_FILE}): "
        "run 'polgraph build' first, or pass --build DIR"
    )


# --- where to send it --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The store's endpoints: SPARQL query, Graph Store Protocol, SPARQL Update."""

    endpoint: str
    graph_store: str | None = None
    update: str | None = None
    protocol: str = "gsp"

    @property
    def write_url(self) -> str:
        """The URL the graphs are sent to."""
        url = self.graph_store if self.protocol == "gsp" else self.update
        assert url is not None
        return url


def derive_endpoints(endpoint: str) -> tuple[str | None, str | None]:
    """The graph store and update URLs that usually sit beside a query endpoint.

    Oxigraph ``/query`` → ``/store``, ``/update``; Virtuoso ``/sparql`` →
    ``/sparql-graph-crud``, ``/sparql`` (and the ``-auth`` forms); Fuseki ``/ds/query`` or
    ``/ds/sparql`` → ``/ds/data``, ``/ds/update``; GraphDB and RDF4J ``/repositories/ID`` →
    ``…/rdf-graphs/service``, ``…/statements``. ``(None, None)`` for anything else.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=new_path, query="", fragment=""))

    head, _, last = path.rpartition("/")
    if path == "/query":
        return at("/store"), at("/update")
    if path in ("/sparql", "/sparql-auth"):
        suffix = "-auth" if path.endswith("-auth") else ""
        return at(f"/sparql-graph-crud{suffix}"), at(path)
    if last in ("query", "sparql") and head:
        return at(f"{head}/data"), at(f"{head}/update")
    if head.endswith("/repositories"):
        return at(f"{path}/rdf-graphs/service"), at(f"{path}/statements")
    return None, None


def resolve_target(
    endpoint: str,
    graph_store: str | None = None,
    update: str | None = None,
    protocol: str = "gsp",
) -> Target:
    """The :class:`Target` for the options given; :class:`UsageError` when one is missing."""
    if protocol not in PROTOCOLS:
        raise UsageError(f"--protocol must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise UsageError(f"--endpoint {redact(endpoint)}: not an http(s) URL")
    derived_store, derived_update = derive_endpoints(endpoint)
    target = Target(endpoint, graph_store or derived_store, update or derived_update, protocol)
    if protocol == "gsp" and target.graph_store is None:
        raise UsageError(
            f"cannot tell the graph store URL of {redact(endpoint)}: pass --graph-store URL "
            "(or --protocol update)"
        )
    if protocol == "update" and target.update is None:
        raise UsageError(
            f"cannot tell the SPARQL Update URL of {redact(endpoint)}: pass --update-endpoint URL"
        )
    return target


# --- cutting a graph into requests -------------------------------------------------------


def _has_blank_node(triple: pyoxigraph.Triple) -> bool:
    return isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(
        triple.object, pyoxigraph.BlankNode
    )


@dataclass
class Batch:
    """The N-Triples lines of one request; ``blank`` when some have blank nodes."""

    lines: list[bytes] = field(default_factory=list)
    size: int = 0
    blank: bool = False

    def add(self, line: bytes) -> None:
        self.lines.append(line)
        self.size += len(line)

    def body(self) -> bytes:
        return b"".join(self.lines)


def batches(
    triples: Callable[[], Iterable[pyoxigraph.Triple]], batch_size: int, max_bytes: int
) -> Iterator[Batch]:
    """One graph's triples cut into requests; all blank-node triples in the first one.

    ``triples`` is called twice: once for the blank-node triples, once for the rest.
    """
    first = Batch()
    for triple in triples():
        if _has_blank_node(triple):
            first.add(f"{triple} .\n".encode())
            first.blank = True
    batch = first
    for triple in triples():
        if _has_blank_node(triple):
            continue
        line = f"{triple} .\n".encode()
        if batch.lines and (len(batch.lines) >= batch_size or batch.size + len(line) > max_bytes):
            yield batch
            batch = Batch()
        batch.add(line)
    if batch.lines:
        yield batch


# --- sending -----------------------------------------------------------------------------


def _iri(graph: str) -> str:
    return f"<{graph}>"


def update_text(graph: str, batch: Batch, *, drop: bool) -> bytes:
    """A SPARQL Update request inserting ``batch`` into ``graph``.

    Blank nodes are not allowed in ``INSERT DATA`` by some stores (Virtuoso), so a batch with
    blank nodes is sent as ``INSERT { … } WHERE {}``, which means the same.
    """
    head = f"DROP SILENT GRAPH {_iri(graph)} ;\n" if drop else ""
    if batch.blank:
        opening, closing = "INSERT {", "} WHERE {}"
    else:
        opening, closing = "INSERT DATA {", "}"
    return (
        f"{head}{opening} GRAPH {_iri(graph)} {{\n".encode()
        + batch.body()
        + f"}} {closing}\n".encode()
    )


def send_graph(
    client: HttpClient,
    target: Target,
    graph: str,
    triples: Callable[[], Iterable[pyoxigraph.Triple]],
    *,
    replace: bool = True,
    batch_size: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[int, int]:
    """Send one named graph; ``(triples sent, requests made)``."""
    size = batch_size or DEFAULT_BATCH[target.protocol]
    sent = requests = 0
    for batch in batches(triples, size, max_bytes):
        first = requests == 0
        try:
            if target.protocol == "gsp":
                method = "PUT" if replace and first else "POST"
                client.request(method, target.write_url, batch.body(),
                               {"Content-Type": NTRIPLES}, params={"graph": graph})
            else:
                body = update_text(graph, batch, drop=replace and first)
                client.request("POST", target.write_url, body, {"Content-Type": SPARQL_UPDATE})
        except HttpStatusError as err:
            hint = _WRITE_HINTS.get(target.protocol) if err.status in (404, 405, 501) else None
            raise EndpointError(f"loading graph <{graph}>: {err}{hint or ''}") from None
        except EndpointError as err:
            raise EndpointError(f"loading graph <{graph}>: {err}") from None
        sent += len(batch.lines)
        requests += 1
    return sent, requests


_WRITE_HINTS = {
    "gsp": " (is --graph-store the store's Graph Store Protocol URL? "
           "Without one, use --protocol update)",
    "update": " (is --update-endpoint the store's SPARQL Update URL?)",
}


# --- counting ----------------------------------------------------------------------------


def count_query_text() -> str:
    """The text of ``polgraph/queries/internal/graph-counts.rq``."""
    path = resources.files("polgraph") / "queries" / "internal" / "graph-counts.rq"
    return path.read_text(encoding="utf-8")


def bind_graphs(query: str, graphs: Iterable[str]) -> str:
    """``query`` with ``VALUES ?graph { … }`` first in its main (WHERE) group."""
    values = "VALUES ?graph { " + " ".join(_iri(graph) for graph in graphs) + " }"
    at = main_group_start(query)
    return f"{query[:at]}\n  {values}{query[at:]}"


def remote_counts(client: HttpClient, endpoint: str, graphs: list[str]) -> dict[str, int]:
    """Triples per graph in the store, through its query endpoint (0 for a missing graph)."""
    query = count_query_text()
    counts = dict.fromkeys(graphs, 0)
    for start in range(0, len(graphs), COUNT_BATCH):
        text = bind_graphs(query, graphs[start : start + COUNT_BATCH])
        body = urllib.parse.urlencode({"query": text}).encode()
        try:
            answer = client.request(
                "POST",
                endpoint,
                body,
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON},
            )
        except EndpointError as err:
            raise EndpointError(
                f"counting the loaded graphs through the query endpoint (--endpoint): {err}"
            ) from None
        try:
            bindings = json.loads(answer.body)["results"]["bindings"]
            for row in bindings:
                counts[row["graph"]["value"]] = int(row["triples"]["value"])
        except (ValueError, KeyError, TypeError) as err:
            raise EndpointError(
                f"POST {redact(endpoint)}: not a SPARQL JSON result for the count query "
                f"({type(err).__name__}: {err}); is this the query endpoint?"
            ) from None
    return counts


# --- the whole load ----------------------------------------------------------------------


@dataclass(frozen=True)
class GraphCount:
    """One named graph: triples in the build and in the store after the load.

    After a replacing load the two must be equal; after ``--append`` the store may hold
    more (what the graph had before), never fewer.
    """

    graph: str
    build: int
    store: int | None = None
    exact: bool = True

    @property
    def matches(self) -> bool:
        if self.store is None:
            return True  # not checked
        return self.store == self.build if self.exact else self.store >= self.build


@dataclass
class LoadReport:
    """What a load did and what the store holds afterwards."""

    target: Target
    graphs: list[GraphCount]
    requests: int
    replace: bool = True

    @property
    def triples(self) -> int:
        return sum(count.build for count in self.graphs)

    @property
    def mismatches(self) -> list[GraphCount]:
        return [count for count in self.graphs if not count.matches]


#: Called after each graph: (graphs done, graphs in all, graph IRI, its triples).
Progress = Callable[[int, int, str, int], None]


def load_build(
    build_dir: Path,
    target: Target,
    client: HttpClient,
    *,
    replace: bool = True,
    batch_size: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    check: bool = True,
    progress: Progress | None = None,
) -> LoadReport:
    """Send every named graph of the build to the store, then count each one there.

    Raises :class:`EndpointError` (naming the graph) when the store cannot be reached or
    refuses a request; a count mismatch is not an error here but in
    :attr:`LoadReport.mismatches`.
    """
    source = open_build(build_dir)
    try:
        graphs = source.graphs()
        if not graphs:
            raise UsageError(f"the build in {build_dir} has no named graphs to load")
        counts: list[GraphCount] = []
        requests = 0
        for index, graph in enumerate(graphs, start=1):
            sent, made = send_graph(
                client,
                target,
                graph,
                lambda graph=graph: source.triples(graph),
                replace=replace,
                batch_size=batch_size,
                max_bytes=max_bytes,
            )
            counts.append(GraphCount(graph, sent))
            requests += made
            if progress is not None:
                progress(index, len(graphs), graph, sent)
    finally:
        source.close()
    if check:
        stored = remote_counts(client, target.endpoint, graphs)
        counts = [GraphCount(c.graph, c.build, stored[c.graph], replace) for c in counts]
    return LoadReport(target, counts, requests, replace)
