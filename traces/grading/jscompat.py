"""JavaScript semantics the public DACR-Bench scorer relies on, in Python.

The public scorer (botcoinmoney/dacr-bench, ``src/evaluate.ts``) runs on
Node.js, and several of its decisions depend on how JavaScript treats strings
and numbers rather than on anything stated in the benchmark's documentation.
Reproducing it decision for decision therefore needs these small emulations:

* ``String.prototype.trim`` and the regex class ``\\s`` use ECMAScript's
  whitespace set, which differs from Python's ``str.isspace`` (JS trims
  U+FEFF; Python strips U+001C-U+001F and U+0085, JS does not).
* String lengths, ``slice`` and ``indexOf`` count UTF-16 code units, so any
  character outside the Basic Multilingual Plane counts twice.
* ``parseFloat`` reads the longest numeric prefix; ``Number(x)`` (used by
  ``Math.min``) converts strings, booleans, arrays and objects by fixed rules.
* ``String(value)`` prints numbers in ECMAScript's shortest form ("12", not
  "12.0"; "1e+21"), which matters when trap values are compared as text.
"""

from __future__ import annotations

import math
import re
from typing import Any

# ECMAScript WhiteSpace + LineTerminator (what JS `trim()` removes and `\s` matches).
JS_WHITESPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_WS_CLASS = "[" + re.escape(JS_WHITESPACE) + "]"

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
_PARSE_FLOAT_PREFIX = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_JS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}
_JS_RADIX_DIGITS = {
    16: re.compile(r"[0-9a-fA-F]+\Z"),
    8: re.compile(r"[0-7]+\Z"),
    2: re.compile(r"[01]+\Z"),
}


def js_trim(text: str) -> str:
    """``text.trim()`` with ECMAScript's whitespace set."""
    return text.strip(JS_WHITESPACE)


def _surrogate_pair(match: re.Match[str]) -> str:
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def utf16_units(text: str) -> str:
    """Return ``text`` with every astral character split into its surrogate pair.

    Python indexes code points, JavaScript indexes UTF-16 code units. On the
    returned string ``len``, slicing, ``find`` and ``in`` behave exactly as
    ``length``, ``slice``, ``indexOf`` and ``includes`` do in JavaScript.
    """
    if text.isascii() or not _NON_BMP.search(text):
        return text
    return _NON_BMP.sub(_surrogate_pair, text)


def js_parse_float_digits(text: str) -> float:
    """``parseFloat(text.replace(/[^0-9.\\-]/g, ""))``: the public numeric rule's parser.

    Only ASCII digits, dots and hyphens survive the strip, so there is never
    an exponent or an ``Infinity``; the longest prefix ``-?digits[.digits]``
    is read and everything after it (a second dot, a second hyphen) is
    ignored. Returns NaN when no prefix parses.
    """
    kept = re.sub(r"[^0-9.\-]", "", text)
    match = _PARSE_FLOAT_PREFIX.match(kept)
    return float(match.group()) if match else math.nan


def js_to_number(value: Any) -> float:
    """ECMAScript ``ToNumber`` for a value decoded from JSON.

    ``None`` stands for both ``null`` (0) and a missing field; callers that
    must tell them apart do so before calling.
    """
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    if isinstance(value, list):
        # ToPrimitive on an array is its join(","), then the string rule.
        return _string_to_number(js_string(value))
    return math.nan


def _string_to_number(text: str) -> float:
    body = js_trim(text)
    if not body:
        return 0.0
    if body in ("Infinity", "+Infinity"):
        return math.inf
    if body == "-Infinity":
        return -math.inf
    radix = _JS_RADIX.get(body[:2].lower())
    if radix is not None:
        digits = body[2:]
        return float(int(digits, radix)) if _JS_RADIX_DIGITS[radix].match(digits) else math.nan
    if _JS_DECIMAL.match(body):
        return float(body)
    return math.nan


def js_clamp_unit(value: float) -> float:
    """``Math.max(0, Math.min(1, value))``, where NaN stays NaN (Python's min/max would not)."""
    if value != value:
        return math.nan
    return 0.0 if value <= 0 else 1.0 if value >= 1 else value


def js_number_to_string(value: float) -> str:
    """ECMAScript ``Number::toString`` (shortest round-trip digits, JS exponent rules)."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction.rstrip("0")).lstrip("0") or "0"
    # n: position of the decimal point relative to the digit string (ECMA-262 7.1.12.1).
    leading_zeros = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    point = len(whole) - leading_zeros + (int(exponent) if exponent else 0)
    k = len(digits)
    if k <= point <= 21:
        text = digits + "0" * (point - k)
    elif 0 < point <= 21:
        text = digits[:point] + "." + digits[point:]
    elif -6 < point <= 0:
        text = "0." + "0" * (-point) + digits
    else:
        exp = point - 1
        exp_text = ("+" if exp >= 0 else "-") + str(abs(exp))
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + exp_text
    return sign + text


def js_string(value: Any) -> str:
    """ECMAScript ``String(value)`` for a value decoded from JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        try:
            return js_number_to_string(float(value))
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, float):
        return js_number_to_string(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"
