"""Loading a build into a SPARQL store over HTTP, and checking it arrived.

Three ways to send it (``protocol``), over kept-alive connections
(:class:`~polgraph.graphs.http.HttpClient`):

``dataset``
    The build's ``graph.nq`` is streamed as N-Quads, in requests of at most ``batch_size``
    quads and ``max_bytes`` bytes, each a ``POST`` to the store's dataset URL (the Graph Store
    URL without ``?graph``), which adds them. Oxigraph gets ``?no_transaction``, so each
    request goes through its bulk loader, as ``oxigraph load`` does, and
    :data:`DATASET_CONNECTIONS` requests are in flight at once; the next request is read from
    the file (and its quads counted per graph) in a thread meanwhile. Replacing comes after:
    adding is a set union, so a graph of the store holds more triples than the build's graph
    exactly when it kept triples of an earlier load that the build no longer has. The count
    check finds those graphs; they are dropped (SPARQL Update ``DROP SILENT GRAPH``, or a
    Graph Store ``DELETE`` without an update URL) and their quads sent again. A fresh store,
    or the same build loaded again, drops nothing.
``gsp``
    Each named graph goes over the SPARQL 1.1 Graph Store HTTP Protocol: the first request
    of a graph is a ``PUT`` (it replaces the graph), the rest of it ``POST`` (append);
    ``--append`` posts every request. For stores whose Graph Store Protocol takes one graph
    per request (Virtuoso).
``update``
    For stores without the Graph Store Protocol: ``DROP SILENT GRAPH`` (with replace) and
    ``INSERT DATA`` in batches, through the SPARQL 1.1 Update endpoint.

``auto`` (the default) first sends ``polgraph/queries/internal/store-probe.rq`` through the
query endpoint, which fails early when the store is down or the endpoint wrong, and reads the
``Server`` header: ``dataset`` for Oxigraph, ``gsp`` otherwise (``update`` when there is no
Graph Store URL). Afterwards ``polgraph/queries/internal/graph-counts.rq`` counts the triples
of the build's graphs through the query endpoint, :data:`COUNT_BATCH` graphs per query, and
every count is compared with the build.

Blank nodes: a blank node sent in two requests may become two nodes, so every line with a
blank node (``_:`` anywhere in it) goes in one request: the last one (``dataset``) or the first
of its graph (``gsp``, ``update``: with the ``PUT``, or ``DROP`` + ``INSERT`` in one update, so
a retried request cannot double it). The other requests only hold ground quads, which the
store keeps as a set, so retrying one of them is harmless.

Reading the build for ``gsp`` and ``update`` (:class:`StoreSource`, :class:`NQuadsSource`):
from the build's on-disk Oxigraph store when it is there, each graph dumped by Oxigraph as
N-Triples into a temporary file (one range scan of its graph-first index); a build handed on
as ``graph.nq`` alone is split once, byte by byte, into one temporary N-Triples file per graph.
``dataset`` reads ``graph.nq`` (or a temporary dump of the store without it). Memory holds the
requests in flight and the next one, and the lines with blank nodes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import tempfile
import urllib.parse
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, Protocol, TypeVar

import pyoxigraph

from polgraph.errors import EndpointError, UsageError
from polgraph.graphs.http import HttpClient, HttpStatusError, redact
from polgraph.graphs.store import STORE_FOLDER
from polgraph.queries.sparqltext import main_group_start

NQUADS_FILE = "graph.nq"
NTRIPLES = "application/n-triples"
NQUADS = "application/n-quads"
SPARQL_UPDATE = "application/sparql-update"
SPARQL_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
PROTOCOLS = ("auto", "dataset", "gsp", "update")

#: Quads per request. Graph Store Protocol and N-Quads bodies are parsed as a stream by every
#: server; SPARQL Update text is compiled whole (Virtuoso fails on very long INSERT DATA).
DEFAULT_BATCH = {"dataset": 250_000, "gsp": 10_000, "update": 1_000}
#: Bytes per request, whatever the number of quads (long article texts are large literals).
DEFAULT_MAX_BYTES = {"dataset": 8 * 1024 * 1024, "gsp": 4 * 1024 * 1024,
                     "update": 4 * 1024 * 1024}
#: Graphs counted per query after the load, and dropped per update before it.
COUNT_BATCH = 1000
DROP_BATCH = 1000
#: ``dataset`` requests in flight at once into Oxigraph (each parsed on its own thread; more
#: than the cores helps, as a request also waits for its bulk load to be written).
DATASET_CONNECTIONS = 3

T = TypeVar("T")


# --- reading the build, one graph at a time ----------------------------------------------


class BuildSource(Protocol):
    """The named graphs of a build, each readable (more than once) as N-Triples lines."""

    def graphs(self) -> list[str]:
        """The IRIs of the build's named graphs, sorted."""

    def total(self) -> int:
        """The number of quads of the build."""

    def ntriples(self, graph: str) -> Path | None:
        """A file with the N-Triples of one named graph (valid until the next call)."""

    def close(self) -> None:
        """Release the store and the temporary files."""


class StoreSource:
    """The build's Oxigraph store, opened read-only; each graph dumped by Oxigraph."""

    def __init__(self, path: Path) -> None:
        try:
            self._store: pyoxigraph.Store | None = pyoxigraph.Store.read_only(str(path))
        except OSError as err:
            raise UsageError(f"cannot open the build's store {path}: {err}") from None
        self._folder = Path(tempfile.mkdtemp(prefix="polgraph-load-"))

    def graphs(self) -> list[str]:
        assert self._store is not None
        return sorted(
            graph.value
            for graph in self._store.named_graphs()
            if isinstance(graph, pyoxigraph.NamedNode)
        )

    def total(self) -> int:
        assert self._store is not None
        return len(self._store)

    def ntriples(self, graph: str) -> Path:
        assert self._store is not None
        file = self._folder / "graph.nt"
        self._store.dump(str(file), pyoxigraph.RdfFormat.N_TRIPLES,
                         from_graph=pyoxigraph.NamedNode(graph))
        return file

    def close(self) -> None:
        self._store = None
        shutil.rmtree(self._folder, ignore_errors=True)


class NQuadsSource:
    """``graph.nq`` split once into one temporary N-Triples file per named graph."""

    #: How many per-graph files stay open while splitting; the others are reopened to append.
    MAX_OPEN = 64

    def __init__(self, path: Path) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="polgraph-load-"))
        self._files: dict[str, Path] = {}
        self._total = 0
        try:
            self._split(path)
        except BaseException:
            self.close()
            raise

    def _split(self, path: Path) -> None:
        handles: OrderedDict[bytes, IO[bytes]] = OrderedDict()
        try:
            with path.open("rb") as nquads:
                for line in nquads:
                    found = graph_of(line)
                    if found is None:
                        continue  # the contract puts every triple in a named graph
                    graph, cut = found
                    handle = handles.pop(graph, None)
                    if handle is None:
                        if len(handles) >= self.MAX_OPEN:
                            handles.popitem(last=False)[1].close()
                        handle = self._open(graph.decode("utf-8", errors="replace"))
                    handles[graph] = handle
                    handle.write(line[:cut] + b" .\n")
                    self._total += 1
        finally:
            for handle in handles.values():
                handle.close()

    def _open(self, graph: str) -> IO[bytes]:
        file = self._files.setdefault(graph, self._folder / f"{len(self._files)}.nt")
        return file.open("ab")

    def graphs(self) -> list[str]:
        return sorted(self._files)

    def total(self) -> int:
        return self._total

    def ntriples(self, graph: str) -> Path | None:
        return self._files.get(graph)

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


def open_build(build_dir: Path) -> BuildSource:
    """The build's store when it has one, else its ``graph.nq``; a clear error for neither."""
    build_dir = Path(build_dir)
    if (build_dir / STORE_FOLDER).is_dir():
        return StoreSource(build_dir / STORE_FOLDER)
    if (build_dir / NQUADS_FILE).is_file():
        return NQuadsSource(build_dir / NQUADS_FILE)
    raise _no_build(build_dir)


@contextlib.contextmanager
def dataset_file(build_dir: Path) -> Iterator[Path]:
    """The build as one N-Quads file: its ``graph.nq``, else a temporary dump of its store."""
    build_dir = Path(build_dir)
    if (build_dir / NQUADS_FILE).is_file():
        yield build_dir / NQUADS_FILE
        return
    if not (build_dir / STORE_FOLDER).is_dir():
        raise _no_build(build_dir)
    folder = Path(tempfile.mkdtemp(prefix="polgraph-load-"))
    try:
        try:
            store = pyoxigraph.Store.read_only(str(build_dir / STORE_FOLDER))
        except OSError as err:
            raise UsageError(f"cannot open the build's store {build_dir / STORE_FOLDER}: "
                             f"{err}") from None
        store.dump(str(folder / NQUADS_FILE), pyoxigraph.RdfFormat.N_QUADS)
        del store
        yield folder / NQUADS_FILE
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _no_build(build_dir: Path) -> UsageError:
    return UsageError(
        f"no build in {build_dir} (neither {STORE_FOLDER}/ nor {NQUADS_FILE}): "
        "run 'polgraph build' first, or pass --build DIR"
    )


def graph_of(line: bytes) -> tuple[bytes, int] | None:
    """The graph IRI of an N-Quads line and where its triple ends (the space before the graph).

    ``None`` for a line with no IRI as its last term before the dot: empty lines, comments,
    a blank-node graph, a triple with a literal object in the default graph. (A default-graph
    triple with an IRI object cannot be told from a quad without a full parse; the build never
    writes one, and the count check after the load would name it.)
    """
    if line.endswith(b"> .\n"):  # what polgraph build (and Oxigraph) writes
        end = len(line) - 4
    else:
        stripped = line.rstrip()
        if not stripped.endswith(b"."):
            return None
        stripped = stripped[:-1].rstrip()
        if not stripped.endswith(b">"):
            return None
        end = len(stripped) - 1
    start = line.rfind(b"<", 0, end)
    if start < 1 or line[start - 1] not in b" \t":
        return None
    return line[start + 1 : end], start - 1


def has_blank_node(line: bytes) -> bool:
    """Whether the line may hold a blank node (``_:`` anywhere: a literal may make it wrongly
    so, which only puts the line in the request of the blank nodes)."""
    return b"_:" in line


# --- where to send it --------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The store's endpoints: SPARQL query, Graph Store Protocol, SPARQL Update.

    ``server`` is the store's ``Server`` header once :func:`choose_protocol` has asked.
    """

    endpoint: str
    graph_store: str | None = None
    update: str | None = None
    protocol: str = "auto"
    server: str = ""

    @property
    def write_url(self) -> str:
        """The URL the graphs are sent to."""
        url = self.update if self.protocol == "update" else self.graph_store
        assert url is not None
        return url

    @property
    def is_oxigraph(self) -> bool:
        """Whether the store said it is an Oxigraph server."""
        return self.server.lower().startswith("oxigraph")


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
    protocol: str = "auto",
) -> Target:
    """The :class:`Target` for the options given; :class:`UsageError` when one is missing."""
    if protocol not in PROTOCOLS:
        raise UsageError(f"--protocol must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise UsageError(f"--endpoint {redact(endpoint)}: not an http(s) URL")
    derived_store, derived_update = derive_endpoints(endpoint)
    target = Target(endpoint, graph_store or derived_store, update or derived_update, protocol)
    needs_store = protocol in ("gsp", "dataset") or (protocol == "auto" and target.update is None)
    if needs_store and target.graph_store is None:
        raise UsageError(
            f"cannot tell the graph store URL of {redact(endpoint)}: pass --graph-store URL "
            "(or --protocol update)"
        )
    if protocol == "update" and target.update is None:
        raise UsageError(
            f"cannot tell the SPARQL Update URL of {redact(endpoint)}: pass --update-endpoint URL"
        )
    return target


def probe_query_text() -> str:
    """The text of ``polgraph/queries/internal/store-probe.rq``."""
    return _internal_query("store-probe")


def choose_protocol(client: HttpClient, target: Target) -> Target:
    """``target`` with the server that answers it, and a protocol other than ``auto``.

    Sends the probe query through the query endpoint: an unreachable store or a wrong
    endpoint fails here, before anything is written.
    """
    body = urllib.parse.urlencode({"query": probe_query_text()}).encode()
    try:
        answer = client.request("POST", target.endpoint, body,
                                {"Content-Type": FORM, "Accept": SPARQL_JSON})
    except EndpointError as err:
        raise EndpointError(
            f"asking the query endpoint (--endpoint) before loading: {err}"
        ) from None
    target = dataclasses.replace(target, server=answer.server)
    if target.protocol == "auto":
        if target.graph_store is None:
            protocol = "update"
        else:
            protocol = "dataset" if target.is_oxigraph else "gsp"
        target = dataclasses.replace(target, protocol=protocol)
    return target


# --- one graph at a time (gsp, update) ---------------------------------------------------


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
    lines: Callable[[], Iterable[bytes]], batch_size: int, max_bytes: int
) -> Iterator[Batch]:
    """One graph's N-Triples lines cut into requests; all blank-node lines in the first one.

    ``lines`` is called twice: once for the blank-node lines, once for the rest. Empty lines
    are left out.
    """
    first = Batch()
    for line in lines():
        if line.strip() and has_blank_node(line):
            first.add(_ended(line))
            first.blank = True
    batch = first
    for line in lines():
        if not line.strip() or has_blank_node(line):
            continue
        line = _ended(line)
        if batch.lines and (len(batch.lines) >= batch_size or batch.size + len(line) > max_bytes):
            yield batch
            batch = Batch()
        batch.add(line)
    if batch.lines:
        yield batch


def _ended(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


def _iri(graph: str) -> str:
    return f"<{graph}>"


def drop_text(graphs: Iterable[str]) -> str:
    """A SPARQL Update that empties each of ``graphs`` (``DROP SILENT GRAPH``)."""
    return " ;\n".join(f"DROP SILENT GRAPH {_iri(graph)}" for graph in graphs) + "\n"


def update_text(graph: str, batch: Batch, *, drop: bool) -> bytes:
    """A SPARQL Update request inserting ``batch`` into ``graph``.

    Blank nodes are not allowed in ``INSERT DATA`` by some stores (Virtuoso), so a batch with
    blank nodes is sent as ``INSERT { … } WHERE {}``, which means the same.
    """
    head = drop_text([graph]).rstrip("\n") + " ;\n" if drop else ""
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
    lines: Callable[[], Iterable[bytes]],
    *,
    replace: bool = True,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    sent_callback: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Send one named graph (``gsp`` or ``update``); ``(triples sent, requests made)``."""
    protocol = target.protocol
    size = batch_size or DEFAULT_BATCH[protocol]
    limit = max_bytes or DEFAULT_MAX_BYTES[protocol]
    sent = requests = 0
    for batch in batches(lines, size, limit):
        first = requests == 0
        try:
            if protocol == "gsp":
                method = "PUT" if replace and first else "POST"
                client.request(method, target.write_url, batch.body(),
                               {"Content-Type": NTRIPLES}, params={"graph": graph})
            else:
                body = update_text(graph, batch, drop=replace and first)
                client.request("POST", target.write_url, body, {"Content-Type": SPARQL_UPDATE})
        except HttpStatusError as err:
            hint = _WRITE_HINTS.get(protocol) if err.status in (404, 405, 501) else None
            raise EndpointError(f"loading graph <{graph}>: {err}{hint or ''}") from None
        except EndpointError as err:
            raise EndpointError(f"loading graph <{graph}>: {err}") from None
        sent += len(batch.lines)
        requests += 1
        if sent_callback is not None:
            sent_callback(len(batch.lines))
    return sent, requests


_WRITE_HINTS = {
    "gsp": " (is --graph-store the store's Graph Store Protocol URL? "
           "Without one, use --protocol update)",
    "update": " (is --update-endpoint the store's SPARQL Update URL?)",
    "dataset": " (does --graph-store take N-Quads for the whole dataset? "
               "If not, use --protocol gsp)",
}


def _file_lines(file: Path | None) -> Callable[[], Iterable[bytes]]:
    def lines() -> Iterator[bytes]:
        if file is None:
            return
        with file.open("rb") as handle:
            yield from handle

    return lines


# --- the whole dataset as N-Quads (dataset) ----------------------------------------------


@dataclass
class QuadBatch:
    """The N-Quads of one ``dataset`` request, their count per graph, and where they are from."""

    body: bytes
    quads: int
    graphs: Counter[str]
    where: str
    blank: bool = False


def quad_batches(path: Path, batch_size: int, max_bytes: int,
                 only: set[bytes] | None = None) -> Iterator[QuadBatch]:
    """``graph.nq`` cut into requests of whole lines, the lines with blank nodes last.

    The file is read ``max_bytes`` at a time; lines with no named graph (see :func:`graph_of`)
    are left out, and so are the lines of graphs not in ``only`` when it is given. The
    request of the blank-node lines may be larger than ``max_bytes``.
    """
    held: list[bytes] = []
    held_graphs: Counter[bytes] = Counter()
    line_number = 0
    with path.open("rb") as nquads:
        while block := nquads.read(max_bytes):
            if not block.endswith(b"\n"):
                block += nquads.readline()
                if not block.endswith(b"\n"):  # the last line, without its newline
                    block += b"\n"
            lines = block.splitlines(keepends=True)
            blanks = has_blank_node(block)
            for start in range(0, len(lines), batch_size):
                chunk = lines[start : start + batch_size]
                kept: list[bytes] = []
                graphs: Counter[bytes] = Counter()
                for line in chunk:
                    found = graph_of(line)
                    if found is None or (only is not None and found[0] not in only):
                        continue
                    if blanks and has_blank_node(line):
                        held.append(line)
                        held_graphs[found[0]] += 1
                    else:
                        kept.append(line)
                        graphs[found[0]] += 1
                if kept:
                    first = line_number + start + 1
                    yield QuadBatch(b"".join(kept), len(kept), _decoded(graphs),
                                    f"lines {first}-{first + len(chunk) - 1}")
            line_number += len(lines)
    if held:
        yield QuadBatch(b"".join(held), len(held), _decoded(held_graphs),
                        f"the {len(held)} lines with blank nodes", blank=True)


def _decoded(graphs: Counter[bytes]) -> Counter[str]:
    return Counter({graph.decode("utf-8", errors="replace"): count
                    for graph, count in graphs.items()})


_END = object()


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """``items``, the next one computed in a thread while the caller works on this one."""
    with ThreadPoolExecutor(1, thread_name_prefix="polgraph-load-read") as pool:
        pending = pool.submit(next, items, _END)
        try:
            while (item := pending.result()) is not _END:
                pending = pool.submit(next, items, _END)
                yield item  # type: ignore[misc]
        finally:
            pending.cancel()
            with contextlib.suppress(BaseException):
                pending.result()  # the thread is done with ``items`` before it is closed
            close = getattr(items, "close", None)
            if close is not None:
                close()


def drop_graphs(client: HttpClient, target: Target, graphs: list[str]) -> int:
    """Empty ``graphs`` in the store (they are about to be loaded again); the requests made.

    One SPARQL Update of ``DROP SILENT GRAPH`` per :data:`DROP_BATCH` graphs when the store
    has an update URL, else a Graph Store ``DELETE`` per graph (a missing graph is fine).
    """
    requests = 0
    try:
        if target.update is not None:
            for start in range(0, len(graphs), DROP_BATCH):
                text = drop_text(graphs[start : start + DROP_BATCH])
                client.request("POST", target.update, text.encode(),
                               {"Content-Type": SPARQL_UPDATE})
                requests += 1
        else:
            assert target.graph_store is not None
            for graph in graphs:
                try:
                    client.request("DELETE", target.graph_store, params={"graph": graph})
                except HttpStatusError as err:
                    if err.status != 404:  # a graph the store does not have is fine
                        raise
                requests += 1
    except EndpointError as err:
        raise EndpointError(f"replacing the build's graphs in the store: {err}") from None
    return requests


def send_dataset(
    client: HttpClient,
    target: Target,
    path: Path,
    *,
    only: set[str] | None = None,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    connections: int | None = None,
    sent_callback: Callable[[int], None] | None = None,
) -> tuple[Counter[str], int]:
    """POST an N-Quads file to the store's dataset URL; ``(quads per graph, requests made)``.

    This adds to what the store holds (see :func:`load_build` for replacing); with ``only``,
    just the quads of those graphs are sent. Up to ``connections`` requests are in flight at
    once (:data:`DATASET_CONNECTIONS`: Oxigraph parses each on its own thread). The first
    request that fails stops the load (the ones in flight finish). ``sent_callback`` gets the
    bytes of each request once the store has taken it.
    """
    assert target.graph_store is not None
    size = batch_size or DEFAULT_BATCH["dataset"]
    limit = max_bytes or DEFAULT_MAX_BYTES["dataset"]
    if connections is None:
        connections = DATASET_CONNECTIONS if target.is_oxigraph else 1
    params = {"no_transaction": ""} if target.is_oxigraph else None
    wanted = {graph.encode("utf-8") for graph in only} if only is not None else None
    counts: Counter[str] = Counter()
    requests = 0

    def post(batch: QuadBatch) -> None:
        assert target.graph_store is not None
        try:
            client.request("POST", target.graph_store, batch.body,
                           {"Content-Type": NQUADS}, params=params)
        except HttpStatusError as err:
            hint = _WRITE_HINTS["dataset"] if err.status in (404, 405, 415, 501) else ""
            raise EndpointError(f"loading {path.name} ({batch.where}): {err}{hint}") from None
        except EndpointError as err:
            raise EndpointError(f"loading {path.name} ({batch.where}): {err}") from None

    in_flight: dict[Future[None], QuadBatch] = {}

    def settle(at_most: int) -> None:
        nonlocal requests
        while len(in_flight) > at_most:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                batch = in_flight.pop(future)
                future.result()  # the request's error, if any
                requests += 1
                counts.update(batch.graphs)
                if sent_callback is not None:
                    sent_callback(len(batch.body))

    batches = read_ahead(quad_batches(path, size, limit, wanted))
    with ThreadPoolExecutor(connections, thread_name_prefix="polgraph-load-send") as senders, \
            contextlib.closing(batches) as ahead:
        for batch in ahead:
            settle(connections - 1)
            in_flight[senders.submit(post, batch)] = batch
        settle(0)
    return counts, requests


# --- counting ----------------------------------------------------------------------------


def _internal_query(name: str) -> str:
    path = resources.files("polgraph") / "queries" / "internal" / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def count_query_text() -> str:
    """The text of ``polgraph/queries/internal/graph-counts.rq``."""
    return _internal_query("graph-counts")


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
            answer = client.request("POST", endpoint, body,
                                    {"Content-Type": FORM, "Accept": SPARQL_JSON})
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


class ProgressBar(Protocol):
    """What :func:`load_build` reports progress to (a ``tqdm`` bar is one)."""

    def update(self, n: int = 1) -> object:
        """``n`` more units sent."""

    def close(self) -> None:
        """Sending is over (called before the counts are checked)."""


#: ``bar(total, unit)``: a progress bar over ``total`` bytes (``"B"``, dataset) or triples.
BarFactory = Callable[[int | None, str], ProgressBar]


def load_build(
    build_dir: Path,
    target: Target,
    client: HttpClient,
    *,
    replace: bool = True,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    check: bool = True,
    bar: BarFactory | None = None,
) -> LoadReport:
    """Send every named graph of the build to the store, then count each one there.

    Raises :class:`EndpointError` (naming the graph or the lines) when the store cannot be
    reached or refuses a request; a count mismatch is not an error here but in
    :attr:`LoadReport.mismatches`.
    """
    build_dir = Path(build_dir)
    if not (build_dir / STORE_FOLDER).is_dir() and not (build_dir / NQUADS_FILE).is_file():
        raise _no_build(build_dir)
    target = choose_protocol(client, target)
    if target.protocol == "dataset":
        counts, requests = _load_dataset(client, target, build_dir, replace=replace,
                                         batch_size=batch_size, max_bytes=max_bytes, bar=bar)
    else:
        counts, requests = _send_graphs(client, target, build_dir, replace=replace,
                                        batch_size=batch_size, max_bytes=max_bytes, bar=bar)
    if not counts:
        raise UsageError(f"the build in {build_dir} has no named graphs to load")
    if not check:
        counts = [GraphCount(c.graph, c.build) for c in counts]  # not checked
    elif any(count.store is None for count in counts):  # not counted while loading
        stored = remote_counts(client, target.endpoint, [count.graph for count in counts])
        counts = [GraphCount(c.graph, c.build, stored[c.graph], replace) for c in counts]
    return LoadReport(target, counts, requests, replace)


def _load_dataset(client: HttpClient, target: Target, build_dir: Path, *, replace: bool,
                  batch_size: int | None, max_bytes: int | None,
                  bar: BarFactory | None) -> tuple[list[GraphCount], int]:
    """The ``dataset`` load: add every quad, count, then send again what must be replaced.

    Adding is a set union, so after it a graph holds the build's triples plus those of an
    earlier load that the build no longer has: its count is higher than the build's exactly
    when there are such triples. Those graphs (none on a fresh store, or when the same build
    is loaded again) are dropped and their quads sent again; then every count is known.
    """
    with dataset_file(build_dir) as path:
        sent, requests = _send_with_bar(client, target, path, None, batch_size, max_bytes, bar)
        graphs = sorted(sent)
        if not graphs:
            return [], requests
        if not replace:
            return [GraphCount(graph, sent[graph]) for graph in graphs], requests
        stored = remote_counts(client, target.endpoint, graphs)
        stale = [graph for graph in graphs if stored[graph] > sent[graph]]
        if stale:
            requests += drop_graphs(client, target, stale)
            _, made = _send_with_bar(client, target, path, set(stale), batch_size, max_bytes,
                                     bar)
            requests += made
            stored.update(remote_counts(client, target.endpoint, stale))
    return [GraphCount(graph, sent[graph], stored[graph]) for graph in graphs], requests


def _send_with_bar(client: HttpClient, target: Target, path: Path, only: set[str] | None,
                   batch_size: int | None, max_bytes: int | None,
                   bar: BarFactory | None) -> tuple[Counter[str], int]:
    progress = bar(path.stat().st_size, "B") if bar is not None else None
    try:
        return send_dataset(client, target, path, only=only, batch_size=batch_size,
                            max_bytes=max_bytes,
                            sent_callback=progress.update if progress is not None else None)
    finally:
        if progress is not None:
            progress.close()


def _send_graphs(client: HttpClient, target: Target, build_dir: Path, *, replace: bool,
                 batch_size: int | None, max_bytes: int | None,
                 bar: BarFactory | None) -> tuple[list[GraphCount], int]:
    """The ``gsp`` and ``update`` load: each graph of the build in turn."""
    source = open_build(build_dir)
    progress = None
    try:
        graphs = source.graphs()
        if not graphs:
            return [], 0
        progress = bar(source.total(), "triples") if bar is not None else None
        counts: list[GraphCount] = []
        requests = 0
        for graph in graphs:
            sent, made = send_graph(
                client, target, graph, _file_lines(source.ntriples(graph)),
                replace=replace, batch_size=batch_size, max_bytes=max_bytes,
                sent_callback=progress.update if progress else None,
            )
            counts.append(GraphCount(graph, sent))
            requests += made
        return counts, requests
    finally:
        source.close()
        if progress is not None:
            progress.close()
