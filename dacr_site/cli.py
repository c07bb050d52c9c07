"""Small helpers shared by management commands."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.core.management.base import CommandError


def key_values(items: Iterable[str], *, option: str = "--set") -> dict:
    """``KEY=VALUE`` arguments as a dict; each VALUE is read as JSON when it parses (numbers,
    booleans, quoted strings), else kept as text. CommandError names a malformed item."""
    values: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"{option}: expected KEY=VALUE, not {item!r}")
        try:
            values[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            values[key.strip()] = value
    return values
