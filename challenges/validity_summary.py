"""A stored validity report shaped for its page: every number formatted, every list in a
fixed order. Pure presentation over ``ValidityReport.report``; no queries."""

from __future__ import annotations

from dataclasses import dataclass

from challenges.models import Category, Difficulty, Domain, ValidityReport

# --- the validity report, shaped for its page --------------------------------------------
#
# The report is stored as JSON (``evaluation.validity.validity_report``); PostgreSQL's jsonb
# does not keep key order, so every ordering the page shows is imposed here.


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _interval(interval: dict | None) -> str:
    if not interval or interval.get("low") is None or interval.get("high") is None:
        return ""
    return f"{_percent(interval['low'])} – {_percent(interval['high'])}"


def _band(low, high) -> str:
    if low is not None and high is not None:
        return f"{_percent(low)} – {_percent(high)}"
    if high is not None:
        return f"at most {_percent(high)}"
    if low is not None:
        return f"at least {_percent(low)}"
    return "any"


def _words(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


@dataclass(frozen=True)
class ValidityTarget:
    name: str
    value: str
    band: str
    met: bool


@dataclass(frozen=True)
class ValiditySolver:
    name: str
    description: str
    answer_accuracy: str
    answer_accuracy_ci: str
    cars: str
    cars_ci: str
    pass_rate: str
    pass_rate_ci: str


@dataclass(frozen=True)
class ValidityCount:
    label: str
    count: int
    share: int  # percent of the largest count in its table, for a bar beside the number


@dataclass(frozen=True)
class ValiditySkill:
    label: str
    questions: int
    accuracies: tuple[str, ...]  # one per solver, in the solvers' order


@dataclass(frozen=True)
class ValiditySummary:
    """A stored validity report as the suite's validity page shows it: every number already
    formatted, every list in a fixed order."""

    report: ValidityReport
    targets: list[ValidityTarget]
    targets_met: bool
    solvers: list[ValiditySolver]
    skills: list[ValiditySkill]
    positions: dict
    subordinate_first_share: str
    subordinate_cues: list[ValidityCount]
    authoritative_cues: list[ValidityCount]
    cues: dict
    lengths: dict
    length_histogram: list[ValidityCount]
    coverage: dict
    domains: list[ValidityCount]
    skill_coverage: list[ValidityCount]
    hops: list[ValidityCount]
    difficulty: list[ValidityCount]


def _counts(pairs) -> list[ValidityCount]:
    pairs = [(str(label), int(count)) for label, count in pairs]
    top = max((count for _, count in pairs), default=0)
    return [
        ValidityCount(label, count, round(100 * count / top) if top else 0)
        for label, count in pairs
    ]


def _by_count(mapping: dict, labels: dict | None = None) -> list[ValidityCount]:
    """Most frequent first; identifiers (``rounded_abstract``) read as words."""
    ordered = sorted(mapping.items(), key=lambda item: (-item[1], item[0]))
    labels = labels or {}
    return _counts((labels.get(key) or str(key).replace("_", " "), count) for key, count in ordered)


def _in_order(mapping: dict, choices) -> list[ValidityCount]:
    """``mapping``'s entries in the order of ``choices`` (TextChoices), labelled; keys the
    choices do not know follow, alphabetically."""
    known = [(choice.label, mapping[choice.value]) for choice in choices if choice.value in mapping]
    values = {choice.value for choice in choices}
    others = sorted((key, count) for key, count in mapping.items() if key not in values)
    return _counts(known + others)


def _hop_key(hops: str) -> tuple:
    return (0, int(hops), "") if str(hops).isdigit() else (1, 0, str(hops))


def _solver_descriptions() -> dict[str, str]:
    from evaluation.baselines import BASELINES

    return {name: solver.description for name, solver in BASELINES.items()}


def validity_summary(*, report: ValidityReport) -> ValiditySummary:
    """``report`` shaped for the page. Missing sections and None values show as "—"."""
    data = report.report or {}
    descriptions = _solver_descriptions()
    solver_data = data.get("solvers") or {}
    solvers = [
        ValiditySolver(
            name=name,
            description=descriptions.get(name, ""),
            answer_accuracy=_percent(metrics.get("answer_accuracy")),
            answer_accuracy_ci=_interval((metrics.get("ci") or {}).get("answer_accuracy")),
            cars=_percent(metrics.get("cars")),
            cars_ci=_interval((metrics.get("ci") or {}).get("cars")),
            pass_rate=_percent(metrics.get("pass_rate")),
            pass_rate_ci=_interval((metrics.get("ci") or {}).get("pass_rate")),
        )
        for name, metrics in solver_data.items()
    ]
    coverage = data.get("coverage") or {}
    skill_questions = coverage.get("skills") or {}
    skills = [
        ValiditySkill(
            label=category.label,
            questions=int(skill_questions.get(category.value, 0)),
            accuracies=tuple(
                _percent((solver_data[s.name].get("by_category") or {}).get(category.value))
                for s in solvers
            ),
        )
        for category in Category
    ]
    positions = data.get("positions") or {}
    cues = data.get("cues") or {}
    lengths = data.get("lengths") or {}
    hops = coverage.get("hops") or {}
    return ValiditySummary(
        report=report,
        targets=[
            ValidityTarget(
                name=str(target.get("name", "")),
                value=_percent(target.get("value")),
                band=_band(target.get("low"), target.get("high")),
                met=bool(target.get("met")),
            )
            for target in data.get("targets") or []
        ],
        targets_met=report.targets_met,
        solvers=solvers,
        skills=skills,
        positions=positions,
        subordinate_first_share=_percent(positions.get("subordinate_first_share")),
        subordinate_cues=_by_count(cues.get("subordinate") or {}),
        authoritative_cues=_by_count(cues.get("authoritative") or {}),
        cues=cues,
        lengths={
            key: _words(lengths.get(key))
            for key in ("count", "min", "p25", "median", "p75", "max", "mean")
        },
        length_histogram=_counts(
            (f"{_words(low)}–{_words(high - 1)} words", count)
            for low, high, count in lengths.get("histogram") or []
        ),
        coverage=coverage,
        domains=_by_count(coverage.get("domains") or {}, dict(Domain.choices)),
        skill_coverage=_in_order(skill_questions, Category),
        hops=_counts(sorted(hops.items(), key=lambda item: _hop_key(item[0]))),
        difficulty=_in_order(coverage.get("difficulty") or {}, Difficulty),
    )
