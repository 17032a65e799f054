"""Word lists of political-news English, shared by the components.

General language only: nothing here names a person, place or party of any article.
"""

from __future__ import annotations

#: Honorifics and titles dropped from the front of a person's name.
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "baroness",
        "baron", "cllr", "councillor", "rev", "reverend", "prof", "professor", "rabbi",
        "father", "mp", "msp", "ms.", "mr.", "mrs.", "dr.",
    }
)
MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "baron", "father"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "baroness"})

#: Common English given names by grammatical gender, used only to check that "he"/"she"
#: can refer to a candidate; an unknown name is compatible with both.
MALE_NAMES = frozenset(
    """aaron adam adrian alan alex alexander alistair andrew andy angus anthony antony arthur
    ben benjamin bernard bill bob boris brian callum calum charles charlie chris christopher
    chuka clive colin craig dan daniel danny darren dave david dennis derek des dominic don
    douglas duncan ed eddie edward emmanuel eric frank fred gary gavin geoff geoffrey george
    gerald gordon graham greg harry henry hugh iain ian isaac jack jacob jake james jamie
    jason jeff jeremy jim jo john jon jonathan joseph josh keir keith ken kevin kier lee len
    liam louis luke malcolm mark martin matt matthew michael mick mike nadhim neil nick
    nicholas nigel oliver owen paul pete peter phil philip ray richard rishi rob robert
    roger ron ross ryan sadiq sam samuel scott sean simon stephen steve steven stuart ted
    terry theo thomas tim tom tony tristan vince wes william yvan zac""".split()
)
FEMALE_NAMES = frozenset(
    """abigail alison amanda amy andrea angela ann anna anne annie bridget carolyn caroline
    catherine charlotte chloe claire clare dawn deborah diane diana elizabeth ella ellie
    emily emma esther fiona frances gillian hannah harriet helen jacqueline jane janet
    jennifer jess jessica jo joan joanna julia julie karen kate katherine kathryn kemi laura
    layla leanne lisa liz louise lucy luciana lynn margaret maria marie mary meg melanie
    michelle miriam nadine naomi natalie nicola olivia pamela patricia penny priti rachel
    rebecca rosie ruth sally sarah sharon shirley sophie stella sue susan suella tessa
    theresa tracy tulip victoria yvette zarah""".split()
)

#: Verbs that introduce speech, direct or reported (lemmas).
SPEECH_VERBS = frozenset(
    """say tell claim add warn accuse argue insist deny admit suggest state explain announce
    confirm reveal write tweet post declare respond reply comment note acknowledge allege
    assert maintain concede urge implore demand ask describe blame predict promise vow
    pledge threaten complain recount recall conclude echo hail praise condemn criticise
    criticize agree brand dismiss call testify stress emphasise emphasize protest plead beg
    lament joke quip observe remark report contend counter retort mutter shout scream cry
    exclaim whisper boast""".split()
)

#: Speech verbs strong enough to carry reported speech (X <verb> (that) …).
REPORTING_VERBS = frozenset(
    """say tell claim add warn argue insist deny admit suggest state explain announce confirm
    reveal write tweet post declare respond reply acknowledge allege assert maintain concede
    predict promise vow pledge threaten complain recount recall conclude believe think fear
    report contend counter stress emphasise emphasize note""".split()
)

#: Nouns that carry a claim: "his claim that …", "her warning that …".
CLAIM_NOUNS = frozenset(
    """claim claims statement warning allegation allegations insistence suggestion admission
    assertion argument belief view comment comments remark remarks""".split()
)

#: Nouns for appeals made by people the sentence does not name: "pleas to “stay”".
APPEAL_NOUNS = frozenset(
    """plea pleas appeal appeals call calls demand demands chant chants slogan slogans cry
    cries urging""".split()
)

#: Words that make a mention of a media outlet recognisable without a gazetteer.
MEDIA_HEADS = frozenset(
    """times post news chronicle guardian herald mail standard express mirror telegraph gazette
    echo observer independent star sun journal tribune record press radio tv television
    magazine review weekly daily online""".split()
)

#: Platforms: a medium, named like an outlet.
PLATFORM_WORDS = frozenset({"twitter", "x", "facebook", "instagram", "tiktok", "youtube"})

#: Pronouns a speaker can be referred to by.
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})

#: Lines that credit a photograph or an author: people there are not actors in the story.
CREDIT_MARKERS = (
    "via getty images",
    "getty images",
    "/ getty",
    "/getty",
    "pa wire",
    "pa images",
    "/ pa",
    "/pa",
    "reuters",
    "afp via",
    "/ afp",
    "shutterstock",
    "alamy",
)
CREDIT_PREFIXES = ("photo:", "picture:", "image:", "credit:", "photograph:", "by ", "pictured:")

# -- roles, results and events (components/roles.py, results.py, events.py) ---------------

#: Nouns naming a post or a role held in or for a party, a council or a legislature.
#: Singular and plural forms; the role name is the singular (``ROLE_SINGULAR``).
ROLE_NOUNS = frozenset(
    {
        "mp", "mps", "msp", "msps", "mep", "meps", "am", "ams", "mla", "mlas", "councillor",
        "councillors", "cllr", "cllrs", "leader", "leaders", "chancellor", "secretary",
        "secretaries", "minister", "ministers", "spokesman", "spokeswoman", "spokesperson",
        "spokespeople", "chair", "chairman", "chairwoman", "chairperson", "president", "treasurer",
        "whip", "whips", "member", "members", "activist", "activists", "candidate", "candidates",
        "agent", "agents", "officer", "officers", "mayor", "mayors", "peer", "peers", "politician",
        "politicians", "frontbencher", "frontbenchers", "backbencher", "backbenchers", "veteran",
        "veterans", "grandee", "grandees", "stalwart", "stalwarts", "organiser", "organisers",
        "organizer", "convenor", "convener", "campaigner", "campaigners", "deputy",
        "representative", "representatives", "senator", "senators", "governor", "assemblyman",
        "assemblywoman", "vice-chair", "vice-president", "general-secretary"
    }
)
ROLE_SINGULAR = {
    "mps": "MP", "mp": "MP", "msp": "MSP", "msps": "MSP", "mep": "MEP", "meps": "MEP",
    "am": "AM", "ams": "AM", "mla": "MLA", "mlas": "MLA", "cllr": "councillor",
    "cllrs": "councillor", "councillors": "councillor", "leaders": "leader",
    "secretaries": "secretary", "ministers": "minister", "spokespeople": "spokesperson",
    "whips": "whip", "members": "member", "activists": "activist", "candidates": "candidate",
    "agents": "agent", "officers": "officer", "mayors": "mayor", "peers": "peer",
    "politicians": "politician", "frontbenchers": "frontbencher",
    "backbenchers": "backbencher", "veterans": "veteran", "grandees": "grandee",
    "stalwarts": "stalwart", "organisers": "organiser", "campaigners": "campaigner",
    "representatives": "representative", "senators": "senator",
}

#: Role words that always belong to a party (their holder is a member of the party named
#: with them): "Labour MP", "Tory leader", "Green councillor".
PARTY_ROLE_NOUNS = frozenset(
    {
        "mp", "msp", "mep", "am", "mla", "councillor", "cllr", "leader", "member", "activist",
        "candidate", "agent", "officer", "politician", "frontbencher", "backbencher", "veteran",
        "grandee", "stalwart", "organiser", "campaigner", "whip", "chair", "chairman", "chairwoman",
        "treasurer", "spokesman", "spokeswoman", "spokesperson", "peer", "deputy", "representative"
    }
)

#: Words that make a role a post of the shadow cabinet, a front bench or a party office.
SHADOW_WORDS = frozenset({"shadow"})

#: Words that put a role or a membership in the past.
FORMER_WORDS = frozenset({"former", "ex", "ex-", "erstwhile", "one-time", "onetime", "past"})

#: Premodifiers that may stand between a party and its role without changing who holds it
#: ("newly elected Labour councillor", "now Labour MP", "senior Tory backbencher").
ROLE_MODIFIERS = frozenset(
    {
        "newly", "elected", "re-elected", "reelected", "now", "senior", "junior", "veteran",
        "longstanding", "long-serving", "leading", "prominent", "outgoing", "incoming", "sitting",
        "local", "new", "former", "ex", "deputy", "acting", "interim", "shadow", "rebel",
        "independent"
    }
)

#: Verbs of leaving (subject leaves the object organisation) and of staying.
LEAVE_VERBS = frozenset({"leave", "quit", "resign", "defect", "abandon", "desert"})
STAY_VERBS = frozenset({"remain", "stay"})

#: Verbs of results (lemmas): who won, lost or kept control or seats.
WIN_VERBS = frozenset(
    {
        "win", "take", "gain", "capture", "seize", "snatch", "grab", "secure", "clinch", "regain",
        "retake", "wrest", "claim", "topple", "oust", "unseat", "overturn", "flip"
    }
)
LOSE_VERBS = frozenset({"lose", "surrender", "cede", "forfeit", "relinquish", "concede"})
HOLD_VERBS = frozenset({"retain", "hold", "keep", "defend", "maintain"})
#: "X fell to the Tories", "X went to Labour", "X changed hands".
FALL_VERBS = frozenset({"fall", "go", "pass", "swing", "turn"})

#: Nouns of council control.
CONTROL_NOUNS = frozenset({"control", "majority", "power"})
#: Nouns of seats.
SEAT_NOUNS = frozenset({"seat", "seats", "councillor", "councillors", "ward", "wards",
                        "constituency", "constituencies"})
#: Nouns of turnout ("turn-out" is split by the tokenizer: "turn", "-", "out").
TURNOUT_NOUNS = frozenset({"turnout", "turnouts"})
#: Words of a share.
PERCENT_WORDS = frozenset({"per", "percent", "%", "pc"})

#: Words that say a clause is about the past, not this election ("once held by").
HISTORIC_ADVERBS = frozenset({"once", "previously", "formerly", "historically", "traditionally",
                              "long", "always"})
#: Words that say a result is hoped for, not had ("hopes to win", "could lose").
IRREALIS_HEADS = frozenset(
    {
        "hope", "expect", "aim", "want", "try", "seek", "plan", "need", "target", "threaten",
        "risk", "fear", "predict", "forecast", "could", "would", "might", "may", "should", "must",
        "can", "will"
    }
)

#: Number words, up to the counts a council or a parliament needs.
NUMBER_WORDS = {
    "no": 0, "zero": 0, "none": 0, "a": 1, "an": 1, "one": 1, "single": 1, "two": 2,
    "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "half-a-dozen": 6,
}

#: Election kinds by the words that name them, and the legislatures of devolved elections.
ELECTION_WORDS = {
    "local": "local", "council": "local", "county": "local", "borough": "local",
    "district": "local", "municipal": "local", "general": "general", "mayoral": "mayoral",
    "by-election": "by-election", "by-elections": "by-election", "byelection": "by-election",
}
DEVOLVED_BODIES = {
    "scottish parliament": "Scottish Parliament", "scottish parliamentary": "Scottish Parliament",
    "holyrood": "Scottish Parliament", "welsh assembly": "Senedd", "welsh parliament": "Senedd",
    "senedd": "Senedd", "national assembly for wales": "Senedd",
    "northern ireland assembly": "Northern Ireland Assembly",
    "stormont": "Northern Ireland Assembly",
    "london assembly": "London Assembly", "greater london assembly": "London Assembly",
}
#: Words that put an election before or after the one the article reports.
OTHER_ELECTION_WORDS = frozenset({"last", "previous", "next", "upcoming", "forthcoming",
                                  "coming", "future", "past", "earlier", "snap"})

#: Event triggers: lemma of a verb or a noun → event type.
EVENT_VERBS = {
    "suspend": "suspension", "expel": "expulsion", "resign": "resignation",
    "quit": "resignation", "visit": "visit", "tour": "visit", "rule": "ruling",
    "review": "review", "investigate": "review", "vote": "vote", "campaign": "campaign",
    "elect": "election", "re-elect": "election", "reelect": "election",
}
EVENT_NOUNS = {
    "suspension": "suspension", "expulsion": "expulsion", "resignation": "resignation",
    "visit": "visit", "ruling": "ruling", "verdict": "ruling", "judgment": "ruling",
    "judgement": "ruling", "review": "review", "investigation": "review", "inquiry": "review",
    "probe": "review", "report": "report", "ballot": "vote", "campaign": "campaign",
}
#: Verbs of leaving that are a resignation when their object is a party, a post or "the
#: whip"/"membership": "quit the party", "left Labour", "stood down as leader".
RESIGN_OBJECTS = frozenset({"party", "membership", "whip", "post", "job", "role", "seat",
                            "position", "office", "card", "cabinet"})
#: Heads that make the event beneath them not happen (yet): "spared expulsion", "calls for
#: his suspension", "considering leaving".
NON_EVENT_HEADS = frozenset(
    {
        "spare", "avoid", "escape", "evade", "dodge", "deny", "face", "risk", "threaten",
        "consider", "contemplate", "weigh", "mull", "demand", "urge", "want", "hope", "plan",
        "seek", "call", "ask", "push", "press", "lobby", "fear", "warn", "refuse", "oppose",
        "reject", "block", "prevent"
    }
)
#: "called for X to apologise", "demanded an apology": who demands.
APOLOGY_WORDS = frozenset({"apologise", "apologize", "apology", "sorry"})
DEMAND_VERBS = frozenset({"call", "demand", "urge", "ask", "press", "want", "insist", "tell"})
#: Public acts reported as events of their own (type "other").
APPEAL_VERBS = frozenset({"implore", "urge", "appeal", "plead", "beg", "encourage"})
CONFLICT_NOUNS = frozenset({"row", "clash", "spat", "feud", "dispute", "argument", "standoff",
                            "stand-off", "confrontation"})

#: Capitalised words that continue a party's name into another body's name ("Labour
#: Movement", "Conservative Friends of …", "Labour List", "Green Students").
BODY_NAME_HEADS = frozenset(
    {
        "movement", "list", "friends", "students", "student", "group", "network", "forum",
        "society", "club", "association", "federation", "union", "youth", "future", "women",
        "foundation", "trust", "home", "uncut", "briefing", "alliance", "campaign", "voice",
    }
)

#: Verbs whose object is the loser: "X beat Labour's Y to win the by-election".
DEFEAT_VERBS = frozenset({"beat", "defeat", "oust", "unseat", "topple", "trounce", "edge"})

#: Public offices: held by members of any party (or none), so they never imply a party the
#: phrase does not name ("MP Jane Doe", "Councillor Jane Doe"); a curated fact may.
PUBLIC_OFFICES = frozenset({"mp", "msp", "mep", "am", "mla", "councillor", "cllr", "mayor",
                            "peer", "representative", "senator", "governor"})
