"""Metadata from the PDF's info dictionary and the first page: title, authors, dates, and
the domain (from the arXiv category, else from the words the paper uses most)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_PATTERNS = (
    re.compile(
        rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})\s+(?P<y>(?:19|20)\d\d)\b", re.I
    ),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
)
_BAD_TITLE_RE = re.compile(
    r"^(untitled|microsoft word|document\d*|title|paper|manuscript|slide|arxiv)\b|\.(pdf|docx?|tex"
    r"|dvi|rtf|odt)$|^[\w-]+\.\w{2,4}$",
    re.I,
)
_AFFILIATION_RE = re.compile(
    r"universit|institut|college|department|dept\.|school|laborator|centre|center|hospital|"
    r"academy|faculty|inc\.|ltd|corporation|@|https?://|\bemail\b|e-mail|received|accepted|"
    r"\bdated?\b|correspond|\d{5}|university|group|china|usa|germany|france|japan|singapore",
    re.I,
)
_NAME_RE = re.compile(
    r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|da|di|del|la|le|bin|al-\w+))*$"
)

CATEGORY_DOMAINS = (
    ("stat.ml", "cs_ai"),
    ("cs.", "cs_ai"),
    ("eess.", "cs_ai"),
    ("q-bio.", "biology"),
    ("q-fin.", "economics"),
    ("econ.", "economics"),
    ("cond-mat.mtrl-sci", "materials_science"),
    ("physics.chem-ph", "chemistry"),
    ("physics.ao-ph", "climate_science"),
    ("physics.med-ph", "medicine"),
    ("physics.bio-ph", "biology"),
    ("physics.", "physics"),
    ("cond-mat", "physics"),
    ("astro-ph", "physics"),
    ("hep-", "physics"),
    ("gr-qc", "physics"),
    ("quant-ph", "physics"),
    ("nucl-", "physics"),
    ("nlin", "physics"),
    ("math-ph", "physics"),
)
DOMAIN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "medicine": (
        "patient",
        "clinical",
        "disease",
        "covid",
        "sars-cov-2",
        "infection",
        "infected",
        "epidemic",
        "epidemiolog",
        "outbreak",
        "transmission",
        "vaccine",
        "hospital",
        "mortality",
        "symptom",
        "treatment",
        "therapy",
        "diagnos",
        "public health",
        "cohort",
        "trial",
        "pandemic",
        "incidence",
        "prevalence",
        "virus",
    ),
    "cs_ai": (
        "neural network",
        "deep learning",
        "machine learning",
        "dataset",
        "training",
        "benchmark",
        "algorithm",
        "accuracy",
        "model",
        "clustering",
        "classification",
        "representation",
        "embedding",
        "transformer",
        "convolutional",
        "gradient",
        "reinforcement",
        "language model",
        "supervised",
        "imagenet",
        "cifar",
        "gpu",
    ),
    "physics": (
        "quantum",
        "particle",
        "electron",
        "photon",
        "magnetic",
        "spin",
        "lattice",
        "hamiltonian",
        "momentum",
        "energy",
        "field theory",
        "relativ",
        "cosmolog",
        "galaxy",
        "neutrino",
        "scattering",
        "phonon",
        "superconduct",
        "boson",
        "fermion",
    ),
    "economics": (
        "market",
        "price",
        "economic",
        "wage",
        "labor",
        "labour",
        "inflation",
        "monetary",
        "fiscal",
        "gdp",
        "firm",
        "trade",
        "tax",
        "household",
        "income",
        "elasticity",
        "welfare",
        "investment",
        "equilibrium",
        "unemployment",
    ),
    "chemistry": (
        "molecule",
        "molecular",
        "reaction",
        "catalys",
        "synthesis",
        "compound",
        "solvent",
        "spectroscop",
        "chemical",
        "ligand",
        "oxidation",
        "bond",
        "nmr",
        "yield",
        "polymer",
    ),
    "biology": (
        "gene",
        "protein",
        "cell",
        "species",
        "genome",
        "dna",
        "rna",
        "evolution",
        "organism",
        "expression",
        "enzyme",
        "population genetic",
        "mutation",
        "tissue",
        "ecolog",
        "sequencing",
    ),
    "materials_science": (
        "alloy",
        "crystal",
        "thin film",
        "microstructure",
        "nanoparticle",
        "grain",
        "mechanical properties",
        "diffraction",
        "annealing",
        "substrate",
        "perovskite",
        "tensile",
        "composite",
    ),
    "climate_science": (
        "climate",
        "temperature",
        "precipitation",
        "warming",
        "carbon",
        "emission",
        "atmospher",
        "ocean",
        "sea level",
        "greenhouse",
        "ice",
        "drought",
        "aerosol",
    ),
}

_KEYWORD_DOMAINS: dict[str, list[str]] = {}
for _domain, _keywords in DOMAIN_KEYWORDS.items():
    for _keyword in _keywords:
        _KEYWORD_DOMAINS.setdefault(_keyword, []).append(_domain)
# single-word keywords (or stems: "epidemiolog") are matched against the word counts,
# phrases ("public health") against the text
_WORD_KEYWORDS = tuple(k for k in _KEYWORD_DOMAINS if " " not in k)
_PHRASES = tuple(k for k in _KEYWORD_DOMAINS if " " in k)


def plausible_title(title: str, first_page_text: str) -> bool:
    """The info-dictionary title is used when it is a real title that the first page prints."""
    title = " ".join(title.split())
    if len(title) < 4 or len(title) > 300 or _BAD_TITLE_RE.search(title):
        return False
    tokens = re.findall(r"[a-z0-9]+", title.lower())
    page = set(re.findall(r"[a-z0-9]+", first_page_text.lower()))
    return bool(tokens) and sum(t in page for t in tokens) >= 0.8 * len(tokens)


def split_authors(author: str) -> tuple[str, ...]:
    author = " ".join(author.split())
    if not author or _BAD_TITLE_RE.search(author) or len(author) > 500:
        return ()
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", author)
    names = tuple(p.strip() for p in parts if p.strip())
    if all(_looks_like_name(n) for n in names):
        return names
    return ()


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 5 and bool(_NAME_RE.match(name)) and not _AFFILIATION_RE.search(name)


def authors_from_lines(lines: list[str]) -> tuple[str, ...]:
    """Names from the lines printed under the title (markers and affiliations dropped)."""
    names: list[str] = []
    for line in lines:
        if _AFFILIATION_RE.search(line) or any(ch.isdigit() for ch in line.replace(",", "")):
            cleaned = re.sub(r"[\d*†‡§¶∗⋆]+", "", line)
            if _AFFILIATION_RE.search(cleaned):
                if names:
                    break
                continue
            line = cleaned
        parts = [p.strip() for p in re.split(r"\s*(?:,|;|\band\b|&|·)\s*", line) if p.strip()]
        if parts and all(_looks_like_name(p) for p in parts):
            names.extend(parts)
        elif names:
            break
    return tuple(dict.fromkeys(names))


def find_date(texts: list[str]) -> str:
    for text in texts:
        for pattern in _DATE_PATTERNS:
            match = pattern.search(text)
            if match:
                parsed = _date(match)
                if parsed:
                    return parsed
    return ""


def _date(match: re.Match) -> str:
    groups = match.groupdict()
    try:
        if "mn" in groups and groups.get("mn"):
            month = int(groups["mn"])
        else:
            prefix = groups["m"].lower().rstrip(".")[:3]
            month = next(i for i, m in enumerate(_MONTHS, 1) if m.startswith(prefix))
        return date(int(groups["y"]), month, int(groups["d"])).isoformat()
    except (ValueError, StopIteration):
        return ""


def pdf_date(value: str) -> str:
    """ "D:20201223103202+08'00'" → "2020-12-23"."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    if not match:
        return ""
    try:
        parsed = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return ""
    return parsed.date().isoformat()


def infer_domain(
    category: str, text: str, known: tuple[str, ...], counts: dict[str, int] | None = None
) -> str:
    """The engine domain of an arXiv category, else the domain whose keywords the text uses
    most (at least eight times and clearly more than the runner-up). ``counts`` (lower-case
    word → occurrences) saves recounting the words of ``text``."""
    category = category.lower()
    if category:
        for prefix, domain in CATEGORY_DOMAINS:
            if category.startswith(prefix) and domain in known:
                return domain
    scores: dict[str, int] = dict.fromkeys((d for d in DOMAIN_KEYWORDS if d in known), 0)
    if not scores:
        return ""
    if counts is None:
        counts = Counter(re.findall(r"[a-z][a-z'-]*[a-z]", text.lower()))
    for word, count in counts.items():
        if word.startswith(_WORD_KEYWORDS):
            for keyword in _WORD_KEYWORDS:
                if word.startswith(keyword):
                    for domain in _KEYWORD_DOMAINS[keyword]:
                        if domain in scores:
                            scores[domain] += count
    lowered = text.lower() if _PHRASES else ""
    for phrase in _PHRASES:
        hits = lowered.count(phrase)
        for domain in _KEYWORD_DOMAINS[phrase]:
            if domain in scores:
                scores[domain] += hits
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if score >= 8 and score >= 1.3 * runner_up:
        return best
    return ""
