"""The namespaces polgraph writes, in one place.

schema.org is ``http://schema.org/`` on purpose: rdflib's ``SDO`` is ``https://`` and data
mixing the two silently fails to match (research/ontology.md, pitfall P1).
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

POL = Namespace("https://w3id.org/polgraph/ontology#")
ID = Namespace("https://w3id.org/polgraph/id/")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SH = Namespace("http://www.w3.org/ns/shacl#")
TIME = Namespace("http://www.w3.org/2006/time#")

PREFIXES: dict[str, Namespace] = {
    "pol": POL,
    "id": ID,
    "schema": SCHEMA,
    "org": ORG,
    "oa": OA,
    "sem": SEM,
    "prov": PROV,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "time": TIME,
}


def bind_prefixes(graph) -> None:
    """Bind polgraph's prefixes on an rdflib graph or dataset (overriding rdflib's https schema)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
