"""Findings → triples: one named graph per article, every fact node with its evidence.

Knows nothing of spaCy: it reads :mod:`polgraph.extract.findings` and writes RDF following
docs/graph-model.md. All IRIs come from :mod:`polgraph.graphs.mint`.

The build writes an article's graph straight to N-Quads lines (:func:`article_nquads`), term
by term as rdflib's N-Triples serializer would, without building an rdflib graph: the lines
are byte-identical to serialising :func:`article_graph`, which parses those same lines into
an rdflib ``Graph`` for code that wants one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import PurePath

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from polgraph import __version__
from polgraph.extract.findings import (
    ArticleFindings,
    Election,
    Entity,
    Event,
    Evidence,
    Membership,
    Result,
    Statement,
)
from polgraph.extract.read import Article
from polgraph.graphs.mint import entity_iri, mint
from polgraph.graphs.vocab import OA, ORG, POL, SCHEMA, bind_prefixes

#: Entity kind → class (docs/graph-model.md, "Entities").
KIND_CLASSES: dict[str, URIRef] = {
    "person": POL.Person,
    "party": POL.PoliticalParty,
    "council": POL.Council,
    "party-body": POL.PartyBody,
    "media": POL.MediaOutlet,
    "community-group": POL.CommunityGroup,
    "parliament": POL.Legislature,
    "government": POL.GovernmentBody,
    "organisation": POL.Organisation,
    "ward": POL.Ward,
    "constituency": POL.Constituency,
    "council-area": POL.CouncilArea,
    "city": POL.City,
    "region": POL.Region,
    "country": POL.Country,
    "place": POL.Place,
}

#: Result kind → (concept, class).
RESULT_TERMS: dict[str, tuple[URIRef, URIRef]] = {
    "won-control": (POL.WonControl, POL.ControlResult),
    "retained-control": (POL.RetainedControl, POL.ControlResult),
    "lost-control": (POL.LostControl, POL.ControlResult),
    "no-overall-control": (POL.NoOverallControl, POL.ControlResult),
    "won-seat": (POL.WonSeat, POL.SeatResult),
    "lost-seat": (POL.LostSeat, POL.SeatResult),
    "held-seat": (POL.HeldSeat, POL.SeatResult),
    "gained-seats": (POL.GainedSeats, POL.SeatChange),
    "lost-seats": (POL.LostSeats, POL.SeatChange),
    "seat-count": (POL.SeatCount, POL.SeatCountResult),
    "turnout": (POL.TurnoutKind, POL.TurnoutResult),
}

#: Event type → (concept, class).
EVENT_TERMS: dict[str, tuple[URIRef, URIRef]] = {
    "election": (POL.ElectionType, POL.ElectionEvent),
    "suspension": (POL.SuspensionType, POL.Suspension),
    "expulsion": (POL.ExpulsionType, POL.Expulsion),
    "resignation": (POL.ResignationType, POL.Resignation),
    "visit": (POL.VisitType, POL.Visit),
    "ruling": (POL.RulingType, POL.Ruling),
    "review": (POL.ReviewType, POL.Review),
    "campaign": (POL.CampaignType, POL.Campaign),
    "report": (POL.ReportType, POL.Report),
    "vote": (POL.VoteType, POL.Vote),
    "apology-demand": (POL.ApologyDemandType, POL.ApologyDemand),
    "other": (POL.OtherType, POL.OtherEvent),
}

ELECTION_CLASSES: dict[str, URIRef] = {
    "local": POL.LocalElection,
    "general": POL.GeneralElection,
    "mayoral": POL.MayoralElection,
    "devolved": POL.DevolvedElection,
    "by-election": POL.ByElection,
    "assembly": POL.DevolvedElection,
}

#: What each extractor is, for its prov:SoftwareAgent node.
EXTRACTORS: dict[str, str] = {
    "mentions": "Entity mentions: gazetteer ruler, political forms, NER, in-article aliases",
    "quotes.direct": "Direct quotes by their marks, attributed from the speech cue",
    "quotes.reported": "Reported speech from the dependency parse",
    "quotes.echo": "Headline quotes attributed from the same words in the body",
    "roles": "Memberships and roles from appositions and premodifiers",
    "results": "Election results: control, seats, counts, turnout",
    "events": "Political events with normalised dates",
}


def graph_iri(article_id: str) -> URIRef:
    """The named graph of one article."""
    return mint("graph", "article", article_id)


def article_iri(article_id: str) -> URIRef:
    return mint("article", article_id)


# -- N-Triples terms ----------------------------------------------------------------------------
# Each term is written as rdflib's "nt" serializer writes it (rdflib.plugins.serializers.nt):
# an IRI in angle brackets; a literal's lexical form in double quotes with only backslash,
# line feed, double quote and carriage return escaped (every other character as it is, in
# UTF-8), then ``^^<datatype>``; a plain string literal (xsd:string) without a datatype.
# Lexical forms are rdflib's for the same Python values (rdflib.term._GenericPythonToXSDRules).

#: Characters rdflib will not write in an IRI (rdflib.term._invalid_uri_chars).
_NOT_IN_IRI = re.compile(r'[<>" {}|\\^`]')


def term(iri: str) -> str:
    """An IRI (a vocabulary term, a minted IRI) as an N-Triples term."""
    return f"<{iri}>"


def iri_term(iri: str) -> str:
    """An IRI from outside (an article's URL, a curated IRI) as an N-Triples term; refuses,
    as rdflib does, one with characters that no IRI may contain."""
    if _NOT_IN_IRI.search(iri):
        raise ValueError(f'"{iri}" does not look like a valid URI, I cannot serialize this '
                         "as N3/Turtle. Perhaps you wanted to urlencode it?")
    return f"<{iri}>"


def string_term(text: str) -> str:
    """A plain string literal."""
    escaped = (text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
               .replace("\r", "\\r"))
    return f'"{escaped}"'


_XSD_BOOLEAN = term(XSD.boolean)
_XSD_INTEGER = term(XSD.integer)
_XSD_DECIMAL = term(XSD.decimal)
_XSD_DATE = term(XSD.date)
_XSD_GYEAR = term(XSD.gYear)
_XSD_NON_NEGATIVE_INTEGER = term(XSD.nonNegativeInteger)
TRUE = f'"true"^^{_XSD_BOOLEAN}'
FALSE = f'"false"^^{_XSD_BOOLEAN}'


def value_term(value: str | bool | int) -> str:
    """A literal typed by its Python type: a plain string, xsd:boolean or xsd:integer."""
    if isinstance(value, str):
        return string_term(value)
    if isinstance(value, bool):
        return TRUE if value else FALSE
    if isinstance(value, int):
        return f'"{value}"^^{_XSD_INTEGER}'
    raise TypeError(f"no literal for {type(value).__name__} {value!r}")


@lru_cache(maxsize=4096)
def decimal_term(value: float) -> str:
    """An xsd:decimal rounded to four places (``0.9`` → ``"0.9"``, ``43`` → ``"43.0"``)."""
    return f'"{Decimal(str(round(float(value), 4))):f}"^^{_XSD_DECIMAL}'


def offset_term(value: int) -> str:
    """A character offset, an xsd:nonNegativeInteger."""
    return f'"{value}"^^{_XSD_NON_NEGATIVE_INTEGER}'


def date_term(value: date) -> str:
    """An xsd:date (ISO format)."""
    return f'"{value.isoformat()}"^^{_XSD_DATE}'


def year_term(year: int) -> str:
    """An xsd:gYear."""
    return f'"{year}"^^{_XSD_GYEAR}'


@lru_cache(maxsize=8192)
def entity_term(kind: str, name: str, scope: str | None = None) -> str:
    """The IRI of an entity (:func:`polgraph.graphs.mint.entity_iri`) as a term."""
    return term(entity_iri(kind, name, scope))


@lru_cache(maxsize=256)
def extractor_term(name: str) -> str:
    return term(mint("extractor", name))


def _terms(table: dict[str, tuple[URIRef, URIRef]]) -> dict[str, tuple[str, str]]:
    return {key: (term(concept), term(cls)) for key, (concept, cls) in table.items()}


_KIND_CLASS_TERMS = {kind: term(cls) for kind, cls in KIND_CLASSES.items()}
_ELECTION_CLASS_TERMS = {kind: term(cls) for kind, cls in ELECTION_CLASSES.items()}
_RESULT_TERMS = _terms(RESULT_TERMS)
_EVENT_TERMS = _terms(EVENT_TERMS)


class Vocab:
    """The classes and properties of the article graphs, as N-Triples terms."""

    a = term(RDF.type)
    label = term(RDFS.label)
    comment = term(RDFS.comment)
    alt_label = term(SKOS.altLabel)
    used = term(PROV.used)
    associated_with = term(PROV.wasAssociatedWith)
    generated_by = term(PROV.wasGeneratedBy)
    software_agent = term(PROV.SoftwareAgent)
    text = term(SCHEMA.text)
    headline = term(SCHEMA.headline)
    date_published = term(SCHEMA.datePublished)
    url = term(SCHEMA.url)
    publisher = term(SCHEMA.publisher)
    mentions = term(SCHEMA.mentions)
    start_date = term(SCHEMA.startDate)
    valid_from = term(SCHEMA.validFrom)
    valid_until = term(SCHEMA.validUntil)
    has_source = term(OA.hasSource)
    has_selector = term(OA.hasSelector)
    start = term(OA.start)
    end = term(OA.end)
    exact = term(OA.exact)
    position_selector = term(OA.TextPositionSelector)
    quote_selector = term(OA.TextQuoteSelector)
    member = term(ORG.member)
    organization = term(ORG.organization)
    Article = term(POL.Article)
    article_id = term(POL.articleId)
    source_file = term(POL.sourceFile)
    text_sha256 = term(POL.textSha256)
    MediaOutlet = term(POL.MediaOutlet)
    Extraction = term(POL.Extraction)
    model = term(POL.model)
    Mention = term(POL.Mention)
    mention_of = term(POL.mentionOf)
    mention_count = term(POL.mentionCount)
    surface_form = term(POL.surfaceForm)
    reported_in = term(POL.reportedIn)
    Election = term(POL.Election)
    year = term(POL.year)
    evidence = term(POL.evidence)
    Evidence = term(POL.Evidence)
    sentence = term(POL.sentence)
    extractor = term(POL.extractor)
    confidence = term(POL.confidence)
    version = term(POL.version)
    Statement = term(POL.Statement)
    statement_text = term(POL.text)
    direct = term(POL.direct)
    speaker = term(POL.speaker)
    unattributed = term(POL.unattributed)
    speaker_description = term(POL.speakerDescription)
    medium = term(POL.medium)
    about = term(POL.about)
    date = term(POL.date)
    Membership = term(POL.Membership)
    role_name = term(POL.roleName)
    area = term(POL.area)
    former = term(POL.former)
    suspended = term(POL.suspended)
    ElectionResult = term(POL.ElectionResult)
    result_kind = term(POL.resultKind)
    party = term(POL.party)
    in_election = term(POL.inElection)
    turnout = term(POL.turnout)
    seats = term(POL.seats)
    seats_contested = term(POL.seatsContested)
    Event = term(POL.Event)
    event_type = term(POL.eventType)
    subject = term(POL.subject)
    date_precision = term(POL.datePrecision)
    summary = term(POL.summary)
    Organisation = term(POL.Organisation)


_VERSION = string_term(__version__)


class ArticleGraphWriter:
    """Writes the named graph of one article from its findings, as N-Quads lines."""

    def __init__(self, article: Article, findings: ArticleFindings, model: str) -> None:
        self.article = article
        self.findings = findings
        self.model = model
        self.graph_name = graph_iri(article.id)
        self.quad_end = f" {term(self.graph_name)} ."
        self.article_node = term(article_iri(article.id))
        self.activity = term(mint("extraction", article.id))
        self.entities: dict[str, str] = {}
        self.elections: dict[str, Election] = {}
        for election in findings.elections:
            self.elections.setdefault(election.key, election)
        self.extractors: set[str] = set()
        self.quads: list[str] = []

    def add(self, s: str, p: str, o: str) -> None:
        """One triple of N-Triples terms, as an N-Quads line in the article's graph."""
        self.quads.append(f"{s} {p} {o}{self.quad_end}")

    # -- the article -------------------------------------------------------------------------
    def write(self) -> list[str]:
        """The graph as N-Quads lines (unsorted, possibly repeated, no newline)."""
        article = self.article
        node = self.article_node
        self.add(node, Vocab.a, Vocab.Article)
        self.add(node, Vocab.article_id, string_term(article.id))
        self.add(node, Vocab.text, string_term(article.text))
        self.add(node, Vocab.source_file, string_term(PurePath(article.source).name))
        digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        self.add(node, Vocab.text_sha256, string_term(digest))
        if article.title:
            self.add(node, Vocab.headline, string_term(article.title))
        if article.date:
            self.add(node, Vocab.date_published, date_term(article.date))
        if article.url:
            self.add(node, Vocab.url, iri_term(article.url))
        if article.publisher:
            publisher = entity_term("media", article.publisher)
            self.add(publisher, Vocab.a, Vocab.MediaOutlet)
            self.add(publisher, Vocab.label, string_term(article.publisher))
            self.add(node, Vocab.publisher, publisher)
        self.add(self.activity, Vocab.a, Vocab.Extraction)
        self.add(self.activity, Vocab.used, node)
        self.add(self.activity, Vocab.associated_with, extractor_term("polgraph"))
        self.add(self.activity, Vocab.model, string_term(self.model))
        for n, entity in enumerate(self.findings.entities, start=1):
            self._entity(entity, n)
        for election in self.findings.elections:
            self._election(election)
        for kind, items, method in (
            ("statement", self.findings.statements, self._statement),
            ("membership", self.findings.memberships, self._membership),
            ("result", self.findings.results, self._result),
            ("event", self.findings.events, self._event),
        ):
            ordered = sorted(items, key=lambda f: (f.evidence.start, f.evidence.end))
            for n, item in enumerate(ordered, start=1):
                method(term(mint(kind, article.id, n)), item, kind, n)
        self._extractor_agents()
        return self.quads

    # -- entities ------------------------------------------------------------------------------
    def entity(self, key: str | None) -> str | None:
        return self.entities.get(key) if key else None

    def _entity(self, entity: Entity, n: int) -> None:
        if entity.known_iri:
            iri = iri_term(entity.known_iri)
        else:
            scope = self.article.id if entity.scope == "article" else None
            iri = entity_term(entity.kind, entity.name, scope)
            self.add(iri, Vocab.label, string_term(entity.name))
        self.entities[entity.key] = iri
        self.add(iri, Vocab.a, _KIND_CLASS_TERMS.get(entity.kind, Vocab.Organisation))
        for alias in entity.aliases:
            self.add(iri, Vocab.alt_label, string_term(alias))
        self.add(self.article_node, Vocab.mentions, iri)
        mention = term(mint("mention", self.article.id, n))
        self.add(mention, Vocab.a, Vocab.Mention)
        self.add(mention, Vocab.mention_of, iri)
        self.add(mention, Vocab.mention_count, value_term(len(entity.mentions)))
        for form in sorted({m.text for m in entity.mentions}):
            self.add(mention, Vocab.surface_form, string_term(form))
        self.add(mention, Vocab.reported_in, self.article_node)
        self._evidence(mention, entity.mentions[0], "mention", n)

    def _election(self, election: Election) -> None:
        iri = self._election_iri(election)
        self.add(iri, Vocab.a, Vocab.Election)
        self.add(iri, Vocab.a, _ELECTION_CLASS_TERMS.get(election.kind, Vocab.Election))
        self.add(iri, Vocab.label, string_term(election.label))
        if election.year:
            self.add(iri, Vocab.year, year_term(election.year))
        if election.date:
            self.add(iri, Vocab.start_date, date_term(election.date))

    def _election_iri(self, election: Election) -> str:
        """From the election's key (kind, elected body, year); one whose year the text does
        not give stays scoped to its article, so two articles' "local elections" are not
        merged by guesswork."""
        parts = election.key.removeprefix("election:").split(":")
        if not election.year:
            parts = [p for p in parts if p != "unknown"] + ["article", self.article.id]
        return term(mint("election", *parts))

    # -- evidence --------------------------------------------------------------------------------
    def _evidence(self, fact: str, evidence: Evidence, kind: str, n: int) -> None:
        node = term(mint("evidence", self.article.id, kind, n))
        position = term(mint("evidence", self.article.id, kind, n, "position"))
        quote = term(mint("evidence", self.article.id, kind, n, "quote"))
        self.add(fact, Vocab.evidence, node)
        self.add(node, Vocab.a, Vocab.Evidence)
        self.add(node, Vocab.has_source, self.article_node)
        self.add(node, Vocab.has_selector, position)
        self.add(node, Vocab.has_selector, quote)
        self.add(node, Vocab.sentence, string_term(evidence.sentence))
        self.add(node, Vocab.extractor, extractor_term(evidence.extractor))
        self.add(node, Vocab.confidence, decimal_term(evidence.confidence))
        self.add(node, Vocab.generated_by, self.activity)
        self.add(position, Vocab.a, Vocab.position_selector)
        self.add(position, Vocab.start, offset_term(evidence.start))
        self.add(position, Vocab.end, offset_term(evidence.end))
        self.add(quote, Vocab.a, Vocab.quote_selector)
        self.add(quote, Vocab.exact, string_term(evidence.text))
        self.extractors.add(evidence.extractor)

    def _extractor_agents(self) -> None:
        for name in sorted(self.extractors | {"polgraph"}):
            agent = extractor_term(name)
            self.add(agent, Vocab.a, Vocab.software_agent)
            self.add(agent, Vocab.label, string_term(name))
            self.add(agent, Vocab.version, _VERSION)
            if name in EXTRACTORS:
                self.add(agent, Vocab.comment, string_term(EXTRACTORS[name]))

    def _fact(self, node: str, evidence: Evidence, kind: str, n: int) -> None:
        self.add(node, Vocab.reported_in, self.article_node)
        self._evidence(node, evidence, kind, n)

    # -- facts -------------------------------------------------------------------------------------
    def _statement(self, node: str, statement: Statement, kind: str, n: int) -> None:
        self.add(node, Vocab.a, Vocab.Statement)
        self.add(node, Vocab.statement_text, string_term(statement.text))
        self.add(node, Vocab.direct, value_term(statement.direct))
        speaker = self.entity(statement.speaker)
        if speaker is not None:
            self.add(node, Vocab.speaker, speaker)
        else:
            self.add(node, Vocab.unattributed, TRUE)
            if statement.speaker_description:
                self.add(node, Vocab.speaker_description,
                         string_term(statement.speaker_description))
        medium = self.entity(statement.medium)
        if medium is not None:
            self.add(node, Vocab.medium, medium)
        for key in statement.about:
            about = self.entity(key)
            if about is not None:
                self.add(node, Vocab.about, about)
        if statement.date:
            self.add(node, Vocab.date, date_term(statement.date))
        self._fact(node, statement.evidence, kind, n)

    def _membership(self, node: str, membership: Membership, kind: str, n: int) -> None:
        person = self.entity(membership.person)
        organisation = self.entity(membership.organisation)
        if person is None or organisation is None:
            return
        self.add(node, Vocab.a, Vocab.Membership)
        self.add(node, Vocab.member, person)
        self.add(node, Vocab.organization, organisation)
        if membership.role:
            self.add(node, Vocab.role_name, string_term(membership.role))
        area = self.entity(membership.area)
        if area is not None:
            self.add(node, Vocab.area, area)
        if membership.former:
            self.add(node, Vocab.former, TRUE)
        if membership.suspended:
            self.add(node, Vocab.suspended, TRUE)
        if membership.start:
            self.add(node, Vocab.valid_from, date_term(membership.start))
        if membership.end:
            self.add(node, Vocab.valid_until, date_term(membership.end))
        self._fact(node, membership.evidence, kind, n)

    def _result(self, node: str, result: Result, kind: str, n: int) -> None:
        area = self.entity(result.area)
        if area is None or result.kind not in _RESULT_TERMS:
            return
        concept, cls = _RESULT_TERMS[result.kind]
        self.add(node, Vocab.a, Vocab.ElectionResult)
        self.add(node, Vocab.a, cls)
        self.add(node, Vocab.result_kind, concept)
        self.add(node, Vocab.area, area)
        party = self.entity(result.party)
        if party is not None:
            self.add(node, Vocab.party, party)
        election = self.elections.get(result.election)
        if election is not None:
            self.add(node, Vocab.in_election, self._election_iri(election))
        if result.value is not None:
            if result.kind == "turnout":
                self.add(node, Vocab.turnout, decimal_term(result.value))
            else:
                self.add(node, Vocab.seats, value_term(int(result.value)))
        if result.seats_contested is not None:
            self.add(node, Vocab.seats_contested, value_term(int(result.seats_contested)))
        self._fact(node, result.evidence, kind, n)

    def _event(self, node: str, event: Event, kind: str, n: int) -> None:
        concept, cls = _EVENT_TERMS.get(event.type, _EVENT_TERMS["other"])
        self.add(node, Vocab.a, Vocab.Event)
        self.add(node, Vocab.a, cls)
        self.add(node, Vocab.event_type, concept)
        who = self.entity(event.who)
        if who is not None:
            self.add(node, Vocab.subject, who)
        if event.date:
            self.add(node, Vocab.start_date, date_term(event.date))
            if event.date_precision:
                self.add(node, Vocab.date_precision, string_term(event.date_precision))
        if event.summary:
            self.add(node, Vocab.summary, string_term(event.summary))
        self._fact(node, event.evidence, kind, n)


def article_nquads(article: Article, findings: ArticleFindings, model: str) -> list[str]:
    """The N-Quads lines of one article's named graph (unsorted, possibly repeated, no
    newline), written directly: what the build stores."""
    return ArticleGraphWriter(article, findings, model).write()


def article_graph(article: Article, findings: ArticleFindings, model: str) -> Graph:
    """The named graph of one article as an rdflib ``Graph`` (parsed from the lines
    :func:`article_nquads` writes), for code that wants to query it."""
    writer = ArticleGraphWriter(article, findings, model)
    graph = Graph(identifier=writer.graph_name)
    bind_prefixes(graph)
    lines = (quad.removesuffix(writer.quad_end) + " .\n" for quad in writer.write())
    graph.parse(data="".join(lines), format="nt")
    return graph


def same_as_links(pairs: Iterable[tuple[URIRef, URIRef]]) -> Graph:
    """The resolution graph's ``owl:sameAs`` links."""
    graph = Graph(identifier=mint("graph", "resolution"))
    for a, b in pairs:
        graph.add((a, OWL.sameAs, b))
    return graph
