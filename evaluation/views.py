"""Run pages: a run is a solver's traces on a suite. The list of runs, and one run's metrics
with their 95% intervals in the chosen verifier mode. Reads go through
``evaluation.selectors``."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dacr_site.decorators import role_required
from dacr_site.roles import Role
from evaluation import selectors
from evaluation.forms import RunModeForm
from traces.models import VerifierMode

# Strict first: it is the default verifier on every page.
MODE_TOGGLE = [
    (VerifierMode.STRICT, VerifierMode.STRICT.label),
    (VerifierMode.REFERENCE, VerifierMode.REFERENCE.label),
]


@require_GET
@role_required(Role.VIEWER)
def run_list(request):
    return render(
        request, "evaluation/run_list.html", {"runs": selectors.run_list(user=request.user)}
    )


@require_GET
@role_required(Role.VIEWER)
def run_detail(request, solver_name: str, suite_id: int):
    mode = RunModeForm(request.GET).mode_or_default()
    summary = selectors.run_summary(
        user=request.user, solver_name=solver_name, suite_id=suite_id, mode=mode
    )
    if summary is None:
        raise Http404("No such run.")
    return render(
        request,
        "evaluation/run_detail.html",
        {"summary": summary, "modes": MODE_TOGGLE},
    )
