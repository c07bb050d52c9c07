"""Demo data for a fresh install: a small benchmark built from hidden tables, so the
dashboard has something real to show before any paper is uploaded or engine suite built.

Pure: returns a DACR-Bench dict. Every fact, gold answer and reasoning step is computed from
the tables below, never read back from the text; each conflict plants a subordinate value
with a lower-authority cue, before the authoritative statement in one challenge and after it
in the other.
"""

from __future__ import annotations

DEMO_SUITE = "demo"

_TRIALS = [
    # name, catalyst, temperature °C, yield %, duration h, site
    ("Trial Amber", "platinum", 340, 62.4, 12, "Lyon"),
    ("Trial Birch", "nickel", 295, 48.1, 9, "Leeds"),
    ("Trial Cedar", "palladium", 360, 71.8, 14, "Lyon"),
    ("Trial Dune", "nickel", 310, 55.0, 11, "Porto"),
    ("Trial Elm", "platinum", 325, 66.3, 10, "Leeds"),
    ("Trial Fern", "cobalt", 280, 39.7, 8, "Porto"),
]

_STATIONS = [
    # name, mean temperature °C, annual rainfall mm, elevation m, region
    ("Station Arlo", 11.2, 812, 140, "coastal"),
    ("Station Brae", 7.9, 1290, 610, "upland"),
    ("Station Corr", 12.6, 655, 35, "coastal"),
    ("Station Dovey", 9.4, 1034, 320, "upland"),
    ("Station Esk", 10.1, 920, 210, "valley"),
]


def _fact(fact_id, entity, attribute, value, value_type, section, paragraph, quote):
    return {
        "factId": fact_id,
        "entity": entity,
        "attribute": attribute,
        "value": value,
        "valueType": value_type,
        "location": {"section": section, "paragraphIndex": paragraph, "contextQuote": quote},
    }


def _question(qid, text, category, hops, gold, aliases, chain, difficulty, trap=None):
    return {
        "questionId": qid,
        "text": text,
        "category": category,
        "hops": hops,
        "targetsTrap": trap,
        "goldAnswer": gold,
        "goldAnswerAliases": aliases,
        "reasoningChain": [{"step": i + 1, **step} for i, step in enumerate(chain)],
        "difficulty": difficulty,
    }


def _document(paragraphs: list[str]) -> dict:
    text = "\n\n".join(paragraphs)
    return {"text": text, "wordCount": len(text.split()), "paragraphCount": len(paragraphs)}


def reactor_challenge() -> dict:
    """Catalysis trials; the planted conflict comes BEFORE the authoritative yield."""
    paragraphs = ["Technical Report: Catalytic Conversion Trials", "1. Overview"]
    facts = []
    paragraphs.append(
        "Six conversion trials were run across three sites to compare catalysts. "
        "Yields below are final values measured at steady state unless stated otherwise."
    )
    subordinate = (
        "An early projection in the pilot phase suggested that Trial Cedar would reach a "
        "yield of about 64 percent."
    )
    paragraphs.append(subordinate)
    paragraphs.append("2. Results")
    for index, (name, catalyst, temp, yld, hours, site) in enumerate(_TRIALS):
        sentence = (
            f"{name} used a {catalyst} catalyst at {temp} °C in {site}; it ran for {hours} hours "
            f"and reached a yield of {yld} percent at steady state."
        )
        paragraphs.append(sentence)
        at = len(paragraphs) - 1
        base = index * 3
        facts.append(
            _fact(
                f"f{base + 1:03d}",
                name,
                "yield_percent",
                yld,
                "numerical",
                "Results",
                at,
                f"{name} used a {catalyst} catalyst at {temp} °C",
            )
        )
        facts.append(
            _fact(
                f"f{base + 2:03d}",
                name,
                "catalyst",
                catalyst,
                "categorical",
                "Results",
                at,
                f"{name} used a {catalyst} catalyst",
            )
        )
        facts.append(
            _fact(
                f"f{base + 3:03d}",
                name,
                "duration_hours",
                hours,
                "numerical",
                "Results",
                at,
                f"it ran for {hours} hours",
            )
        )
    paragraphs.append("3. Discussion")
    paragraphs.append(
        "A preliminary reading of the nickel runs was revised once the audited logs arrived; "
        "all values above are the audited ones."
    )
    cedar = facts[6]
    cedar["location"]["contextQuote"] = (
        "Trial Cedar used a palladium catalyst at 360 °C in Lyon; it ran for 14 hours and "
        "reached a yield of 71.8 percent at steady state."
    )
    by_yield = sorted(_TRIALS, key=lambda t: t[3], reverse=True)
    nickel = [t for t in _TRIALS if t[1] == "nickel"]
    lyon_hours = sum(t[4] for t in _TRIALS if t[5] == "Lyon")
    amber, elm = _TRIALS[0], _TRIALS[4]
    questions = [
        _question(
            "q01",
            "Which catalyst did Trial Birch use?",
            "direct_extraction",
            1,
            "nickel",
            ["Nickel"],
            [{"action": "lookup", "factId": "f005", "result": "Trial Birch.catalyst = nickel"}],
            "easy",
        ),
        _question(
            "q02",
            "What yield did Trial Cedar reach?",
            "trap_targeted",
            1,
            "71.8 percent",
            ["71.8", "71.8%"],
            [
                {"action": "lookup", "factId": "f007", "result": "71.8"},
                {"action": "reject_trap", "note": "the pilot-phase projection is superseded"},
            ],
            "medium",
            trap="t000",
        ),
        _question(
            "q03",
            "Which trial reached the highest yield?",
            "comparative",
            2,
            by_yield[0][0],
            [by_yield[0][0].lower()],
            [{"action": "compare", "note": "max over yield_percent", "result": by_yield[0][0]}],
            "medium",
        ),
        _question(
            "q04",
            "How many hours did the Lyon trials run in total?",
            "computation",
            3,
            str(lyon_hours),
            [f"{lyon_hours} hours"],
            [
                {"action": "filter", "note": "site = Lyon"},
                {"action": "compute", "formula": "sum(duration_hours)", "result": str(lyon_hours)},
            ],
            "medium",
        ),
        _question(
            "q05",
            "Among the nickel trials, which reached the higher yield?",
            "conditional_filtered",
            2,
            max(nickel, key=lambda t: t[3])[0],
            [],
            [
                {"action": "filter", "note": "catalyst = nickel"},
                {"action": "compare", "result": max(nickel, key=lambda t: t[3])[0]},
            ],
            "medium",
        ),
        _question(
            "q06",
            "By how many percentage points did Trial Amber's yield exceed Trial Elm's?",
            "computation",
            3,
            f"{amber[3] - elm[3]:.1f}" if amber[3] > elm[3] else f"{elm[3] - amber[3]:.1f}",
            [],
            [
                {"action": "lookup", "factId": "f001"},
                {"action": "lookup", "factId": "f013"},
                {"action": "compute", "formula": "yield(Amber) - yield(Elm)"},
            ],
            "hard",
        ),
        _question(
            "q07",
            "At which site did the cobalt trial run?",
            "multi_hop_bridge",
            2,
            "Porto",
            ["porto"],
            [
                {"action": "filter", "note": "catalyst = cobalt"},
                {"action": "lookup", "result": "Porto"},
            ],
            "easy",
        ),
        _question(
            "q08",
            "How many trials were run?",
            "cross_section_synthesis",
            2,
            str(len(_TRIALS)),
            ["six"],
            [{"action": "synthesize", "note": "overview count and results list"}],
            "easy",
        ),
        _question(
            "q09",
            "What temperature was used in Trial Dune?",
            "direct_extraction",
            1,
            "310 °C",
            ["310"],
            [{"action": "lookup", "result": "310 °C"}],
            "easy",
        ),
        _question(
            "q10",
            "Which catalyst did the lowest-yield trial use?",
            "multi_hop_bridge",
            2,
            min(_TRIALS, key=lambda t: t[3])[1],
            [],
            [
                {"action": "compare", "note": "min yield"},
                {"action": "lookup", "note": "its catalyst"},
            ],
            "medium",
        ),
    ]
    return {
        "challengeId": "dacr-demo-00001",
        "version": "1.0",
        "source": {"type": "engine", "domain": "chemistry", "seed": "1000000000000000000001"},
        "document": {
            **_document(paragraphs),
            "domain": "chemistry",
            "sections": ["Overview", "Results", "Discussion"],
        },
        "facts": facts,
        "traps": [
            {
                "trapId": "t000",
                "targetFactId": "f007",
                "correctValue": 71.8,
                "wrongValue": 64,
                "trapLocation": {
                    "section": "Overview",
                    "paragraphIndex": 3,
                    "injectedText": subordinate,
                },
            }
        ],
        "questions": questions,
        "metadata": {"verificationPasses": 10, "verificationMethod": "deterministic"},
    }


def climate_challenge() -> dict:
    """Weather stations; the planted conflict comes AFTER the authoritative rainfall."""
    paragraphs = ["Station Network Annual Summary", "1. Measurements"]
    facts = []
    for index, (name, temp, rain, elev, region) in enumerate(_STATIONS):
        paragraphs.append(
            f"{name} ({region}, {elev} m) recorded a mean temperature of {temp} °C and an "
            f"annual rainfall of {rain} mm in the audited record."
        )
        at = len(paragraphs) - 1
        facts.append(
            _fact(
                f"f{2 * index + 1:03d}",
                name,
                "annual_rainfall_mm",
                rain,
                "numerical",
                "Measurements",
                at,
                f"{name} ({region}, {elev} m) recorded a mean temperature of "
                f"{temp} °C and an annual rainfall of {rain} mm in the audited "
                "record.",
            )
        )
        facts.append(
            _fact(
                f"f{2 * index + 2:03d}",
                name,
                "region",
                region,
                "categorical",
                "Measurements",
                at,
                f"{name} ({region}",
            )
        )
    paragraphs.append("2. Notes")
    subordinate = (
        "A rounded figure in the draft abstract gave the annual rainfall of Station Dovey as "
        "roughly 1,200 mm."
    )
    paragraphs.append(subordinate)
    paragraphs.append(
        "Preliminary gauge readings at two upland sites were replaced by the audited record."
    )
    upland = [s for s in _STATIONS if s[4] == "upland"]
    wettest = max(_STATIONS, key=lambda s: s[2])
    coastal_mean = sum(s[1] for s in _STATIONS if s[4] == "coastal") / 2
    questions = [
        _question(
            "q01",
            "What annual rainfall did Station Dovey record?",
            "trap_targeted",
            1,
            "1034 mm",
            ["1,034 mm", "1034"],
            [
                {"action": "lookup", "factId": "f007", "result": "1034"},
                {"action": "reject_trap", "note": "draft-abstract rounding is superseded"},
            ],
            "medium",
            trap="t000",
        ),
        _question(
            "q02",
            "Which region is Station Esk in?",
            "direct_extraction",
            1,
            "valley",
            [],
            [{"action": "lookup", "factId": "f010", "result": "valley"}],
            "easy",
        ),
        _question(
            "q03",
            "Which station is the wettest?",
            "comparative",
            2,
            wettest[0],
            [],
            [{"action": "compare", "note": "max annual_rainfall_mm"}],
            "medium",
        ),
        _question(
            "q04",
            "What is the mean temperature of the coastal stations, in °C?",
            "computation",
            3,
            f"{coastal_mean:.1f}",
            [f"{coastal_mean:.1f} °C"],
            [
                {"action": "filter", "note": "region = coastal"},
                {"action": "compute", "formula": "mean(mean_temperature)"},
            ],
            "hard",
        ),
        _question(
            "q05",
            "Among upland stations, which is the highest?",
            "conditional_filtered",
            2,
            max(upland, key=lambda s: s[3])[0],
            [],
            [
                {"action": "filter", "note": "region = upland"},
                {"action": "compare", "note": "max elevation"},
            ],
            "medium",
        ),
        _question(
            "q06",
            "How many stations are in the network?",
            "cross_section_synthesis",
            2,
            str(len(_STATIONS)),
            ["five"],
            [{"action": "synthesize"}],
            "easy",
        ),
        _question(
            "q07",
            "What is the elevation of Station Brae?",
            "direct_extraction",
            1,
            "610 m",
            ["610"],
            [{"action": "lookup", "result": "610 m"}],
            "easy",
        ),
        _question(
            "q08",
            "Which region is the driest station in?",
            "multi_hop_bridge",
            2,
            min(_STATIONS, key=lambda s: s[2])[4],
            [],
            [
                {"action": "compare", "note": "min rainfall"},
                {"action": "lookup", "note": "its region"},
            ],
            "medium",
        ),
        _question(
            "q09",
            "How much more rain (mm) fell at Station Brae than at Station Arlo?",
            "computation",
            3,
            str(_STATIONS[1][2] - _STATIONS[0][2]),
            [],
            [{"action": "compute", "formula": "rain(Brae) - rain(Arlo)"}],
            "hard",
        ),
        _question(
            "q10",
            "What mean temperature did Station Corr record?",
            "direct_extraction",
            1,
            "12.6 °C",
            ["12.6"],
            [{"action": "lookup", "result": "12.6"}],
            "easy",
        ),
    ]
    return {
        "challengeId": "dacr-demo-00002",
        "version": "1.0",
        "source": {"type": "engine", "domain": "climate_science", "seed": "1000000000000000000002"},
        "document": {
            **_document(paragraphs),
            "domain": "climate_science",
            "sections": ["Measurements", "Notes"],
        },
        "facts": facts,
        "traps": [
            {
                "trapId": "t000",
                "targetFactId": "f007",
                "correctValue": 1034,
                "wrongValue": 1200,
                "trapLocation": {
                    "section": "Notes",
                    "paragraphIndex": len(paragraphs) - 2,
                    "injectedText": subordinate,
                },
            }
        ],
        "questions": questions,
        "metadata": {"verificationPasses": 10, "verificationMethod": "deterministic"},
    }


def demo_benchmark() -> dict:
    return {
        "name": DEMO_SUITE,
        "version": "1.1",
        "createdAt": "2026-11-21T00:00:00Z",
        "description": "Two small built-in challenges so a fresh install has something to show.",
        "challenges": [
            {**reactor_challenge(), "split": "synthetic"},
            {**climate_challenge(), "split": "synthetic"},
        ],
    }


DEMO_SOLVER = "demo-noisy-oracle"


def demo_predictions(benchmark: dict, *, seed: int = 7) -> list[dict]:
    """Seeded predictions in the DACR-Bench predictions format: mostly gold answers, some
    planted values, hedges and blanks — so the trace and run pages have something to show.
    They say nothing about any model."""
    import random

    rng = random.Random(seed)
    predictions = []
    for challenge in benchmark["challenges"]:
        traps = {trap["trapId"]: trap for trap in challenge["traps"]}
        answers = {}
        for question in challenge["questions"]:
            trap = traps.get(question["targetsTrap"] or "")
            roll = rng.random()
            if trap and roll < 0.35:
                answer = str(trap["wrongValue"])
            elif trap and roll < 0.55:
                answer = f"{trap['correctValue']} (earlier drafts said {trap['wrongValue']})"
            elif roll < 0.75:
                answer = question["goldAnswer"]
            elif roll < 0.9:
                answer = (question["goldAnswerAliases"] or [question["goldAnswer"]])[0]
            else:
                answer = "not stated in the document"
            answers[question["questionId"]] = {
                "answer": answer,
                "citation": "",
                "confidence": round(0.4 + 0.6 * rng.random(), 2),
            }
        predictions.append(
            {"challengeId": challenge["challengeId"], "model": DEMO_SOLVER, "answers": answers}
        )
    return predictions
