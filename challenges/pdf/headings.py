"""Headings: how a heading is numbered ("3.2", "IV.", "A.1", "Appendix B"), which titles
are headings even when set plainly ("Abstract", "References"), and the levels of the
section tree (from the numbering, else from the heading's type size and weight)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from challenges.pdf.text import word_set

_NUMBERINGS = (
    (re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<t>\S.*)$"), "arabic"),
    (re.compile(r"^(?P<n>[IVX]{1,5})\.\s*(?P<t>\S.*)$"), "roman"),
    (re.compile(r"^(?P<n>[A-H](?:\.\d{1,2}){1,3})\.?\s+(?P<t>\S.*)$"), "letter"),
    (re.compile(r"^(?P<n>[A-H])\.\s+(?P<t>\S.*)$"), "letter"),
    (
        re.compile(
            r"^(?:appendix|supplementary\s+(?:note|section))\s+(?P<n>[A-Z0-9](?:\.\d+)*)"
            r"\s*[:.—–-]?\s*(?P<t>.*)$",
            re.I,
        ),
        "appendix",
    ),
)
_BARE_LETTER_RE = re.compile(r"^(?P<n>[A-H])\s+(?P<t>[A-Z]\S*.*)$")
_KNOWN_TITLES = word_set(
    """abstract introduction background preliminaries method methods methodology model
    models approach experiments experiment results discussion conclusion conclusions
    summary limitations acknowledgments acknowledgements acknowledgment acknowledgement
    references bibliography appendix appendices evaluation analysis implementation data
    funding keywords"""
) | {
    "related work",
    "related works",
    "materials and methods",
    "methods and materials",
    "experimental setup",
    "experimental results",
    "results and discussion",
    "conclusions and future work",
    "conclusion and future work",
    "future work",
    "literature cited",
    "works cited",
    "supplementary material",
    "supplementary materials",
    "supporting information",
    "data availability",
    "author contributions",
    "competing interests",
    "conflict of interest",
    "conflicts of interest",
    "ethics statement",
    "executive summary",
    "materials & methods",
    "references and notes",
    "declaration of competing interest",
}
_REFERENCE_TITLES = frozenset(
    {
        "references",
        "bibliography",
        "literature cited",
        "works cited",
        "references and notes",
        "reference list",
        "cited literature",
        "literature",
    }
)
_TOP_LEVEL_TITLES = _REFERENCE_TITLES | {
    "abstract",
    "acknowledgments",
    "acknowledgements",
    "acknowledgment",
    "acknowledgement",
    "appendix",
    "appendices",
    "supplementary material",
    "supplementary materials",
    "supporting information",
}
_SMALL_CAPS_RE = re.compile(r"\b([A-Z]) (?=[A-Z]{2,}\b)")


@dataclass
class Heading:
    number: str
    title: str
    scheme: str  # arabic, roman, letter, appendix, or "" when unnumbered
    size: float
    bold: bool
    run_in: bool = False
    level: int = 1


def normalise_title(title: str) -> str:
    return re.sub(r"[^a-z& ]+", "", title.lower()).strip()


def is_known_title(title: str) -> bool:
    return normalise_title(title) in _KNOWN_TITLES


def is_reference_title(title: str) -> bool:
    return normalise_title(title) in _REFERENCE_TITLES


def is_appendix_heading(heading: Heading) -> bool:
    title = normalise_title(heading.title)
    return (
        heading.scheme == "appendix"
        or title.startswith(("appendix", "appendices", "supplementary", "supporting"))
        or (heading.scheme == "letter" and bool(heading.number))
    )


def split_number(text: str, *, appendix_context: bool = False) -> tuple[str, str, str]:
    """(number, title, scheme) of a heading line; number and scheme "" when unnumbered."""
    text = fix_small_caps(text.strip())
    for pattern, scheme in _NUMBERINGS:
        match = pattern.match(text)
        if match:
            title = match.group("t").strip().rstrip(".:")
            if scheme == "arabic" and int(match.group("n").split(".")[0]) > 40:
                continue
            return match.group("n"), title, scheme
    if appendix_context:
        match = _BARE_LETTER_RE.match(text)
        if match:
            return match.group("n"), match.group("t").strip().rstrip(".:"), "letter"
    return "", text.rstrip(".:").strip(), ""


def fix_small_caps(text: str) -> str:
    """ "I NTRODUCTION" (small caps drawn as a capital and a smaller capital run) →
    "INTRODUCTION"."""
    if text.upper() == text and _SMALL_CAPS_RE.search(text):
        return _SMALL_CAPS_RE.sub(r"\1", text)
    return text


def title_case_words(title: str) -> bool:
    """Does the title read like a heading rather than a sentence fragment?"""
    words = title.split()
    if not words or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    if len(words) > 16 or title.endswith((",", ";")) or title.count(",") >= 2:
        return False  # a list of names is an author line, not a heading
    lowercase_run = sum(1 for w in words if w[0].islower() and len(w) > 3)
    return lowercase_run <= max(4, len(words) // 2 + 1)


def assign_levels(headings: list[Heading]) -> None:
    """Levels from the numbering where there is one (with roman numerals the first level,
    "A." is the second and "1." the third, as in REVTeX); unnumbered headings rank by type
    size and weight; abstract, references, acknowledgements and appendices are top level."""
    numbered = [h for h in headings if h.scheme and h.scheme != "appendix"]
    primary = numbered[0].scheme if numbered else ""
    styles = sorted(
        {
            _style(h)
            for h in headings
            if not h.scheme and normalise_title(h.title) not in _TOP_LEVEL_TITLES
        },
        reverse=True,
    )
    current = 0
    for heading in headings:
        title = normalise_title(heading.title)
        if heading.scheme == "arabic":
            depth = heading.number.count(".") + 1
            heading.level = depth + 2 if primary == "roman" and depth == 1 else depth
        elif heading.scheme == "roman" or heading.scheme == "appendix":
            heading.level = 1
        elif heading.scheme == "letter":
            depth = heading.number.count(".") + 1
            heading.level = 2 if primary == "roman" and depth == 1 else depth
        elif title in _TOP_LEVEL_TITLES or (numbered and is_known_title(heading.title)):
            heading.level = 1
        elif numbered:
            heading.level = min(4, current + 1)
        else:
            heading.level = min(4, styles.index(_style(heading)) + 1)
        if heading.scheme:
            current = heading.level


def _style(heading: Heading) -> tuple[float, bool]:
    return (round(heading.size * 2) / 2, heading.bold)


def parents(levels: list[int]) -> list[int | None]:
    """The enclosing section of each heading: the nearest earlier one of a lower level."""
    out: list[int | None] = []
    stack: list[int] = []
    for index, level in enumerate(levels):
        while stack and levels[stack[-1]] >= level:
            stack.pop()
        out.append(stack[-1] if stack else None)
        stack.append(index)
    return out
