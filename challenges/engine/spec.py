"""What a domain library declares: the entity kind, its attributes and the report's vocabulary.

Pure data. A domain module (``challenges/engine/physics.py`` …) builds one ``DomainLibrary``
and the engine does the rest: hidden table, rendering, conflicts, questions, verification.
Adding a domain is one new module listed in ``challenges.engine.domains``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class LibraryError(ValueError):
    """A domain library that breaks one of the rules the engine relies on."""


@dataclass(frozen=True)
class Numeric:
    """A measured quantity. Values are drawn uniformly from [low, high] and rounded to
    ``decimals`` (0 → integers). ``unit`` is written after the value ("412 K", "3.5%")."""

    key: str
    label: str
    unit: str
    low: float
    high: float
    decimals: int = 1


@dataclass(frozen=True)
class Categorical:
    """A label from ``values``. ``unique`` attributes (a lead investigator) differ between
    entities, so they identify one; the others are shared, so they filter."""

    key: str
    label: str
    values: tuple[str, ...]
    unique: bool = False


@dataclass(frozen=True)
class Series:
    """Values over ``periods`` (years or quarters), drawn as a bounded random walk."""

    key: str
    label: str
    unit: str
    periods: tuple[str, ...]
    low: float
    high: float
    decimals: int = 1


@dataclass(frozen=True)
class DomainLibrary:
    """One domain's vocabulary. Text fields are ``str.format`` templates:

    - ``titles``, ``intro``, ``methods``, ``discussion`` may use ``{program}`` (a name from
      ``program_names``), ``{count}`` / ``{count_cap}`` (the number of entities as a word,
      lower-case or capitalised), ``{kind}``, ``{kind_plural}`` and ``{kind_plural_cap}``.
      The prose paragraphs must state no attribute value and contain no digits, so that
      every number in a document comes from the hidden table;
    - ``name_patterns``: ``{prefix}``, ``{suffix}`` and ``{n}`` (a number 2–99).
    """

    name: str
    entity_kind: str
    entity_plural: str
    numeric: tuple[Numeric, ...]
    categorical: tuple[Categorical, ...]
    series: tuple[Series, ...]
    name_prefixes: tuple[str, ...]
    name_suffixes: tuple[str, ...]
    name_patterns: tuple[str, ...]
    program_names: tuple[str, ...]
    titles: tuple[str, ...]
    intro: tuple[str, ...]
    methods: tuple[str, ...]
    discussion: tuple[str, ...]
    # Domain flavour for conflicts: extra lower- and higher-authority cue kinds
    # (keys of ``challenges.engine.cues``) this domain prefers.
    subordinate_cues: tuple[str, ...] = ()
    authoritative_cues: tuple[str, ...] = ()
    section_titles: dict[str, str] = field(default_factory=dict)

    def attribute(self, key: str) -> Numeric | Categorical | Series:
        for attribute in (*self.numeric, *self.categorical, *self.series):
            if attribute.key == key:
                return attribute
        raise KeyError(key)


MIN_NUMERIC, MIN_CATEGORICAL, MIN_SERIES = 10, 3, 1


def validate_library(library: DomainLibrary) -> DomainLibrary:
    """Raise ``LibraryError`` naming the first broken rule; return the library otherwise."""
    where = f"domain library {library.name!r}"
    if len(library.numeric) < MIN_NUMERIC:
        raise LibraryError(f"{where}: needs ≥ {MIN_NUMERIC} numeric attributes")
    if len(library.categorical) < MIN_CATEGORICAL:
        raise LibraryError(f"{where}: needs ≥ {MIN_CATEGORICAL} categorical attributes")
    if len(library.series) < MIN_SERIES:
        raise LibraryError(f"{where}: needs ≥ {MIN_SERIES} series attribute")
    if not any(c.unique for c in library.categorical):
        raise LibraryError(f"{where}: needs a unique categorical attribute (bridge questions)")
    if not any(not c.unique for c in library.categorical):
        raise LibraryError(f"{where}: needs a shared categorical attribute (filters)")
    attributes = (*library.numeric, *library.categorical, *library.series)
    keys = [a.key for a in attributes]
    labels = [a.label.lower() for a in attributes]
    for names, what in ((keys, "key"), (labels, "label")):
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise LibraryError(f"{where}: attribute {what} {repeated[0]!r} is used twice")
    for a, b in ((a, b) for a in labels for b in labels if a != b):
        if f" {a} " in f" {b} ":
            raise LibraryError(f"{where}: label {a!r} is part of label {b!r}")
    for attribute in (*library.numeric, *library.series):
        if not attribute.low < attribute.high:
            raise LibraryError(f"{where}: {attribute.key} needs low < high")
        if attribute.low < 0:
            raise LibraryError(f"{where}: {attribute.key} must not go below zero")
    for categorical in library.categorical:
        if len(set(categorical.values)) < 4:
            raise LibraryError(f"{where}: {categorical.key} needs ≥ 4 distinct values")
    for series in library.series:
        if len(series.periods) < 3:
            raise LibraryError(f"{where}: {series.key} needs ≥ 3 periods")
    if len(library.name_prefixes) * max(len(library.name_suffixes), 1) < 40:
        raise LibraryError(f"{where}: too few name parts for 20 distinct entity names")
    for template_set in ("titles", "intro", "methods", "discussion", "program_names"):
        if not getattr(library, template_set):
            raise LibraryError(f"{where}: {template_set} is empty")
    return library
