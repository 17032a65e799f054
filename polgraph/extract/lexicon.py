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
    gerald gordon graham greg harry henry hugh iain ian isaac jack jacob jake james jamie jason
    jeff jeremy jim jo john jon jonathan joseph josh keir keith ken kevin kier lee len liam
    louis luke malcolm mark martin matt matthew michael mick mike nadhim neil nick nicholas
    nigel oliver owen paul pete peter phil philip ray richard rishi rob robert roger ron ross
    ryan sadiq sam samuel scott sean simon stephen steve steven stuart ted terry theo thomas
    tim tom tony tristan vince wes william yvan zac""".split()
)
FEMALE_NAMES = frozenset(
    """abigail alison amanda amy andrea angela ann anna anne annie bridget carolyn caroline
    catherine charlotte chloe claire clare dawn deborah diane diana elizabeth ella ellie emily
    emma esther fiona frances gillian hannah harriet helen jacqueline jane janet jennifer
    jess jessica jo joan joanna julia julie karen kate katherine kathryn kemi laura layla
    leanne lisa liz louise lucy luciana lynn margaret maria marie mary meg melanie michelle
    miriam nadine naomi natalie nicola olivia pamela patricia penny priti rachel rebecca
    rosie ruth sally sarah sharon shirley sophie stella sue susan suella tessa theresa tracy
    tulip victoria yvette zarah""".split()
)

#: Verbs that introduce speech, direct or reported (lemmas).
SPEECH_VERBS = frozenset(
    """say tell claim add warn accuse argue insist deny admit suggest state explain announce
    confirm reveal write tweet post declare respond reply comment note acknowledge allege
    assert maintain concede urge implore demand ask describe blame predict promise vow pledge
    threaten complain recount recall conclude echo hail praise condemn criticise criticize
    agree brand dismiss call testify stress emphasise emphasize protest plead beg lament
    joke quip observe remark report contend counter retort mutter shout scream cry exclaim
    whisper boast""".split()
)

#: Speech verbs strong enough to carry reported speech (X <verb> (that) …).
REPORTING_VERBS = frozenset(
    """say tell claim add warn argue insist deny admit suggest state explain announce confirm
    reveal write tweet post declare respond reply acknowledge allege assert maintain concede
    predict promise vow pledge threaten complain recount recall conclude believe think
    fear report contend counter stress emphasise emphasize note""".split()
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
