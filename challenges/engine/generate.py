"""From (domain, seed) to a verified challenge record, deterministically.

The same (domain, seed, engine version) always gives the byte-identical record: every
random choice comes from one ``random.Random`` seeded from those three (and the attempt
number). A draft that fails any verifier check is thrown away and drawn again with the next
attempt number; the attempt that passed is recorded in the metadata.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from challenges import dacr_format as fmt
from challenges.engine import conflicts as conflict_planting
from challenges.engine.domains import DOMAIN_NAMES, get_library
from challenges.engine.programs import Unanswerable, fact_id
from challenges.engine.questions import CONFLICT, build_questions, plan_skills
from challenges.engine.render import TABLE_COLUMNS, Rendered, render
from challenges.engine.spec import DomainLibrary
from challenges.engine.table import HiddenTable, draw_table

ENGINE_VERSION = "1.0.0"
MAX_ATTEMPTS = 25
MAX_SUITE_COUNT = 5_000
MAX_SEED_DIGITS = 80  # Challenge.engine_seed holds 80 characters


class EngineError(ValueError):
    """Bad input to the engine, or a seed that yields no verified challenge."""


@dataclass(frozen=True)
class GeneratedChallenge:
    record: fmt.ChallengeRecord
    report: dict
    attempt: int


def parse_seed(seed: int | str) -> int:
    """A non-negative integer seed, from an int or a decimal string of any width."""
    if isinstance(seed, bool):
        raise EngineError("seed must be a non-negative integer, not a boolean")
    if isinstance(seed, int):
        if seed < 0:
            raise EngineError(f"seed must be a non-negative integer, not {seed}")
        # Checked in bits: printing a huge int is itself refused by Python.
        if seed.bit_length() > MAX_SEED_DIGITS * 4:
            raise EngineError(f"seed has more than {MAX_SEED_DIGITS} digits")
        value = seed
    else:
        text = str(seed).strip()
        if not text.isdigit() or not text.isascii():
            raise EngineError(f"seed must be a non-negative integer, not {str(seed)[:40]!r}")
        digits = text.lstrip("0") or "0"
        if len(digits) > MAX_SEED_DIGITS:
            raise EngineError(f"seed has more than {MAX_SEED_DIGITS} digits")
        value = int(digits)
    if len(str(value)) > MAX_SEED_DIGITS:
        raise EngineError(f"seed has more than {MAX_SEED_DIGITS} digits")
    return value


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()


def challenge_id(domain: str, seed: int) -> str:
    return f"dacr-syn-{domain.replace('_', '-')}-{_digest(ENGINE_VERSION, domain, seed).hex()[:12]}"


def _rng(domain: str, seed: int, attempt: int) -> random.Random:
    return random.Random(int.from_bytes(_digest(ENGINE_VERSION, domain, seed, attempt), "big"))


def generate_challenge(domain: str, seed: int | str) -> GeneratedChallenge:
    """The verified challenge for (``domain``, ``seed``). Raises ``EngineError``."""
    from challenges.verify import verify_challenge  # the verifier imports the engine

    seed = parse_seed(seed)
    try:
        library = get_library(domain)
    except ValueError as exc:
        raise EngineError(str(exc)) from None
    last = ""
    for attempt in range(MAX_ATTEMPTS):
        try:
            record = _draft(library, seed, attempt)
        except (Unanswerable, ValueError) as exc:
            last = f"attempt {attempt}: {exc}"
            continue
        report = verify_challenge(record, library)
        if report.passed:
            final = _with_report(record, report.as_dict(), attempt)
            return GeneratedChallenge(final, report.as_dict(), attempt)
        last = f"attempt {attempt}: {report.failures[0]}"
    raise EngineError(
        f"{domain} seed {seed}: no verified challenge in {MAX_ATTEMPTS} attempts ({last})"
    )


def _draft(library: DomainLibrary, seed: int, attempt: int) -> fmt.ChallengeRecord:
    rng = _rng(library.name, seed, attempt)
    table = draw_table(rng, library)
    table_keys = sorted(rng.sample([a.key for a in library.numeric], TABLE_COLUMNS),
                        key=[a.key for a in library.numeric].index)  # fmt: skip
    narrative = [a.key for a in library.numeric if a.key not in table_keys]
    skills = plan_skills(rng)
    targeted = skills.count(CONFLICT)
    count = min(3, targeted + (1 if rng.random() < 0.3 else 0))
    plans = conflict_planting.plan_conflicts(rng, table, narrative, count)
    rendered = render(rng, table, table_keys, plans)
    questions = build_questions(rng, table, rendered, plans, skills)
    return fmt.ChallengeRecord(
        challenge_id=challenge_id(library.name, seed),
        version="1.0",
        split="synthetic",
        source_type="engine",
        domain=library.name,
        document_text=rendered.text,
        word_count=rendered.word_count,
        paragraph_count=rendered.text.count("\n\n") + 1,
        sections=rendered.sections,
        facts=_facts(table, rendered),
        conflicts=_conflicts(library, rendered),
        questions=tuple(questions),
        engine_domain=library.name,
        engine_seed=str(seed),
        engine_version=ENGINE_VERSION,
        metadata={"title": rendered.title},
    )


def _with_report(record: fmt.ChallengeRecord, report: dict, attempt: int) -> fmt.ChallengeRecord:
    from dataclasses import replace

    metadata = {
        **record.metadata,
        "engineVersion": ENGINE_VERSION,
        "attempt": attempt,
        "verificationPasses": sum(1 for c in report["checks"] if c["passed"]),
        "verificationMethod": "deterministic",
        "verification": report,
    }
    return replace(record, metadata=metadata)


def _facts(table: HiddenTable, rendered: Rendered) -> tuple[fmt.FactRecord, ...]:
    library = table.library
    facts = []

    def add(entity: str, key: str, period, value, value_type: str, attribute: str) -> None:
        statement = rendered.statements[(entity, key, period)]
        facts.append(
            fmt.FactRecord(
                fact_id=fact_id(entity, key, period),
                entity=entity,
                attribute=attribute,
                value=value,
                value_type=value_type,
                section=statement.section,
                paragraph_index=statement.paragraph_index,
                quote=statement.quote,
            )
        )

    for entity in table.entities:
        for attribute in library.numeric:
            value = entity.numbers[attribute.key]
            value = _json_number(value, attribute.decimals)
            add(entity.name, attribute.key, None, value, "numerical", attribute.key)
        for attribute in library.categorical:
            value = entity.labels[attribute.key]
            add(entity.name, attribute.key, None, value, "categorical", attribute.key)
        for series in library.series:
            for period, value in zip(series.periods, entity.series[series.key], strict=True):
                value = _json_number(value, series.decimals)
                add(entity.name, series.key, period, value, "numerical", f"{series.key} {period}")
    return tuple(facts)


def _json_number(value: float, decimals: int) -> int | float:
    return int(value) if decimals == 0 else value


def _conflicts(library: DomainLibrary, rendered: Rendered) -> tuple[fmt.ConflictRecord, ...]:
    records = []
    for conflict in rendered.conflicts:
        plan = conflict.plan
        decimals = library.attribute(plan.key).decimals
        records.append(
            fmt.ConflictRecord(
                conflict_id=plan.conflict_id,
                target_fact_id=fact_id(plan.entity, plan.key),
                authoritative_value=_json_number(plan.authoritative_value, decimals),
                conflicting_value=_json_number(plan.conflicting_value, decimals),
                subordinate_text=conflict.subordinate.quote,
                section=conflict.subordinate.section,
                paragraph_index=conflict.subordinate.paragraph_index,
                extra={
                    "subordinateCue": plan.subordinate_cue,
                    "authoritativeCue": plan.authoritative_cue,
                    "subordinatePosition": "before" if plan.subordinate_first else "after",
                    "authoritativeText": conflict.authoritative.quote,
                },
            )
        )
    return tuple(records)


def suite_seeds(
    count: int, seed: int | str, domains: Sequence[str] | None = None
) -> list[tuple[str, int]]:
    """(domain, seed) for each challenge of a suite: domains in rotation, seeds derived
    from the suite seed and the position. Raises ``EngineError`` on bad input."""
    suite_seed = parse_seed(seed)
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        raise EngineError(f"count must be a positive integer, not {count!r}")
    if count > MAX_SUITE_COUNT:
        raise EngineError(
            f"count {count:,} is over the cap of {MAX_SUITE_COUNT:,} challenges per suite"
        )
    chosen = list(domains) if domains else list(DOMAIN_NAMES)
    for domain in chosen:
        if domain not in DOMAIN_NAMES:
            raise EngineError(
                f"unknown domain {domain!r}; known domains: {', '.join(DOMAIN_NAMES)}"
            )
    if len(set(chosen)) != len(chosen):
        raise EngineError("a domain is listed twice")
    return [
        (chosen[i % len(chosen)], int.from_bytes(_digest("suite", suite_seed, i)[:8], "big"))
        for i in range(count)
    ]


def generate_suite(
    count: int, seed: int | str, domains: Sequence[str] | None = None
) -> Iterator[GeneratedChallenge]:
    """The suite's challenges one by one (a generator, so memory stays flat)."""
    for domain, challenge_seed in suite_seeds(count, seed, domains):
        yield generate_challenge(domain, challenge_seed)
