"""Units → ``ParsedPaper``: the title (block 0), front matter (authors, affiliations, date:
metadata, not blocks), the abstract, the section tree (references and everything after them
left out, appendices excepted), and the blocks with their repaired text."""

from __future__ import annotations

import re

from challenges.engine.domains import DOMAIN_NAMES
from challenges.paper import Block, PaperMetadata, ParsedPaper, Section, Table
from challenges.pdf.headings import (
    Heading,
    assign_levels,
    fix_small_caps,
    is_appendix_heading,
    is_known_title,
    is_reference_title,
    parents,
)
from challenges.pdf.metadata import (
    authors_from_lines,
    find_date,
    infer_domain,
    pdf_date,
    plausible_title,
    split_authors,
)
from challenges.pdf.tables import FoundTable
from challenges.pdf.text import (
    ODD_GLYPH_RE,
    Vocabulary,
    apply_glyph_map,
    join_lines,
    repair_odd_glyphs,
)
from challenges.pdf.units import Unit

_REFERENCE_ENTRY_RE = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}\.)\s+\S.*\b(?:19|20)\d\d\b")
_FRONT_NOISE_RE = re.compile(r"^(?:copyright|©|\*?\s*correspond|preprint|accepted|received)", re.I)
ABSTRACT_MIN_WORDS = 40


def assemble(*, units, tables, info, stamp, page_count, body_size, warnings) -> ParsedPaper:
    title_unit = _title_unit(units, body_size)
    printed_title = " ".join(title_unit.lines) if title_unit else ""
    if printed_title:  # the title again, inside a figure or as a running head
        units = [u for u in units if u is title_unit or u.text.strip() != printed_title]
    front, units = _split_front_matter(units, title_unit)
    units = [u for u in units if u.kind != "figure"]
    first_page_text = " ".join(
        [printed_title, *(" ".join(u.lines) for u in front)]
        + [" ".join(u.lines) for u in units[:30] if u.page == 1]
    )
    meta_title = " ".join((info.get("title") or "").split())
    title = meta_title if plausible_title(meta_title, first_page_text) else printed_title
    title = fix_small_caps(title) if title.isupper() else title
    if not title:
        first = next((u for u in units + front if u.page == 1 and u.lines), None)
        if first is not None and len(first.lines[0].split()) <= 25:
            title = first.lines[0]  # nothing stands out: the first line will have to do
        warnings.append("no title stands out on the first page, nor in the PDF metadata")

    texts = [title, *(line for u in units for line in u.lines)]
    texts += [cell for t in tables for row in t.rows for cell in row]
    texts += [ln.text for t in tables for ln in t.caption_lines]
    vocabulary = Vocabulary(texts)
    glyphs = repair_odd_glyphs([t for t in texts if ODD_GLYPH_RE.search(t)], vocabulary)

    def fix(text: str) -> str:
        return apply_glyph_map(text, glyphs) if glyphs else text

    sections, blocks, table_records = _sections_and_blocks(units, tables, fix, vocabulary)
    blocks.insert(0, Block(0, "heading", fix(title), 1, None))
    blocks = [Block(i, b.kind, b.text, b.page, b.section, b.table) for i, b in enumerate(blocks)]
    front_lines = [fix(line) for u in front for line in u.lines]
    abstract = _abstract(sections, blocks)
    document_text = " ".join(b.text for b in blocks[:400])
    authors = split_authors(info.get("author") or "")
    if not authors or not all(a.split()[-1] in first_page_text for a in authors):
        authors = authors_from_lines(front_lines[:12])
    metadata = PaperMetadata(
        title=fix(title),
        authors=authors,
        abstract=abstract,
        arxiv_id=stamp.arxiv_id if stamp else "",
        arxiv_version=stamp.version if stamp else None,
        arxiv_category=stamp.category if stamp else "",
        arxiv_date=stamp.date if stamp else "",
        date=find_date(front_lines[:20])
        or (stamp.date if stamp else "")
        or pdf_date(info.get("creationDate") or ""),
        page_count=page_count,
        domain=infer_domain(
            stamp.category if stamp else "", document_text, DOMAIN_NAMES, vocabulary.counts
        ),
    )
    return ParsedPaper(
        metadata, tuple(sections), tuple(blocks), tuple(table_records), tuple(warnings)
    )


def _title_unit(units: list[Unit], body_size: float) -> Unit | None:
    first = [u for u in units[:20] if u.page == 1 and u.kind in ("heading", "paragraph", "figure")]
    if not first:
        return None
    biggest = max(max(row.size for row in u.rows) for u in first)
    if biggest < body_size + 1:
        return None
    return next(u for u in first if max(row.size for row in u.rows) == biggest)


def _split_front_matter(units: list[Unit], title_unit: Unit | None):
    """Page-1 units before the first heading that are not a long paragraph are front
    matter (authors, affiliations, dates, notes)."""
    front: list[Unit] = []
    rest: list[Unit] = []
    in_front = True
    for unit in units:
        if unit is title_unit:
            continue
        if in_front and (unit.page != 1 or _opens_body(unit)):
            in_front = False
        long = unit.kind == "paragraph" and len(unit.text.split()) >= ABSTRACT_MIN_WORDS
        if (
            (in_front and not long)
            or (unit.page == 1 and unit.kind == "footnote")
            or (unit.kind == "paragraph" and _FRONT_NOISE_RE.match(unit.text) and unit.page == 1)
        ):
            front.append(unit)
        else:
            rest.append(unit)
    return front, rest


def _opens_body(unit: Unit) -> bool:
    """The first heading of the body: numbered, bold, or a title like "Abstract" (an author
    line set large under the title is not)."""
    if unit.kind != "heading":
        return False
    heading = unit.heading
    return bool(heading.scheme) or heading.bold or is_known_title(heading.title)


def _sections_and_blocks(units: list[Unit], tables: list[FoundTable], fix, vocabulary):
    kept: list[Unit] = []
    in_references = False
    for unit in units:
        if unit.kind == "heading":
            if is_reference_title(unit.heading.title):
                in_references = True
                kept.append(unit)
                continue
            if in_references and not is_appendix_heading(unit.heading):
                continue
            if in_references:
                in_references = False
        if not in_references:
            kept.append(unit)
    if not any(u.kind == "heading" and is_reference_title(u.heading.title) for u in kept):
        kept = _drop_trailing_references(kept)
    headings: list[Heading] = [u.heading for u in kept if u.kind == "heading"]
    assign_levels(headings)
    parent_of = parents([h.level for h in headings])
    sections: list[Section] = []
    blocks: list[Block] = []
    records: list[Table] = []
    current: int | None = None
    skipping = False
    for unit in kept:
        page = unit.page
        if unit.kind == "heading":
            index = len(sections)
            h = unit.heading
            title = fix(fix_small_caps(h.title))
            sections.append(Section(index, h.number, title, h.level, parent_of[index]))
            current = index
            skipping = is_reference_title(h.title)
            if not skipping:
                blocks.append(Block(0, "heading", sections[-1].label, page, current))
            continue
        if skipping:
            continue
        if unit.kind == "table":
            found = tables[unit.table]
            caption = fix(join_lines([ln.text for ln in found.caption_lines], vocabulary))
            rows = tuple(tuple(fix(cell) for cell in row) for row in found.rows)
            record = Table(len(records), caption, rows, page, current, found.has_header)
            records.append(record)
            blocks.append(Block(0, "table", record.text(), page, current, record.index))
            continue
        lines = [fix(line) for line in unit.lines]
        if unit.kind == "equation":
            text = " ".join(" ".join(lines).split())
        else:
            text = join_lines(lines, vocabulary)
        if not text.strip():
            continue
        kind = {"footnote": "paragraph"}.get(unit.kind, unit.kind)
        blocks.append(Block(0, kind, text, page, current))
    return sections, blocks, records


def _drop_trailing_references(units: list[Unit]) -> list[Unit]:
    """A reference list without a heading (REVTeX prints none): a run of at least three
    "[12] Author, … 2019" entries closing the document."""
    end = len(units)
    while (
        end > 0
        and units[end - 1].kind in ("paragraph", "list", "footnote")
        and (_REFERENCE_ENTRY_RE.match(units[end - 1].text))
    ):
        end -= 1
    return units[:end] if len(units) - end >= 3 else units


def _abstract(sections: list[Section], blocks: list[Block]) -> str:
    """The paragraphs of the "Abstract" section, else the first long paragraph on page 1
    before any heading (an abstract printed without one)."""
    for section in sections:
        if section.title.lower().startswith("abstract"):
            parts = [b.text for b in blocks if b.section == section.index and b.kind == "paragraph"]
            if parts:
                return "\n\n".join(parts[:3])
    for block in blocks[1:]:
        if block.page != 1 or block.kind == "heading":
            break
        if block.kind == "paragraph" and len(block.text.split()) >= ABSTRACT_MIN_WORDS:
            return block.text
    return ""
