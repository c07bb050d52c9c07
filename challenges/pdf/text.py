"""Text repair: ligature and odd glyphs, LaTeX spacing accents, whitespace, and joining the
lines of a paragraph (hyphenation).

Pure string functions; the only state is a ``Vocabulary`` of the document's own words, which
decides whether a line-end hyphen is a syllable break ("spe-|cific") or a real compound
("cluster-|level"), and which letters an unmapped glyph stands for.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter


def word_set(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list written as one string."""
    return frozenset(text.split())


_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\ua732": "AA",
    "\ua733": "aa",
    "\u0132": "IJ",
    "\u0133": "ij",
}
# TeX's OT1 encoding puts the f-ligatures at these control positions; a font without a
# ToUnicode map leaks them into the text.
_TEX_LIGATURES = {"\x0b": "ff", "\x0c": "fi", "\x0d": "fl", "\x0e": "ffi", "\x0f": "ffl"}
_TEX_LIGATURE_RE = re.compile(r"(?<=[A-Za-z])[\x0b-\x0f]|[\x0b-\x0f](?=[a-z])")
_DASHES = {"\u2212": "-", "\u2010": "-", "\u2011": "-", "\u00ad": ""}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"), " ")
_SPACES.update(dict.fromkeys(map(ord, "\u2008\u2009\u200a\u202f\u205f\u3000\t"), " "))
_SPACES.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None))
_TRANSLATE = str.maketrans({**_LIGATURES, **_DASHES}) | _SPACES
# Spacing accents that LaTeX draws as separate glyphs before the letter ("Hyv¨arinen").
_SPACING_ACCENTS = {
    "\u00a8": "\u0308",
    "\u00b4": "\u0301",
    "\u02c6": "\u0302",
    "\u02dc": "\u0303",
    "\u02c7": "\u030c",
    "\u02d8": "\u0306",
    "\u02da": "\u030a",
    "\u02d9": "\u0307",
}
_ACCENT_RE = re.compile("([" + "".join(_SPACING_ACCENTS) + r"]) ?([A-Za-z])")
# Glyphs a font without a usable ToUnicode map produces: private use area, the replacement
# character, and stray C0 controls.
ODD_GLYPH_RE = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x10-\x1f]")
# An odd glyph inside or at the edge of a lower-case word: "speci�c", "�rst", "e�".
_IN_WORD_GLYPH_RE = re.compile(
    "(?<=[a-z])[\ue000-\uf8ff\ufffd\x00-\x08\x10-\x1f]|[\ue000-\uf8ff\ufffd\x00-\x08\x10-\x1f](?=[a-z])"
)
# Common words spelled with the letter pairs fonts draw as one glyph: evidence for guessing
# an unmapped glyph when the document never spells those letters out (a browser print with
# a broken ligature table replaces every "fi" alike).
COMMON_LIGATURE_WORDS = word_set(
    """first find finding findings field fields figure figures final finally fit fitted
    fitting five fixed file files filter filtered fine finite firm firms specific
    specifically significant significantly significance scientific define defined
    definition confidence confident coefficient coefficients efficient efficiency
    efficiently sufficient sufficiently profile profiles benefit benefits classification
    classified classifier modified modification identified identify identification
    verified verification quantified simplified artificial official difficult difficulty
    fiber unified specified justified satisfied configuration conflict conflicts
    influence influenced flow flows flux fluid flexible reflect reflects reflected
    reflection inflation inflammation inflammatory fluorescence floor flat flight flood
    fleet effect effects effective effectively effectiveness different difference
    differences differential differ offer offered office officer staff affect affected
    affects afford traffic diffusion suffer buffer cutoff effort efforts off offset
    offline affiliation affinity shuffle shuffled effluent after left soft shift shifted
    draft drift software often fifty attention better pattern patterns setting settings
    matter written attempt bottom letter little scatter the this that with other than
    then there these those both method methods three through thus within without further
    whether although together though"""
)
_ODD_CANDIDATES = ("fi", "fl", "ff", "ffi", "ffl", "ft", "ti", "tt", "th", "st", "f", "")
_FOLDABLE_RE = re.compile("[\uff01-\uff5e\ufb00-\ufb4f]")
_SPACE_RE = re.compile(r"[ \t]{2,}")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
# A line ends a sentence when it ends with terminal punctuation, possibly followed by a
# closing quote, bracket or a footnote/citation mark.
_SENTENCE_END_RE = re.compile(r"[.!?:;][\"'”’)\]]*(?:\s*\[\d[\d,\s–-]*\])?$")
_CUT_WORD_RE = re.compile(r"\S+-\s*$")
_SUSPENDED_HYPHEN_NEXT = frozenset({"and", "or", "to", "nor", "as", "versus", "vs"})


def clean(text: str) -> str:
    """Repair one line or span: ligatures, TeX control-position ligatures, spacing accents,
    compatibility characters that are safe to fold (NFKC only on presentation forms),
    dashes, and runs of spaces."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():
        return text if "  " not in text else _SPACE_RE.sub(" ", text)
    text = text.translate(_TRANSLATE)
    if _TEX_LIGATURE_RE.search(text):
        text = _TEX_LIGATURE_RE.sub(lambda m: _TEX_LIGATURES[m.group(0)], text)
    if _ACCENT_RE.search(text):
        text = _ACCENT_RE.sub(_compose_accent, text)
    if _FOLDABLE_RE.search(text):
        # fullwidth and presentation forms only: NFKC on everything would also turn "x²"
        # into "x2" and "½" into "1⁄2"
        text = _FOLDABLE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return _SPACE_RE.sub(" ", text)


def _compose_accent(match: re.Match) -> str:
    composed = unicodedata.normalize("NFC", match.group(2) + _SPACING_ACCENTS[match.group(1)])
    return composed if len(composed) == 1 else match.group(2)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END_RE.search(text.rstrip()))


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


class Vocabulary:
    """The document's own words (lower-cased, with their counts), gathered before lines are
    joined, and a character trigram model over them for guessing unmapped glyphs."""

    def __init__(self, texts: list[str]):
        # a word cut at the line end ("spe-") is not a word of the document
        joined = "\n".join(_CUT_WORD_RE.sub("", text) for text in texts).lower()
        self.counts: Counter[str] = Counter(_WORD_RE.findall(joined))
        self._trigrams: Counter[str] | None = None
        self._bigrams: Counter[str] | None = None

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts

    def _train(self) -> None:
        self._trigrams, self._bigrams = Counter(), Counter()
        for word, count in self.counts.items():
            if ODD_GLYPH_RE.search(word):
                continue
            padded = f"^{word}$"
            for i in range(len(padded) - 2):
                self._trigrams[padded[i : i + 3]] += count
                self._bigrams[padded[i : i + 2]] += count

    def plausibility(self, word: str) -> float:
        """Mean log-probability of the word's letter trigrams (higher reads more like the
        rest of the document)."""
        if self._trigrams is None:
            self._train()
        padded = f"^{word.lower()}$"
        score = 0.0
        for i in range(len(padded) - 2):
            tri = self._trigrams[padded[i : i + 3]]
            bi = self._bigrams[padded[i : i + 2]]
            score += math.log((tri + 0.1) / (bi + 3.0))
        return score / max(1, len(padded) - 2)


def repair_odd_glyphs(texts: list[str], vocabulary: Vocabulary) -> dict[str, str]:
    """For each unmapped glyph in ``texts``, the letters it most plausibly stands for: the
    candidate that turns the most affected words into words the document spells out
    elsewhere, else the one whose words read most like the document's others. Returns the
    mapping (a glyph absent from it is dropped by ``apply_glyph_map``)."""
    affected: dict[str, list[str]] = {}
    for text in texts:
        for token in re.findall(r"\S+", text):
            for glyph in set(_IN_WORD_GLYPH_RE.findall(token)):
                word = re.sub(r"[^\w\ue000-\uf8ff\ufffd\x01-\x1f]", "", token)
                affected.setdefault(glyph, []).append(word)
    mapping: dict[str, str] = {}
    for glyph, tokens in affected.items():
        tokens = [t for t in tokens if re.search(r"[A-Za-z]", t)]
        if not tokens:
            continue
        best, best_key = "", (-1, -math.inf)
        for candidate in _ODD_CANDIDATES:
            known = 0
            plausibility = 0.0
            for token in tokens:
                word = ODD_GLYPH_RE.sub("", token.replace(glyph, candidate)).lower()
                known += word in vocabulary.counts or word in COMMON_LIGATURE_WORDS
                plausibility += vocabulary.plausibility(word)
            key = (known, plausibility / len(tokens))
            if key > best_key:
                best, best_key = candidate, key
        mapping[glyph] = best
    return mapping


def apply_glyph_map(text: str, mapping: dict[str, str]) -> str:
    """Replace the glyphs ``repair_odd_glyphs`` resolved where they sit in a word; elsewhere
    (a math symbol without a code point) they stay as they are."""
    if not ODD_GLYPH_RE.search(text):
        return text
    return _IN_WORD_GLYPH_RE.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)


def join_lines(lines: list[str], vocabulary: Vocabulary | None = None) -> str:
    """Join a paragraph's lines: a line-end hyphen between letters is dropped when the
    joined word is the document's own spelling (or neither spelling occurs elsewhere), kept
    when the hyphenated form occurs elsewhere, before a capital or digit ("CIFAR-|10"), or
    as a suspended hyphen ("instance- and")."""
    parts: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not parts:
            parts.append(line)
            continue
        last = parts[-1]
        if last.endswith("-") and len(last) > 1 and last[-2].isalpha():
            parts[-1] = last[:-1]
            parts.append(_hyphen_join(last[-61:-1], line, vocabulary))
        elif last.endswith(("/", "\u2013", "\u2014")) and not last.endswith(" /"):
            parts.append(line)
        else:
            parts.append(" " + line)
    return "".join(parts)


def _hyphen_join(left_text: str, right_text: str, vocabulary: Vocabulary | None) -> str:
    """What follows "left_text-" (the end of the previous line, hyphen removed)."""
    head = re.search(r"[A-Za-z][A-Za-z-]*$", left_text)
    tail = re.match(r"[A-Za-z]+", right_text)
    if not tail or not tail.group(0)[0].islower():
        return "-" + right_text
    left = head.group(0) if head else ""
    right = tail.group(0)
    if right.lower() in _SUSPENDED_HYPHEN_NEXT:
        return "- " + right_text
    if vocabulary is not None and left:
        joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
        in_joined = vocabulary.counts.get(joined, 0)
        in_hyphenated = vocabulary.counts.get(hyphenated, 0)
        if in_hyphenated > in_joined:
            return "-" + right_text
        if in_joined:
            return right_text
        if "-" in left:
            return "-" + right_text
        words_both = len(left) >= 3 and len(right) >= 3 and left.lower() in vocabulary.counts
        if words_both and right.lower() in vocabulary.counts:
            return "-" + right_text  # "cross-|entropy": two words of the document
    return right_text
