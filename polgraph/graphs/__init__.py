"""Findings and hand-written Turtle become one RDF dataset: minting, triples, store, exports."""
