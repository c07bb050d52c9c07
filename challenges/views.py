"""Challenge pages. Login is enforced by middleware; each view requires a role, reads through
``challenges.selectors`` and writes through ``challenges.services``."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from challenges import dacr_format, selectors
from challenges.engine import EngineError
from challenges.forms import BenchmarkUploadForm, ChallengeFilterForm, GenerationForm
from challenges.models import BenchmarkImport, Challenge, GenerationJob, Suite
from challenges.services import generation_start, suite_validity_start
from challenges.services import suite_export as export_suite
from challenges.services.benchmark_import import BenchmarkImportError, benchmark_import_start
from challenges.validity_summary import validity_summary
from dacr_site.decorators import role_required
from dacr_site.roles import Role
from dacr_site.uploads import upload_size_refusal

CHALLENGES_PER_PAGE = 50


@require_GET
@role_required(Role.VIEWER)
def suite_list(request):
    return render(
        request, "challenges/suite_list.html", {"suites": selectors.suite_list(user=request.user)}
    )


@require_GET
@role_required(Role.ADMIN)
def suite_export(request, suite_id: int):
    try:
        suite = selectors.suite_get_for_export(user=request.user, suite_id=suite_id)
    except Suite.DoesNotExist:
        raise Http404("No such suite.") from None
    text = dacr_format.dump_benchmark(export_suite(suite=suite))
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    filename = f"{slugify(suite.name) or f'suite-{suite.pk}'}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(Role.VIEWER)
def challenge_list(request):
    form = ChallengeFilterForm(
        request.GET or None,
        suites=selectors.suite_list(user=request.user),
        domains=selectors.challenge_domains(user=request.user),
    )
    filters = form.filters()
    challenges = selectors.challenge_list(user=request.user, **filters)
    page = Paginator(challenges, CHALLENGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "challenges/challenge_list.html",
        {"form": form, "filters": filters, "page": page},
    )


@require_GET
@role_required(Role.VIEWER)
def challenge_detail(request, public_id: str):
    try:
        challenge = selectors.challenge_get_for_user(
            user=request.user, public_id=public_id, version=request.GET.get("version")
        )
    except Challenge.DoesNotExist:
        raise Http404("No such challenge.") from None
    document = selectors.challenge_document(challenge=challenge)
    conflicts = list(challenge.conflicts.all())
    return render(
        request,
        "challenges/challenge_detail.html",
        {
            "challenge": challenge,
            "versions": selectors.challenge_versions(user=request.user, challenge=challenge),
            "document": document,
            "conflict_rows": list(zip(conflicts, document.conflicts, strict=True)),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def benchmark_import_list(request):
    refusal = None
    if request.method == "POST":
        refusal = upload_size_refusal(request, limit=settings.DACR_MAX_BENCHMARK_BYTES)
    if refusal:
        # Bound to nothing so the body is never parsed; the refusal is the file's one error.
        form = BenchmarkUploadForm(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([refusal])
    else:
        form = BenchmarkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            job = benchmark_import_start(
                uploaded_file=form.cleaned_data["file"],
                suite_name=form.cleaned_data["suite_name"],
                user=request.user,
            )
        except BenchmarkImportError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("challenges:import-detail", import_id=job.pk)
    return render(
        request,
        "challenges/import_list.html",
        {"form": form, "imports": selectors.benchmark_import_list(user=request.user)},
        status=413 if refusal else 400 if form.errors else 200,
    )


def _import_or_404(request, import_id: int) -> BenchmarkImport:
    try:
        return selectors.benchmark_import_get_for_user(user=request.user, import_id=import_id)
    except BenchmarkImport.DoesNotExist:
        raise Http404("No such import.") from None


@require_GET
@role_required(Role.ADMIN)
def benchmark_import_detail(request, import_id: int):
    job = _import_or_404(request, import_id)
    return render(
        request, "challenges/import_detail.html", {"job": job, "state": _import_state(job)}
    )


@require_GET
@role_required(Role.ADMIN)
def benchmark_import_status(request, import_id: int):
    return JsonResponse(_import_state(_import_or_404(request, import_id)))


def _import_state(job: BenchmarkImport) -> dict:
    """What the import page shows, as the status endpoint sends it to the page's script."""
    return _job_state(job)


def _job_state(job: BenchmarkImport | GenerationJob) -> dict:
    suite = job.suite
    return {
        "id": job.pk,
        "status": job.status,
        "phase": job.get_status_display(),
        "finished": job.is_finished,
        "progress_done": job.progress_done,
        "progress_total": job.progress_total,
        "challenges_created": job.challenges_created,
        "challenges_unchanged": job.challenges_unchanged,
        "error": job.error,
        "suite_name": suite.name if suite else "",
        "suite_url": f"{reverse('challenges:challenge-list')}?suite={suite.pk}" if suite else "",
    }


# --- generating synthetic suites ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def generation_list(request):
    form = GenerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = generation_start(
                count=form.cleaned_data["count"],
                seed=form.cleaned_data["seed"],
                domains=form.cleaned_data["domains"],
                suite_name=form.cleaned_data["suite_name"],
                user=request.user,
            )
        except EngineError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("challenges:generation-detail", job_id=job.pk)
    return render(
        request,
        "challenges/generation_list.html",
        {"form": form, "jobs": selectors.generation_job_list(user=request.user)},
        status=400 if form.errors else 200,
    )


def _generation_or_404(request, job_id: int) -> GenerationJob:
    try:
        return selectors.generation_job_get_for_user(user=request.user, job_id=job_id)
    except GenerationJob.DoesNotExist:
        raise Http404("No such generation job.") from None


@require_GET
@role_required(Role.ADMIN)
def generation_detail(request, job_id: int):
    job = _generation_or_404(request, job_id)
    return render(
        request,
        "challenges/generation_detail.html",
        {"job": job, "state": _generation_state(job)},
    )


@require_GET
@role_required(Role.ADMIN)
def generation_status(request, job_id: int):
    return JsonResponse(_generation_state(_generation_or_404(request, job_id)))


def _generation_state(job: GenerationJob) -> dict:
    """What the generation page shows, as the status endpoint sends it to the page's script."""
    suite = job.suite
    validity_url = reverse("challenges:suite-validity", args=[suite.pk]) if suite else ""
    return {**_job_state(job), "validity_url": validity_url}


# --- validity reports -----------------------------------------------------------------------


def _suite_or_404(request, suite_id: int) -> Suite:
    try:
        return selectors.suite_get_for_user(user=request.user, suite_id=suite_id)
    except Suite.DoesNotExist:
        raise Http404("No such suite.") from None


@require_GET
@role_required(Role.VIEWER)
def suite_validity(request, suite_id: int):
    suite = _suite_or_404(request, suite_id)
    report = selectors.suite_validity_latest(suite=suite)
    return render(
        request,
        "challenges/suite_validity.html",
        {
            "suite": suite,
            "summary": validity_summary(report=report) if report else None,
        },
    )


@require_POST
@role_required(Role.ADMIN)
def suite_validity_compute(request, suite_id: int):
    suite = _suite_or_404(request, suite_id)
    suite_validity_start(suite=suite)
    messages.info(
        request,
        "A new validity report was requested; it appears here once the baselines have run.",
    )
    return redirect("challenges:suite-validity", suite_id=suite.pk)
