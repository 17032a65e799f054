"""Real SPARQL servers for the tests, and a small build to load into them.

* :class:`OxigraphServer`: ``oxigraph serve`` (the ``oxigraph`` package) on a free loopback
  port over a temporary location, with the union default graph.
* :class:`VirtuosoServer`: Virtuoso Open Source from Debian (``virtuoso-t``, installed by
  ``.ci/install-debian-packages``), with its own ini file, database and free ports in a
  temporary folder. After start it creates the user ``polgraph`` with SPARQL Update rights,
  for ``/sparql-auth`` and ``/sparql-graph-crud-auth`` (HTTP Digest), and grants SPARQL
  Update to the anonymous ``SPARQL`` user, which opens ``/sparql`` (update) and
  ``/sparql-graph-crud`` (Graph Store Protocol) without credentials (see docs/stores.md).
* :func:`write_build`: a build folder (``graph.trig``, sorted ``graph.nq``, ``store/``) from
  :data:`FIXTURE_TRIG`, a few invented articles shaped as in docs/graph-model.md.

Every server waits until its port accepts (with a timeout) and is stopped by ``stop()``,
which the fixtures call in their finalizers.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pyoxigraph

from polgraph.graphs.serve import oxigraph_binary

HOST = "127.0.0.1"
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
NO_VIRTUOSO = (
    "Virtuoso Open Source is not installed (virtuoso-t or isql-vt not on PATH): "
    "run .ci/install-debian-packages"
)


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    """Return once ``port`` accepts connections; fail with the server's log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}): {_tail(log)}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server not listening on {port} after {timeout} s: {_tail(log)}")


def _tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_process(process: subprocess.Popen | None, timeout: float = 5.0) -> None:
    """Terminate, then kill if it does not go."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class OxigraphServer:
    """``oxigraph serve --union-default-graph`` over ``location``, on a free loopback port."""

    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = Path(location)
        self.port = port or free_port()
        self.log = self.location.parent / f"{self.location.name}-oxigraph.log"
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    def start(self) -> OxigraphServer:
        command = [oxigraph_binary(), "serve", "--location", str(self.location),
                   "--bind", f"{HOST}:{self.port}", "--union-default-graph"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, self.log)
        return self

    def kill(self) -> None:
        """Stop at once, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = {host}:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = .

[HTTPServer]
ServerPort            = {host}:{http_port}
ServerRoot            = {folder}
ServerThreads         = 4
MaxClientConnections  = 4
Charset               = UTF-8

[SPARQL]
ResultSetMaxRows        = 100000
MaxQueryExecutionTime   = 60
"""

#: The user the tests load as over Virtuoso's Digest-authenticated endpoints.
VIRTUOSO_USER, VIRTUOSO_PASSWORD = "polgraph", "loader-pw"
#: What the tests' Virtuoso runs once, as dba, after it starts: a loading user with update
#: rights (for /sparql-auth and /sparql-graph-crud-auth), and update rights for the
#: anonymous SPARQL user (for /sparql and /sparql-graph-crud; never on a shared server).
VIRTUOSO_SETUP = (
    f"DB.DBA.USER_CREATE ('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}'); "
    f'GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}"; '
    'GRANT SPARQL_UPDATE TO "SPARQL";'
)


class VirtuosoServer:
    """Virtuoso Open Source in ``folder``: its own ini, database and free loopback ports."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.sql_port = free_port()
        self.http_port = free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        self.log = self.folder / "stdout.log"
        self.process: subprocess.Popen | None = None

    @property
    def sparql(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql"

    @property
    def sparql_auth(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql-auth"

    @property
    def graph_crud(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql-graph-crud"

    @property
    def graph_crud_auth(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql-graph-crud-auth"

    def start(self) -> VirtuosoServer:
        assert VIRTUOSO is not None, NO_VIRTUOSO
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(folder=self.folder, host=HOST,
                                           sql_port=self.sql_port, http_port=self.http_port))
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [VIRTUOSO, "+foreground", "+configfile", str(ini)],
                cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        wait_for_port(self.http_port, self.process, self.log, timeout=60)
        wait_for_port(self.sql_port, self.process, self.log, timeout=60)
        self._wait_for_sparql()
        self.isql(VIRTUOSO_SETUP)
        return self

    def _wait_for_sparql(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.sparql}?query=ASK%7B%7D"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.1)

    def isql(self, sql: str) -> str:
        """Run SQL as dba through Virtuoso's isql client."""
        assert ISQL is not None, "isql-vt not found beside virtuoso-t"
        done = subprocess.run(
            [ISQL, f"{HOST}:{self.sql_port}", "dba", "dba", f"exec={sql}"],
            capture_output=True, text=True, timeout=30, check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def drop_graphs(self, graphs: list[str]) -> None:
        """Remove these graphs (a clean slate for the next test on the same server)."""
        if graphs:
            self.isql(" ".join(f"SPARQL CLEAR GRAPH <{graph}>;" for graph in graphs))

    def stop(self) -> None:
        stop_process(self.process, timeout=10)
        self.process = None


# --- a small build ------------------------------------------------------------------------

ID = "https://w3id.org/polgraph/id/"

FIXTURE_TRIG = r"""
@prefix pol:     <https://w3id.org/polgraph/ontology#> .
@prefix id:      <https://w3id.org/polgraph/id/> .
@prefix schema:  <http://schema.org/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

id:graph\/hand\/people {
    id:graph\/hand\/people a pol:CuratedGraph ; dcterms:source "people.ttl" .
    id:person\/mara-kettleby a pol:Person ; rdfs:label "Mara Kettleby" ;
        skos:altLabel "Kettleby" ; pol:curatedIn id:graph\/hand\/people ;
        schema:address [ schema:addressLocality "Northam" ; schema:postalCode "NR1" ] .
    id:person\/tobias-wrenfield a pol:Person ; rdfs:label "Tobias Wrenfield" ;
        pol:curatedIn id:graph\/hand\/people .
    id:party\/labour-party a pol:PoliticalParty ; rdfs:label "Labour Party" ;
        skos:altLabel "Labour" , "Labour"@en-GB ; pol:curatedIn id:graph\/hand\/people .
    id:party\/conservative-party a pol:PoliticalParty ; rdfs:label "Conservative Party" ;
        pol:curatedIn id:graph\/hand\/people .
    id:council\/northam-council a pol:Council ; rdfs:label "Northam Council" ;
        pol:curatedIn id:graph\/hand\/people .
    id:media\/the-northam-echo a pol:MediaOutlet ; rdfs:label "The Northam Echo" ;
        pol:curatedIn id:graph\/hand\/people .
    id:ward\/easton a pol:Ward ; rdfs:label "Easton" ; pol:curatedIn id:graph\/hand\/people .
    pol:WonControl skos:notation "won-control" .
    pol:SeatCount skos:notation "seat-count" .
    pol:SuspensionType skos:notation "suspension" .
}

id:graph\/article\/northam-vote {
    id:article\/northam-vote a pol:Article ; pol:articleId "northam-vote" ;
        schema:headline "Labour wins Northam" ;
        schema:datePublished "2019-05-03"^^xsd:date ;
        schema:publisher id:media\/the-northam-echo ;
        schema:text '''Labour won control of Northam Council. Mara Kettleby said: "We listened."
A new line, a tab\tand \u00e9l\u00e8ve.''' ;
        schema:mentions id:party\/labour-party , id:council\/northam-council ,
                        id:person\/mara-kettleby .
    id:statement\/northam-vote\/1 a pol:Statement ; pol:text "We listened." ;
        pol:direct true ; pol:speaker id:person\/mara-kettleby ;
        pol:medium id:media\/the-northam-echo ;
        pol:reportedIn id:article\/northam-vote ;
        pol:evidence id:evidence\/northam-vote\/statement\/1 .
    id:evidence\/northam-vote\/statement\/1 a pol:Evidence ;
        oa:hasSource id:article\/northam-vote ;
        pol:sentence "Mara Kettleby said: \"We listened.\"" ;
        pol:confidence "0.92"^^xsd:decimal .
    id:membership\/northam-vote\/1 a pol:Membership ;
        org:member id:person\/mara-kettleby ; org:organization id:party\/labour-party ;
        pol:roleName "council leader" ; pol:reportedIn id:article\/northam-vote .
    id:result\/northam-vote\/1 a pol:ElectionResult , pol:ControlResult ;
        pol:resultKind pol:WonControl ; pol:inElection id:election\/local\/2019 ;
        pol:area id:council\/northam-council ; pol:party id:party\/labour-party ;
        pol:reportedIn id:article\/northam-vote .
    id:election\/local\/2019 a pol:Election ; rdfs:label "2019 local elections" .
}

id:graph\/article\/easton-byelection {
    id:article\/easton-byelection a pol:Article ; pol:articleId "easton-byelection" ;
        schema:text "The Conservatives now hold 12 seats. \"It was close,\" one source said." ;
        schema:mentions id:party\/conservative-party , id:ward\/easton .
    id:result\/easton-byelection\/1 a pol:ElectionResult , pol:SeatCountResult ;
        pol:resultKind pol:SeatCount ; pol:seats 12 ;
        pol:area id:ward\/easton ; pol:party id:party\/conservative-party ;
        pol:reportedIn id:article\/easton-byelection .
    id:statement\/easton-byelection\/1 a pol:Statement ; pol:text "It was close," ;
        pol:direct true ; pol:unattributed true ;
        pol:speakerDescription "one source" ;
        pol:reportedIn id:article\/easton-byelection .
}

id:graph\/article\/wrenfield-suspension {
    id:article\/wrenfield-suspension a pol:Article ; pol:articleId "wrenfield-suspension" ;
        schema:text "Tobias Wrenfield was suspended by the Labour Party on 5 April 2017." ;
        schema:mentions id:person\/tobias-wrenfield , id:party\/labour-party .
    id:event\/wrenfield-suspension\/1 a pol:Event , pol:Suspension ;
        pol:eventType pol:SuspensionType ; pol:subject id:person\/tobias-wrenfield ;
        schema:startDate "2017-04-05"^^xsd:date ; pol:datePrecision "day" ;
        pol:reportedIn id:article\/wrenfield-suspension .
    id:membership\/wrenfield-suspension\/1 a pol:Membership ;
        org:member id:person\/tobias-wrenfield ; org:organization id:party\/labour-party ;
        pol:suspended true ; pol:reportedIn id:article\/wrenfield-suspension .
}

id:graph\/resolution {
    id:person\/mara-kettleby owl:sameAs id:person\/northam-vote\/mara .
}
"""


def write_build(folder: Path, trig: str = FIXTURE_TRIG) -> Path:
    """A build folder like 'polgraph build' makes: graph.trig, sorted graph.nq, store/."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.trig").write_text(trig, encoding="utf-8")
    quads = list(pyoxigraph.parse(trig, format=pyoxigraph.RdfFormat.TRIG))
    lines = sorted({f"{quad} .\n" for quad in quads})
    (folder / "graph.nq").write_text("".join(lines), encoding="utf-8")
    store = pyoxigraph.Store(str(folder / "store"))
    store.bulk_extend(quads)
    store.flush()
    del store
    return folder


def build_counts(folder: Path) -> dict[str, int]:
    """Triples per named graph of a build, from its graph.nq."""
    counts: dict[str, int] = {}
    for quad in pyoxigraph.parse(path=str(Path(folder) / "graph.nq"),
                                 format=pyoxigraph.RdfFormat.N_QUADS):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts
