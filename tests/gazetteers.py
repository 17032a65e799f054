"""Gazetteer entries the fact tests share: real party names, invented places and people."""

from __future__ import annotations

from polgraph.extract.gazetteer import GazetteerEntry

P = "https://w3id.org/polgraph/id/"

PARTIES = (
    GazetteerEntry("Labour Party", "party", P + "party/labour-party",
                   ("Labour", "the Labour Party")),
    GazetteerEntry("Conservative Party", "party", P + "party/conservative-party",
                   ("Conservatives", "Conservative", "Tories", "Tory", "the Tories")),
    GazetteerEntry("Green Party", "party", P + "party/green-party",
                   ("Greens", "the Green Party", "Green")),
)
BBC = GazetteerEntry("BBC", "media", P + "media/bbc", ("the BBC",))
NORTHAM = GazetteerEntry("Northam", "city", P + "city/northam", ())
NORTHAM_COUNCIL = GazetteerEntry("Northam Council", "council", P + "council/northam-council", ())
