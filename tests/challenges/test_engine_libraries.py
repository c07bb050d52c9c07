"""The procedural engine's domain libraries: hostile input first, then every real library.

Pure: imports the library modules and checks the rules the engine relies on. No database.
"""

import dataclasses
import importlib
import re
import string

import pytest

from challenges.engine import cues
from challenges.engine.domains import DOMAIN_NAMES
from challenges.engine.names import PERSON_NAMES
from challenges.engine.physics import LIBRARY as PHYSICS
from challenges.engine.spec import (
    Categorical,
    DomainLibrary,
    LibraryError,
    Numeric,
    validate_library,
)

MODULES = DOMAIN_NAMES
PLACEHOLDERS = {
    "program": "Keystone",
    "count": "twelve",
    "count_cap": "Twelve",
    "kind": "entity",
    "kind_plural": "entities",
    "kind_plural_cap": "Entities",
}
PROSE_FIELDS = ("titles", "intro", "methods", "discussion")
PARAGRAPH_FIELDS = ("intro", "methods", "discussion")
MAX_ENTITIES = 20  # the most entities one hidden table draws
YEARS = ("2020", "2021", "2022", "2023")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


def library_of(module: str) -> DomainLibrary:
    return importlib.import_module(f"challenges.engine.{module}").LIBRARY


def labels_of(library: DomainLibrary) -> list[str]:
    return [a.label for a in (*library.numeric, *library.categorical, *library.series)]


def prose_of(library: DomainLibrary) -> list[tuple[str, str]]:
    return [(field, text) for field in PROSE_FIELDS for text in getattr(library, field)]


def rejection(library: DomainLibrary) -> str:
    with pytest.raises(LibraryError) as caught:
        validate_library(library)
    return str(caught.value)


# --- hostile input --------------------------------------------------------------------------


def test_rejects_a_library_with_only_three_numeric_attributes():
    message = rejection(dataclasses.replace(PHYSICS, numeric=PHYSICS.numeric[:3]))
    assert message == "domain library 'physics': needs ≥ 10 numeric attributes"


def test_rejects_a_label_contained_in_another_label():
    hostile = (
        Numeric("yield_", "yield", "%", 10.0, 90.0, 1),
        Numeric("isolated_yield", "isolated yield", "%", 10.0, 90.0, 1),
        *PHYSICS.numeric[2:],
    )
    message = rejection(dataclasses.replace(PHYSICS, numeric=hostile))
    assert message == "domain library 'physics': label 'yield' is part of label 'isolated yield'"


def test_rejects_a_label_contained_in_a_categorical_label():
    hostile = (
        *PHYSICS.categorical,
        Categorical("beam", "beam", ("alpha", "beta", "gamma", "delta")),
    )
    message = rejection(dataclasses.replace(PHYSICS, categorical=hostile))
    assert "label 'beam' is part of label 'beam energy'" in message


def test_a_label_inside_another_word_is_not_containment():
    """Only whole words count: "dose" sits inside "overdose count" but is not part of it."""
    near_miss = (
        Numeric("dose", "dose", "mg", 1.0, 90.0, 1),
        Numeric("overdose_count", "overdose count", "cases", 1, 900, 0),
        *PHYSICS.numeric[2:],
    )
    library = dataclasses.replace(PHYSICS, numeric=near_miss)
    assert validate_library(library) is library


# --- every library --------------------------------------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_library_validates(module):
    library = library_of(module)
    assert validate_library(library) is library


@pytest.mark.parametrize("module", MODULES)
def test_name_equals_module_name(module):
    assert library_of(module).name == module


@pytest.mark.parametrize("module", MODULES)
def test_prose_templates_format_with_the_allowed_placeholders_and_hold_no_digits(module):
    for field, template in prose_of(library_of(module)):
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
        assert names <= set(PLACEHOLDERS), (field, names - set(PLACEHOLDERS))
        text = template.format(**PLACEHOLDERS)
        assert not re.search(r"\d", template), (field, template)
        assert "{" not in text, (field, template)
        assert "}" not in text, (field, template)


@pytest.mark.parametrize("module", MODULES)
def test_at_least_twenty_four_distinct_prefixes_none_inside_another(module):
    prefixes = library_of(module).name_prefixes
    assert len(prefixes) >= 24
    assert len(set(prefixes)) == len(prefixes)
    for prefix in prefixes:
        assert re.fullmatch(r"[A-Z][A-Za-z]+", prefix), prefix
        inside = [other for other in prefixes if other != prefix and prefix in other]
        assert not inside, (prefix, inside)


@pytest.mark.parametrize("module", MODULES)
def test_no_label_contains_a_hedge_word(module):
    for label in labels_of(library_of(module)):
        hedges = [word for word in cues.HEDGE_WORDS if word in label.lower()]
        assert not hedges, (label, hedges)


@pytest.mark.parametrize("module", MODULES)
def test_categorical_values_do_not_contain_each_other(module):
    for categorical in library_of(module).categorical:
        values = [value.lower() for value in categorical.values]
        assert len(set(values)) == len(values), categorical.key
        for value in values:
            inside = [other for other in values if other != value and value in other]
            assert not inside, (categorical.key, value, inside)


def test_prefixes_differ_between_libraries():
    owners = [(module, p.lower()) for module in MODULES for p in library_of(module).name_prefixes]
    for module, prefix in owners:
        clashes = [(m, p) for m, p in owners if (m, p) != (module, prefix) and prefix in p]
        assert not clashes, (module, prefix, clashes)


# --- the stricter rules the new libraries follow --------------------------------------------


@pytest.mark.parametrize("module", MODULES)
def test_numeric_attributes_are_plentiful_and_well_formed(module):
    library = library_of(module)
    assert len(library.numeric) >= 12
    for numeric in library.numeric:
        assert 0 <= numeric.low < numeric.high, numeric.key
        assert numeric.decimals >= 0, numeric.key
        assert not re.search(r"\d", numeric.unit), numeric.key
        # Room for every entity to get its own value after rounding.
        distinct = round((numeric.high - numeric.low) * 10**numeric.decimals) + 1
        assert distinct >= 3 * MAX_ENTITIES, (numeric.key, distinct)


@pytest.mark.parametrize("module", MODULES)
def test_labels_are_lower_case_digit_free_and_avoid_the_entity_kind(module):
    library = library_of(module)
    kind_words = library.entity_kind.split()
    for label in labels_of(library):
        assert label == label.lower(), label
        assert not re.search(r"\d", label), label
        assert not [w for w in kind_words if re.search(rf"\b{w}\b", label)], label


@pytest.mark.parametrize("module", MODULES)
def test_categorical_attributes(module):
    library = library_of(module)
    labels = {label.lower() for label in labels_of(library)}
    unique = [c for c in library.categorical if c.unique]
    shared = [c for c in library.categorical if not c.unique]
    assert 1 <= len(unique) <= 2
    assert all(c.values == PERSON_NAMES for c in unique)
    assert len(shared) >= 2
    for categorical in shared:
        assert 4 <= len(categorical.values) <= 6, categorical.key
        for value in categorical.values:
            assert not re.search(r"\d", value), value
            assert value.lower() not in labels, value
            assert not [
                w for w in cues.HEDGE_WORDS if re.search(rf"\b{re.escape(w)}", value.lower())
            ]


@pytest.mark.parametrize("module", MODULES)
def test_one_yearly_and_one_quarterly_series(module):
    periods = sorted(series.periods for series in library_of(module).series)
    assert periods == sorted([YEARS, QUARTERS])


@pytest.mark.parametrize("module", MODULES)
def test_prose_paragraphs_are_report_length_and_hedge_free(module):
    library = library_of(module)
    assert len(library.titles) >= 2
    for field in PARAGRAPH_FIELDS:
        assert len(getattr(library, field)) >= 2, field
    for field, template in prose_of(library):
        text = template.format(**PLACEHOLDERS)
        if field in PARAGRAPH_FIELDS:
            assert 40 <= len(text.split()) <= 80, (field, len(text.split()), text[:60])
        hedges = [w for w in cues.HEDGE_WORDS if re.search(rf"\b{re.escape(w)}", text.lower())]
        assert not hedges, (field, hedges, text[:60])


@pytest.mark.parametrize("module", MODULES)
def test_prose_names_no_categorical_value(module):
    library = library_of(module)
    values = [v for c in library.categorical for v in c.values]
    for field, template in prose_of(library):
        text = template.format(**PLACEHOLDERS).lower()
        named = [v for v in values if re.search(rf"\b{re.escape(v.lower())}\b", text)]
        assert not named, (field, named)


@pytest.mark.parametrize("module", MODULES)
def test_names_programs_and_cues(module):
    library = library_of(module)
    assert len(library.name_suffixes) >= 4
    for pattern in library.name_patterns:
        names = {n for _, n, _, _ in string.Formatter().parse(pattern) if n is not None}
        assert names <= {"prefix", "suffix", "n"}, pattern
        assert "prefix" in names, pattern
    assert len(library.program_names) >= 4
    for program in library.program_names:
        assert re.fullmatch(r"[A-Z][a-z]+", program), program
    subordinate = {cue.key for cue in cues.SUBORDINATE_CUES}
    authoritative = {cue.key for cue in cues.AUTHORITATIVE_CUES}
    assert len(set(library.subordinate_cues)) == 3
    assert set(library.subordinate_cues) <= subordinate
    assert len(set(library.authoritative_cues)) == 3
    assert set(library.authoritative_cues) <= authoritative
