"""The registry of domain libraries: adding a domain is one module named here."""

from __future__ import annotations

import importlib
from functools import cache

from challenges.engine.spec import DomainLibrary, validate_library

DOMAIN_NAMES: tuple[str, ...] = (
    "physics",
    "economics",
    "medicine",
    "chemistry",
    "biology",
    "materials_science",
    "climate_science",
    "cs_ai",
)


class UnknownDomainError(ValueError):
    pass


@cache
def get_library(name: str) -> DomainLibrary:
    """The validated library for ``name``; ``UnknownDomainError`` names the known ones."""
    if name not in DOMAIN_NAMES:
        raise UnknownDomainError(
            f"unknown domain {name!r}; known domains: {', '.join(DOMAIN_NAMES)}"
        )
    module = importlib.import_module(f"challenges.engine.{name}")
    return validate_library(module.LIBRARY)
