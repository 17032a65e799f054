"""polgraph's own spaCy components, each with one job, passing one ``Doc``.

Importing this package registers the factories with spaCy:

* ``polgraph_paragraphs`` – a line break ends a sentence (paragraphs.py)
* ``polgraph_gazetteer`` – an entity ruler built from the hand-written graph (entities.py)
* ``polgraph_hide_labels`` / ``polgraph_restore_labels`` – around the NER, the curated
  entities under a label it knows, so that it does not grow (entities.py)
* ``polgraph_mentions``  – entity kinds, alias forms and in-article coreference (mentions.py)
* ``polgraph_quotes``    – direct quotes and reported speech with their speakers (quotes.py)
"""

from polgraph.extract.components import (  # noqa: F401
    entities,
    events,
    mentions,
    paragraphs,
    quotes,
    results,
    roles,
)
