"""Real graded data for the trace browser's tests: a generated suite of three challenges,
graded for two baseline solvers (``lexical`` and ``first_mention``)."""

from dataclasses import dataclass

from challenges.models import Challenge, Suite
from challenges.services import suite_generate
from traces.services import suite_baseline_traces

SOLVERS = ("lexical", "first_mention")


@dataclass
class Browsed:
    suite: Suite


def build_browsed() -> Browsed:
    """Generate, publish and grade the suite (call from a fixture with database access)."""
    summary = suite_generate(count=3, seed=1)
    suite = Suite.objects.get(name=summary.suite_name)
    # Viewers read published challenges only.
    Challenge.objects.filter(memberships__suite=suite).update(status=Challenge.Status.PUBLISHED)
    for name in SOLVERS:
        suite_baseline_traces(suite=suite, solver_name=name)
    return Browsed(suite=suite)
