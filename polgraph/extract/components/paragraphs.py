"""``polgraph_paragraphs``: a line break always ends a sentence.

Headlines, standfirsts, datelines and photo captions have no full stop; without this the
parser runs them into the next sentence, and a caption's photographer becomes a speaker.
Placed before the parser, which respects sentence starts that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("polgraph_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    after_break = False
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            after_break = True
            if token.is_space:
                continue
            continue
        if token.is_space:
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = False
    return doc
