"""A seeded generator of realistic, distinct political news articles for the benchmark.

Names, councils, wards, constituencies, outlets and numbers are drawn from seeded lists and
combined with sentence patterns of the kind the example articles use: quotes with speakers
(direct and reported, attributed and unattributed), memberships and roles, control won,
lost and retained, seat counts and gains, turnout, suspensions, resignations and visits.
The pools of people and places grow with N (people are invented first name × surname
combinations; councils and wards are invented place names), so a larger corpus brings new
people and councils, and the same ones recur across articles, as in a real corpus.

``python -m bench.corpus 1000 out.jsonl`` writes one JSON Lines file.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

FIRST = """Adam Alan Alice Amir Anna Ben Beth Carl Chloe Clare Dan David Deborah Ed Ella
Emma Fatima Frank Grace Hannah Harry Helen Ian Imran Jack James Jane Jo John
Karen Kate Kevin Laura Leah Liam Lucy Mark Martin Mary Maya Michael Mohammed
Naomi Neil Nina Oliver Owen Paul Priya Rachel Raj Rebecca Richard Robert Ruth
Sam Sarah Sean Simon Sophie Stephen Tom Tracy Victoria Will Yusuf Zoe""".split()  # noqa: SIM905
LAST = """Abbott Ahmed Allen Atkins Bailey Baker Barker Bell Bennett Blake Booth Bradley
Brooks Burton Carter Chapman Clarke Cole Collins Cooper Cox Dawson Dixon Doyle
Ellis Evans Fisher Fleming Foster Fox Gardner Gibson Grant Gray Hall Hammond
Harper Hayes Holmes Hughes Hunt Jenkins Kaur Kelly Khan Knight Lambert Lawson
Lloyd Marsh Mason Miles Mills Morgan Murray Nash Nolan Norris Owens Palmer
Parker Patel Pearce Perry Porter Quinn Reid Rhodes Riley Russell Saunders Shah
Sharp Singh Stone Sutton Tucker Turner Wade Walsh Ward Watts Webb Wells West
Wheeler Wood Wright Young""".split()  # noqa: SIM905
PLACE_A = """Ash Bar Brook Cal Dun Elm Fen Glen Hal Kings Lang Mar Nor Oak Pen Red Ros Sal
Stan Thorn Wal West Whit Wood Ald Bex Cran Dor Eas Fair Har Hol Lin Mil Ock Pol
Rad Shel Sut Tam Ux Ven Wen Yar""".split()  # noqa: SIM905
PLACE_B = """bury ford ham ley ton wick field worth stead minster borough hurst well moor
dale combe cester mouth bridge water""".split()  # noqa: SIM905
WARD_B = ["North", "South", "East", "West", "Central", "Park", "Green", "Hill", "Vale",
          "Common", "Heath", "Village", "Town", "Castle", "Abbey", "Riverside"]
PARTIES = [("Labour", "Labour Party", "Labour"), ("Conservatives", "Conservative Party",
           "Conservative"), ("Liberal Democrats", "Liberal Democrats", "Liberal Democrat"),
           ("Greens", "Green Party", "Green"), ("Reform UK", "Reform UK", "Reform UK")]
OUTLETS = ["the BBC", "the Guardian", "Sky News", "the Jewish Chronicle", "LBC", "ITV News",
           "the local paper", "the Evening Standard"]
PUBLISHERS = ["The Example Times", "Northern Gazette", "Borough Herald", "City Chronicle",
              "Weekly Courier"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
REASONS = ["comments posted on social media", "a dispute over the budget",
           "remarks made at a council meeting", "an unpaid tax bill",
           "allegations of bullying", "a row over planning"]
ISSUES = ["housing", "bin collections", "the high street", "potholes", "council tax",
          "the library closures", "social care", "bus routes", "the new leisure centre"]
QUOTES = [
    "This is a fantastic result for {party} and for everyone in {place}",
    "Voters in {place} have sent a clear message about {issue}",
    "We listened to residents on {issue} and they trusted us",
    "It was a difficult night for us and we need to reflect",
    "People are fed up with being ignored on {issue}",
    "We will get to work straight away on {issue}",
    "I am proud of the campaign we ran in {place}",
    "The result shows that {party} can win anywhere",
    "This is the worst result we have had in {place} for a generation",
    "Nobody should take these voters for granted",
]


def _pool(rng: random.Random, n_articles: int):
    """People and places, their number growing with the corpus."""
    n_people = max(30, n_articles * 3)
    n_councils = max(8, n_articles // 4)
    names = set()
    while len(names) < min(n_people, len(FIRST) * len(LAST)):
        names.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    people = sorted(names)
    rng.shuffle(people)
    towns = set()
    while len(towns) < min(n_councils, len(PLACE_A) * len(PLACE_B)):
        towns.add(rng.choice(PLACE_A) + rng.choice(PLACE_B))
    towns_list = sorted(towns)
    rng.shuffle(towns_list)
    party_of = {person: rng.randrange(len(PARTIES)) for person in people}
    return people, towns_list, party_of


def _zipf_choice(rng: random.Random, items: list, skew: float = 2.0):
    """A skewed choice: the first items of the pool recur more often than the last (the
    first tenth gets about a third of the draws), none dominates."""
    return items[min(len(items) - 1, int(len(items) * rng.random() ** skew))]


def article(rng: random.Random, number: int, pool) -> dict:
    """One article as a JSON Lines record."""
    people, towns, party_of = pool
    town = _zipf_choice(rng, towns)
    council = f"{town} Council"
    wards = [f"{town} {rng.choice(WARD_B)}" for _ in range(3)]
    year = rng.randrange(2014, 2025)
    day = date(year, 5, 1) + timedelta(days=rng.randrange(0, 10))
    # One council's result in one year is the same in every article that reports it.
    facts = random.Random(f"{town}:{year}")
    winner, loser = facts.sample(range(len(PARTIES)), 2)
    w_short, w_name, w_adj = PARTIES[winner]
    l_short, l_name, l_adj = PARTIES[loser]
    seats = facts.randrange(30, 70)
    won = seats // 2 + facts.randrange(1, 8)
    others = facts.randrange(3, seats - won)
    cast = [_zipf_choice(rng, people) for _ in range(rng.randrange(4, 7))]
    speaker, second, third = cast[0], cast[1], cast[2]

    def quote(party: str = w_short) -> str:
        return rng.choice(QUOTES).format(party=party, place=town, issue=rng.choice(ISSUES))

    def adj(person: str) -> str:
        return PARTIES[party_of[person]][2]

    paragraphs = []
    kind = facts.random()
    if kind < 0.4:
        paragraphs.append(f"{w_short} has seized control of {council} from the {l_name}, "
                          f"winning {won} of the {seats} seats in the {year} local elections.")
    elif kind < 0.7:
        paragraphs.append(f"The {w_name} retained control of {council} in the local "
                          f"elections, with {won} seats.")
    else:
        paragraphs.append(f"{council} remains under no overall control after the {year} "
                          f"local elections.")
    wards[0] = f"{town} {WARD_B[facts.randrange(len(WARD_B))]}"
    paragraphs.append(f"The {w_name} took all three seats in {wards[0]} ward, keeping two "
                      f"and taking one from {l_short}.")
    paragraphs.append(f"Turnout was {rng.randrange(24, 48)} per cent, "
                      f"{rng.choice(['up', 'down'])} on the last elections.")
    paragraphs.append(f"{speaker}, a {adj(speaker)} councillor for {wards[1]}, said: "
                      f"“{quote(PARTIES[party_of[speaker]][0])}.”")
    paragraphs.append(f"“{quote()},” said {second}, the leader of {council}.")
    outlet = rng.choice(OUTLETS)
    paragraphs.append(f"{third} told {outlet}: “{quote(l_short)}.”")
    if rng.random() < 0.5:
        paragraphs.append(f"An unnamed {l_adj} figure told {rng.choice(OUTLETS)}: "
                          f"“{quote(l_short)}.”")
    if rng.random() < 0.4:
        suspended = cast[3]
        paragraphs.append(f"The {PARTIES[party_of[suspended]][1]} suspended {suspended}, a "
                          f"councillor in {town}, on {rng.choice(WEEKDAYS)} over "
                          f"{rng.choice(REASONS)}.")
    if rng.random() < 0.3:
        leaver = cast[-1]
        paragraphs.append(f"{leaver} resigned from the {PARTIES[party_of[leaver]][1]} "
                          f"last week, saying the party had failed on {rng.choice(ISSUES)}.")
    if rng.random() < 0.5:
        mp = cast[-2]
        paragraphs.append(f"{mp}, the {adj(mp)} MP for {town} North, visited {wards[2]} on "
                          f"{rng.choice(WEEKDAYS)} to campaign.")
    if rng.random() < 0.6:
        loser_person = cast[1 if len(cast) < 5 else 4]
        paragraphs.append(f"{loser_person}, who lost the seat in {wards[2]}, said the "
                          f"result was “{rng.choice(['disappointing', 'a wake-up call', 'a blow'])}"
                          f"” for {l_short}.")
    paragraphs.append(f"{w_short} now holds {won} seats on the council, {l_short} "
                      f"{others}.")
    title = rng.choice([f"{w_short} takes {council}", f"Results: {council} {year}",
                        f"{town} votes: what happened", f"{speaker} hails {town} result"])
    return {
        "id": f"gen-{number:06d}-{town.lower()}-{year}",
        "title": title,
        "date": day.isoformat(),
        "publisher": rng.choice(PUBLISHERS),
        "url": f"https://example.org/news/{number}",
        "text": "\n\n".join(paragraphs) + "\n",
    }


def generate(n: int, seed: int = 2024):
    """``n`` distinct articles, the same for the same ``n`` and ``seed``."""
    rng = random.Random(seed)
    pool = _pool(random.Random(seed * 31 + n), n)
    for number in range(1, n + 1):
        yield article(rng, number, pool)


def write(n: int, path: Path, seed: int = 2024) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in generate(n, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
