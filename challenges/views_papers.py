"""Paper pages: the upload and list page, a paper's page and its live status. Viewers read;
annotators and admins upload."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from challenges import selectors
from challenges.forms_papers import PaperUploadForm
from challenges.models import Paper
from challenges.services import PaperRefused, paper_upload_start
from dacr_site.decorators import role_required
from dacr_site.roles import Role, user_has_role
from dacr_site.uploads import upload_size_refusal

# The steps the page shows, and the statuses in which each is done.
STEPS = (
    ("uploaded", "Uploaded", {"uploaded", "parsing", "parsed", "generating", "verified"}),
    ("parsed", "Parsed", {"parsed", "generating", "verified"}),
    ("generated", "Generated", {"verified"}),
    ("verified", "Verified", {"verified"}),
)
# The step under way in each running status.
CURRENT_STEP = {"uploaded": "parsed", "parsing": "parsed", "generating": "generated"}


def _render_list(request, form, *, status: int = 200):
    return render(
        request,
        "challenges/paper_list.html",
        {
            "form": form,
            "papers": selectors.paper_list(user=request.user),
            "can_upload": user_has_role(request.user, Role.ANNOTATOR),
            "max_bytes": settings.DACR_MAX_PAPER_UPLOAD_BYTES,
            "max_megabytes": f"{settings.DACR_MAX_PAPER_UPLOAD_BYTES / 1e6:.1f} MB",
            "max_files": settings.DACR_MAX_PAPER_FILES,
        },
        status=status,
    )


# The size check must come before anything reads the body, and Django's CSRF check reads
# it (the token is a form field), so CSRF is checked after it, in ``_paper_upload``.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@role_required(Role.VIEWER)
def paper_list(request):
    if request.method == "GET":
        return _render_list(request, PaperUploadForm())
    if not user_has_role(request.user, Role.ANNOTATOR):
        raise PermissionDenied("Uploading papers needs the annotator role.")
    refusal = upload_size_refusal(request, limit=settings.DACR_MAX_PAPER_UPLOAD_BYTES)
    if refusal:
        form = PaperUploadForm(data={}, files={})
        form.is_valid()
        form.errors["files"] = form.error_class([refusal])
        return _render_list(request, form, status=413)
    return _paper_upload(request)


@csrf_protect
def _paper_upload(request):
    form = PaperUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = paper_upload_start(
                uploaded_files=form.cleaned_data["files"],
                domain_override=form.cleaned_data["domain"],
                user=request.user,
            )
        except PaperRefused as exc:
            form.add_error("files", str(exc))
        else:
            if len(stored) == 1:
                return redirect("challenges:paper-detail", paper_id=stored[0][0].pk)
            return redirect("challenges:paper-list")
    return _render_list(request, form, status=400)


def _paper_or_404(request, paper_id: int) -> Paper:
    try:
        return selectors.paper_get_for_user(user=request.user, paper_id=paper_id)
    except Paper.DoesNotExist:
        raise Http404("No such paper.") from None


def _step_state(paper: Paper, key: str, done_in: set[str]) -> str:
    if paper.status == Paper.Status.FAILED:
        # The file is kept; it failed while parsing when nothing was parsed, else while
        # building the challenge.
        stopped_at = "generated" if paper.parsed else "parsed"
        order = [step for step, _, _ in STEPS]
        if key == stopped_at:
            return "failed"
        return "done" if order.index(key) < order.index(stopped_at) else "todo"
    if paper.status in done_in:
        return "done"
    return "current" if key == CURRENT_STEP.get(paper.status) else "todo"


def paper_state(*, paper: Paper, challenge, can_review: bool) -> dict:
    """What the paper page's status panel shows, as status.json sends it to the script."""
    return {
        "id": paper.pk,
        "status": paper.status,
        "phase": paper.get_status_display(),
        "finished": paper.is_finished,
        "failure_reason": paper.failure_reason,
        "steps": [
            {"key": key, "label": label, "state": _step_state(paper, key, done_in)}
            for key, label, done_in in STEPS
        ],
        "title": paper.title,
        "challenge": challenge.public_id if challenge else "",
        "challenge_url": reverse("challenges:challenge-detail", args=[challenge.public_id])
        if challenge
        else "",
        "review_url": reverse("challenges:challenge-review", args=[challenge.public_id])
        if challenge and can_review
        else "",
    }


@require_GET
@role_required(Role.VIEWER)
def paper_detail(request, paper_id: int):
    paper = _paper_or_404(request, paper_id)
    challenge = selectors.paper_challenge(user=request.user, paper=paper)
    can_review = user_has_role(request.user, Role.ANNOTATOR)
    return render(
        request,
        "challenges/paper_detail.html",
        {
            "paper": paper,
            "challenge": challenge,
            "state": paper_state(paper=paper, challenge=challenge, can_review=can_review),
            "parsed": paper.parsed or None,
        },
    )


@require_GET
@role_required(Role.VIEWER)
def paper_status(request, paper_id: int):
    paper = _paper_or_404(request, paper_id)
    challenge = selectors.paper_challenge(user=request.user, paper=paper)
    can_review = user_has_role(request.user, Role.ANNOTATOR)
    return JsonResponse(paper_state(paper=paper, challenge=challenge, can_review=can_review))
