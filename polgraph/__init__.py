"""polgraph: a knowledge-graph builder for political news.

Articles go in; one RDF dataset comes out in which people, parties, councils, places,
elections, results, events and statements are connected, each extracted fact traceable to
its article and character span.
"""

__version__ = "0.1.0"
