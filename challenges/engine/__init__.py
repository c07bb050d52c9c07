"""The procedural challenge engine: (domain, seed) → a verified challenge record.

Pure: no Django. ``generate_challenge`` and ``generate_suite`` are the entry points; the
domain libraries live one per module (``challenges/engine/physics.py`` …) and are listed in
``challenges.engine.domains``.
"""

from challenges.engine.domains import DOMAIN_NAMES, UnknownDomainError, get_library
from challenges.engine.generate import (
    ENGINE_VERSION,
    MAX_SUITE_COUNT,
    EngineError,
    GeneratedChallenge,
    challenge_id,
    generate_challenge,
    generate_suite,
    parse_seed,
    suite_seeds,
)

__all__ = [
    "DOMAIN_NAMES",
    "ENGINE_VERSION",
    "MAX_SUITE_COUNT",
    "EngineError",
    "GeneratedChallenge",
    "UnknownDomainError",
    "challenge_id",
    "generate_challenge",
    "generate_suite",
    "get_library",
    "parse_seed",
    "suite_seeds",
]
