"""Rendering the hidden table as a technical report, remembering where each fact is stated.

The report has titled sections: introduction (with a roster of the entities), methods,
one profile paragraph per entity (narrative sentences, parentheticals and a key–value
block), a results table, series sentences, discussion and notes on sources. Conflicts are
two statements of one fact placed in two different paragraphs; neither section nor order
tells which is which. Hedge and authority words also appear in sentences that state nothing
(decoys) and in the single statement of some facts that are not in conflict.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from challenges.engine import cues, forms
from challenges.engine.conflicts import ConflictPlan
from challenges.engine.spec import DomainLibrary
from challenges.engine.table import Entity, HiddenTable

TABLE_NUMBER = "1"
APPENDIX_TABLE = "A1"
TABLE_COLUMNS = 4


@dataclass(frozen=True)
class Statement:
    section: str
    paragraph_index: int
    quote: str


@dataclass
class _Paragraph:
    section: str
    prose: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        head = " ".join(self.prose)
        if not self.lines:
            return head
        return "\n".join([head, *self.lines]) if head else "\n".join(self.lines)


@dataclass(frozen=True)
class RenderedConflict:
    plan: ConflictPlan
    subordinate: Statement
    authoritative: Statement


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str
    sections: tuple[str, ...]
    # (entity, attribute key, period or None) → where it is stated (the authoritative
    # statement for a conflict).
    statements: dict[tuple[str, str, str | None], Statement]
    conflicts: tuple[RenderedConflict, ...]
    table_keys: tuple[str, ...]
    word_count: int


def value_text(library: DomainLibrary, key: str, value: float) -> str:
    attribute = library.attribute(key)
    return forms.with_unit(forms.number_text(value, attribute.decimals), attribute.unit)


class _Writer:
    def __init__(self, rng: random.Random, table: HiddenTable, table_keys: list[str]):
        self.rng = rng
        self.table = table
        self.library = table.library
        self.table_keys = table_keys
        self.paragraphs: list[_Paragraph] = []
        self.statements: dict[tuple[str, str, str | None], Statement] = {}
        kind = self.library.entity_kind
        self.context = {
            "program": rng.choice(self.library.program_names),
            "count": forms.count_word(len(table.entities)),
            "count_cap": forms.capitalise(forms.count_word(len(table.entities))),
            "kind": kind,
            "kind_cap": forms.capitalise(kind),
            "kind_plural": self.library.entity_plural,
            "kind_plural_cap": forms.capitalise(self.library.entity_plural),
        }
        titles = {**forms.DEFAULT_SECTION_TITLES, **self.library.section_titles}
        self.section_titles = {
            key: titles[key].format(**self.context) for key in forms.SECTION_KEYS
        }

    def prose(self, template: str) -> str:
        return template.format(**self.context)

    def paragraph(self, section_key: str, prose=(), lines=()) -> int:
        section = self.section_titles[section_key]
        self.paragraphs.append(_Paragraph(section, list(prose), list(lines)))
        return len(self.paragraphs) - 1

    def heading(self, section_key: str) -> None:
        number = forms.SECTION_KEYS.index(section_key) + 1
        self.paragraph(section_key, [f"{number}. {self.section_titles[section_key]}"])

    def state(self, index: int, fact: tuple[str, str, str | None], quote: str, *, line=False):
        paragraph = self.paragraphs[index]
        (paragraph.lines if line else paragraph.prose).append(quote)
        self.statements[fact] = Statement(paragraph.section, index, quote)

    def number_fact(self, entity: Entity, key: str, template: str) -> str:
        attribute = self.library.attribute(key)
        return template.format(
            entity=entity.name,
            label=attribute.label,
            Label=forms.capitalise(attribute.label),
            a=forms.article(attribute.label),
            value=value_text(self.library, key, entity.numbers[key]),
            table=APPENDIX_TABLE,
        )


def render(
    rng: random.Random, table: HiddenTable, table_keys: list[str], plans: list[ConflictPlan]
) -> Rendered:
    """Write the report. ``table_keys`` are the numeric attributes shown in the results
    table; every other numeric attribute is written in the profiles."""
    writer = _Writer(rng, table, table_keys)
    library = table.library
    title = writer.prose(rng.choice(library.titles))
    conflicted = {(plan.entity, plan.key) for plan in plans}
    narrative_keys = [a.key for a in library.numeric if a.key not in table_keys]
    free = [
        (e.name, k) for e in table.entities for k in narrative_keys if (e.name, k) not in conflicted
    ]
    # Facts stated once, with a cue word, and true all the same.
    cued = rng.sample(free, min(len(free), 4))
    cued_with = {
        fact: (cues.SUBORDINATE_CUES if i < 2 else cues.AUTHORITATIVE_CUES)
        for i, fact in enumerate(cued)
    }

    writer.paragraph("introduction", [title])
    slots = []
    writer.heading("introduction")
    intro = rng.sample(list(library.intro), min(2, len(library.intro)))
    roster = forms.ROSTER.format(
        count=writer.context["count"],
        kind_plural=library.entity_plural,
        names=forms.join_words([e.name for e in table.entities]),
    )
    slots.append(writer.paragraph("introduction", [writer.prose(intro[0]), roster]))
    slots.extend(writer.paragraph("introduction", [writer.prose(p)]) for p in intro[1:])

    writer.heading("methods")
    for text in rng.sample(list(library.methods), min(2, len(library.methods))):
        slots.append(writer.paragraph("methods", [writer.prose(text)]))

    writer.heading("profiles")
    for entity in table.entities:
        index = writer.paragraph("profiles")
        slots.append(index)
        _profile(writer, index, entity, narrative_keys, conflicted, cued_with)

    writer.heading("results")
    _results_table(writer, table_keys)
    writer.heading("trends")
    for series in library.series:
        index = writer.paragraph("trends")
        for entity in table.entities:
            _series_sentence(writer, index, entity, series.key)

    writer.heading("discussion")
    for text in rng.sample(list(library.discussion), min(2, len(library.discussion))):
        slots.append(writer.paragraph("discussion", [writer.prose(text)]))
    writer.heading("sources")
    slots.append(writer.paragraph("sources", [_sources_opening(writer)]))

    _decoys(writer, slots)
    rendered_conflicts = tuple(_plant(writer, plan, slots) for plan in plans)

    texts = [p.text() for p in writer.paragraphs]
    text = "\n\n".join(texts)
    return Rendered(
        title=title,
        text=text,
        sections=tuple(dict.fromkeys(p.section for p in writer.paragraphs)),
        statements=writer.statements,
        conflicts=rendered_conflicts,
        table_keys=tuple(table_keys),
        word_count=len(text.split()),
    )


def _profile(writer: _Writer, index: int, entity: Entity, narrative_keys, conflicted, cued_with):
    rng, library = writer.rng, writer.library
    categoricals = list(library.categorical)
    rng.shuffle(categoricals)
    numbers = [k for k in narrative_keys if (entity.name, k) not in conflicted]
    rng.shuffle(numbers)
    plain = [k for k in numbers if (entity.name, k) not in cued_with]
    key_value = plain[: max(0, len(plain) - 5)]
    for position, categorical in enumerate(categoricals):
        value = entity.labels[categorical.key]
        candidates = [k for k in plain if k not in key_value]
        if position == 0 and candidates:
            # A parenthetical: one sentence states a categorical and a numeric fact.
            key = candidates[0]
            plain.remove(key)
            attribute = library.attribute(key)
            quote = forms.NUMERIC_PARENTHETICAL.format(
                entity=entity.name,
                cat_value=value,
                cat_label=categorical.label,
                label=attribute.label,
                value=value_text(library, key, entity.numbers[key]),
            )
            writer.state(index, (entity.name, categorical.key, None), quote)
            writer.statements[(entity.name, key, None)] = writer.statements[
                (entity.name, categorical.key, None)
            ]
            numbers.remove(key)
            continue
        template = rng.choice(forms.CATEGORICAL_NARRATIVE)
        quote = template.format(entity=entity.name, label=categorical.label, value=value)
        writer.state(index, (entity.name, categorical.key, None), quote)
    for key in numbers:
        if key in key_value:
            continue
        if (entity.name, key) in cued_with:
            cue = rng.choice(cued_with[(entity.name, key)])
            template = rng.choice(cue.templates)
        else:
            template = rng.choice(forms.NUMERIC_NARRATIVE)
        writer.state(index, (entity.name, key, None), writer.number_fact(entity, key, template))
    if key_value:
        writer.paragraphs[index].lines.append(forms.KEY_VALUE_HEADER.format(entity=entity.name))
        for key in key_value:
            line = writer.number_fact(entity, key, forms.KEY_VALUE_LINE)
            writer.state(index, (entity.name, key, None), line, line=True)


def table_header(library: DomainLibrary, keys) -> str:
    cells = [forms.capitalise(library.entity_kind)]
    for key in keys:
        attribute = library.attribute(key)
        unit = f" ({attribute.unit})" if attribute.unit else ""
        cells.append(f"{forms.capitalise(attribute.label)}{unit}")
    return "| " + " | ".join(cells) + " |"


def _results_table(writer: _Writer, keys: list[str]) -> None:
    library = writer.library
    labels = forms.join_words([library.attribute(k).label for k in keys])
    caption = forms.TABLE_CAPTION.format(
        table=TABLE_NUMBER, labels=forms.capitalise(labels), kind=library.entity_kind
    )
    header = table_header(library, keys)
    index = writer.paragraph("results", [caption], [header, "|" + "---|" * (len(keys) + 1)])
    for entity in writer.table.entities:
        cells = [entity.name]
        for key in keys:
            attribute = library.attribute(key)
            cells.append(forms.number_text(entity.numbers[key], attribute.decimals))
        row = "| " + " | ".join(cells) + " |"
        writer.paragraphs[index].lines.append(row)
        for key in keys:
            writer.statements[(entity.name, key, None)] = Statement(
                writer.paragraphs[index].section, index, row
            )


def _series_sentence(writer: _Writer, index: int, entity: Entity, key: str) -> None:
    library = writer.library
    series = library.attribute(key)
    values = [forms.number_text(v, series.decimals) for v in entity.series[key]]
    if writer.rng.random() < 0.5:
        quote = forms.SERIES_RESPECTIVELY.format(
            label=series.label,
            entity=entity.name,
            values=forms.join_words(values),
            periods=forms.join_words(list(series.periods)),
            unit=series.unit,
        )
    else:
        pairs = [f"{v} in {p}" for v, p in zip(values, series.periods, strict=True)]
        quote = forms.SERIES_PAIRED.format(
            entity=entity.name,
            label=series.label,
            a=forms.article(series.label),
            pairs=forms.join_words(pairs),
            unit=series.unit,
        )
    paragraph = writer.paragraphs[index]
    paragraph.prose.append(quote)
    for period in series.periods:
        writer.statements[(entity.name, key, period)] = Statement(paragraph.section, index, quote)


def _sources_opening(writer: _Writer) -> str:
    return writer.prose(
        "Figures in this report were compiled from several documents produced over the life "
        "of the {program} programme, which did not always agree with one another."
    )


def _decoys(writer: _Writer, slots: list[int]) -> None:
    """Sentences with hedge and authority words that state no fact."""
    rng = writer.rng
    chosen = rng.sample(list(cues.SUBORDINATE_CUES), 3) + rng.sample(
        list(cues.AUTHORITATIVE_CUES), 2
    )
    for cue in chosen:
        sentence = rng.choice(cue.decoys).format(table=APPENDIX_TABLE)
        writer.paragraphs[rng.choice(slots)].prose.append(sentence)


def _plant(writer: _Writer, plan: ConflictPlan, slots: list[int]) -> RenderedConflict:
    entity = writer.table.entity(plan.entity)
    library = writer.library
    attribute = library.attribute(plan.key)
    first, second = sorted(writer.rng.sample(slots, 2))
    sub_index, auth_index = (first, second) if plan.subordinate_first else (second, first)

    def sentence(cue_key: str, template: int, value: float) -> str:
        return (
            cues.CUES[cue_key]
            .templates[template]
            .format(
                entity=entity.name,
                label=attribute.label,
                a=forms.article(attribute.label),
                value=value_text(library, plan.key, value),
                table=APPENDIX_TABLE,
            )
        )

    sub_text = sentence(plan.subordinate_cue, plan.subordinate_template, plan.conflicting_value)
    auth_text = sentence(
        plan.authoritative_cue, plan.authoritative_template, plan.authoritative_value
    )
    writer.state(auth_index, (entity.name, plan.key, None), auth_text)
    writer.paragraphs[sub_index].prose.append(sub_text)
    subordinate = Statement(writer.paragraphs[sub_index].section, sub_index, sub_text)
    return RenderedConflict(plan, subordinate, writer.statements[(entity.name, plan.key, None)])
