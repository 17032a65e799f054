"""Findings → triples: one named graph per article, every fact node with its evidence.

Knows nothing of spaCy: it reads :mod:`polgraph.extract.findings` and writes RDF following
docs/graph-model.md. All IRIs come from :mod:`polgraph.graphs.mint`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from rdflib import Graph, Literal, URIRef
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


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(round(float(value), 4))), datatype=XSD.decimal)


def _offset(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


class ArticleGraphWriter:
    """Writes the named graph of one article from its findings."""

    def __init__(self, article: Article, findings: ArticleFindings, model: str) -> None:
        self.article = article
        self.findings = findings
        self.model = model
        self.graph = Graph(identifier=graph_iri(article.id))
        bind_prefixes(self.graph)
        self.article_node = article_iri(article.id)
        self.activity = mint("extraction", article.id)
        self.entities: dict[str, URIRef] = {}
        self.extractors: set[str] = set()

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    # -- the article -------------------------------------------------------------------------
    def write(self) -> Graph:
        article = self.article
        node = self.article_node
        self.add(node, RDF.type, POL.Article)
        self.add(node, POL.articleId, Literal(article.id))
        self.add(node, SCHEMA.text, Literal(article.text))
        self.add(node, POL.sourceFile, Literal(PurePath(article.source).name))
        digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        self.add(node, POL.textSha256, Literal(digest))
        if article.title:
            self.add(node, SCHEMA.headline, Literal(article.title))
        if article.date:
            self.add(node, SCHEMA.datePublished, Literal(article.date, datatype=XSD.date))
        if article.url:
            self.add(node, SCHEMA.url, URIRef(article.url))
        if article.publisher:
            publisher = entity_iri("media", article.publisher)
            self.add(publisher, RDF.type, POL.MediaOutlet)
            self.add(publisher, RDFS.label, Literal(article.publisher))
            self.add(node, SCHEMA.publisher, publisher)
        self.add(self.activity, RDF.type, POL.Extraction)
        self.add(self.activity, PROV.used, node)
        self.add(self.activity, PROV.wasAssociatedWith, mint("extractor", "polgraph"))
        self.add(self.activity, POL.model, Literal(self.model))
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
                method(mint(kind, article.id, n), item, kind, n)
        self._extractor_agents()
        return self.graph

    # -- entities ------------------------------------------------------------------------------
    def entity(self, key: str | None) -> URIRef | None:
        return self.entities.get(key) if key else None

    def _entity(self, entity: Entity, n: int) -> None:
        if entity.known_iri:
            iri = URIRef(entity.known_iri)
        else:
            scope = self.article.id if entity.scope == "article" else None
            iri = entity_iri(entity.kind, entity.name, scope)
            self.add(iri, RDFS.label, Literal(entity.name))
        self.entities[entity.key] = iri
        self.add(iri, RDF.type, KIND_CLASSES.get(entity.kind, POL.Organisation))
        for alias in entity.aliases:
            self.add(iri, SKOS.altLabel, Literal(alias))
        self.add(self.article_node, SCHEMA.mentions, iri)
        mention = mint("mention", self.article.id, n)
        self.add(mention, RDF.type, POL.Mention)
        self.add(mention, POL.mentionOf, iri)
        self.add(mention, POL.mentionCount, Literal(len(entity.mentions)))
        for form in sorted({m.text for m in entity.mentions}):
            self.add(mention, POL.surfaceForm, Literal(form))
        self.add(mention, POL.reportedIn, self.article_node)
        self._evidence(mention, entity.mentions[0], "mention", n)

    def _election(self, election: Election) -> None:
        iri = self._election_iri(election)
        self.add(iri, RDF.type, POL.Election)
        self.add(iri, RDF.type, ELECTION_CLASSES.get(election.kind, POL.Election))
        self.add(iri, RDFS.label, Literal(election.label))
        if election.year:
            self.add(iri, POL.year, Literal(str(election.year), datatype=XSD.gYear))
        if election.date:
            self.add(iri, SCHEMA.startDate, Literal(election.date, datatype=XSD.date))

    def _election_iri(self, election: Election) -> URIRef:
        """From the election's key (kind, elected body, year); one whose year the text does
        not give stays scoped to its article, so two articles' "local elections" are not
        merged by guesswork."""
        parts = election.key.removeprefix("election:").split(":")
        if not election.year:
            parts = [p for p in parts if p != "unknown"] + ["article", self.article.id]
        return mint("election", *parts)

    # -- evidence --------------------------------------------------------------------------------
    def _evidence(self, fact: URIRef, evidence: Evidence, kind: str, n: int) -> None:
        node = mint("evidence", self.article.id, kind, n)
        position = mint("evidence", self.article.id, kind, n, "position")
        quote = mint("evidence", self.article.id, kind, n, "quote")
        self.add(fact, POL.evidence, node)
        self.add(node, RDF.type, POL.Evidence)
        self.add(node, OA.hasSource, self.article_node)
        self.add(node, OA.hasSelector, position)
        self.add(node, OA.hasSelector, quote)
        self.add(node, POL.sentence, Literal(evidence.sentence))
        self.add(node, POL.extractor, mint("extractor", evidence.extractor))
        self.add(node, POL.confidence, _decimal(evidence.confidence))
        self.add(node, PROV.wasGeneratedBy, self.activity)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, _offset(evidence.start))
        self.add(position, OA.end, _offset(evidence.end))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(evidence.text))
        self.extractors.add(evidence.extractor)

    def _extractor_agents(self) -> None:
        for name in sorted(self.extractors | {"polgraph"}):
            agent = mint("extractor", name)
            self.add(agent, RDF.type, PROV.SoftwareAgent)
            self.add(agent, RDFS.label, Literal(name))
            self.add(agent, POL.version, Literal(__version__))
            if name in EXTRACTORS:
                self.add(agent, RDFS.comment, Literal(EXTRACTORS[name]))

    def _fact(self, node: URIRef, evidence: Evidence, kind: str, n: int) -> None:
        self.add(node, POL.reportedIn, self.article_node)
        self._evidence(node, evidence, kind, n)

    # -- facts -------------------------------------------------------------------------------------
    def _statement(self, node: URIRef, statement: Statement, kind: str, n: int) -> None:
        self.add(node, RDF.type, POL.Statement)
        self.add(node, POL.text, Literal(statement.text))
        self.add(node, POL.direct, Literal(statement.direct))
        speaker = self.entity(statement.speaker)
        if speaker is not None:
            self.add(node, POL.speaker, speaker)
        else:
            self.add(node, POL.unattributed, Literal(True))
            if statement.speaker_description:
                self.add(node, POL.speakerDescription, Literal(statement.speaker_description))
        medium = self.entity(statement.medium)
        if medium is not None:
            self.add(node, POL.medium, medium)
        for key in statement.about:
            about = self.entity(key)
            if about is not None:
                self.add(node, POL.about, about)
        if statement.date:
            self.add(node, POL.date, Literal(statement.date, datatype=XSD.date))
        self._fact(node, statement.evidence, kind, n)

    def _membership(self, node: URIRef, membership: Membership, kind: str, n: int) -> None:
        person = self.entity(membership.person)
        organisation = self.entity(membership.organisation)
        if person is None or organisation is None:
            return
        self.add(node, RDF.type, POL.Membership)
        self.add(node, ORG.member, person)
        self.add(node, ORG.organization, organisation)
        if membership.role:
            self.add(node, POL.roleName, Literal(membership.role))
        area = self.entity(membership.area)
        if area is not None:
            self.add(node, POL.area, area)
        if membership.former:
            self.add(node, POL.former, Literal(True))
        if membership.suspended:
            self.add(node, POL.suspended, Literal(True))
        if membership.start:
            self.add(node, SCHEMA.validFrom, Literal(membership.start, datatype=XSD.date))
        if membership.end:
            self.add(node, SCHEMA.validUntil, Literal(membership.end, datatype=XSD.date))
        self._fact(node, membership.evidence, kind, n)

    def _result(self, node: URIRef, result: Result, kind: str, n: int) -> None:
        area = self.entity(result.area)
        if area is None or result.kind not in RESULT_TERMS:
            return
        concept, cls = RESULT_TERMS[result.kind]
        self.add(node, RDF.type, POL.ElectionResult)
        self.add(node, RDF.type, cls)
        self.add(node, POL.resultKind, concept)
        self.add(node, POL.area, area)
        party = self.entity(result.party)
        if party is not None:
            self.add(node, POL.party, party)
        election = next((e for e in self.findings.elections if e.key == result.election), None)
        if election is not None:
            self.add(node, POL.inElection, self._election_iri(election))
        if result.value is not None:
            if result.kind == "turnout":
                self.add(node, POL.turnout, _decimal(result.value))
            else:
                self.add(node, POL.seats, Literal(int(result.value)))
        if result.seats_contested is not None:
            self.add(node, POL.seatsContested, Literal(int(result.seats_contested)))
        self._fact(node, result.evidence, kind, n)

    def _event(self, node: URIRef, event: Event, kind: str, n: int) -> None:
        concept, cls = EVENT_TERMS.get(event.type, EVENT_TERMS["other"])
        self.add(node, RDF.type, POL.Event)
        self.add(node, RDF.type, cls)
        self.add(node, POL.eventType, concept)
        who = self.entity(event.who)
        if who is not None:
            self.add(node, POL.subject, who)
        if event.date:
            self.add(node, SCHEMA.startDate, Literal(event.date, datatype=XSD.date))
            if event.date_precision:
                self.add(node, POL.datePrecision, Literal(event.date_precision))
        if event.summary:
            self.add(node, POL.summary, Literal(event.summary))
        self._fact(node, event.evidence, kind, n)


def article_graph(article: Article, findings: ArticleFindings, model: str) -> Graph:
    """The named graph of one article."""
    return ArticleGraphWriter(article, findings, model).write()


def same_as_links(pairs: Iterable[tuple[URIRef, URIRef]]) -> Graph:
    """The resolution graph's ``owl:sameAs`` links."""
    graph = Graph(identifier=mint("graph", "resolution"))
    for a, b in pairs:
        graph.add((a, OWL.sameAs, b))
    return graph
