"""The review of a draft challenge: its parsed paper beside its questions, and one POST view
per review step (edit, drop, add, approve a question; publish). Annotators and admins only;
every step goes through ``challenges.services.review`` and shows its outcome as a message."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from challenges import selectors
from challenges.forms_papers import QuestionAddForm, QuestionForm, ReasonForm
from challenges.models import Challenge
from challenges.services import (
    ChallengeImmutableError,
    ReviewRefused,
    review_publish,
    review_question_add,
    review_question_approve,
    review_question_drop,
    review_question_edit,
)
from challenges.services.review import ADVISORY_CHECKS
from dacr_site.decorators import role_required
from dacr_site.roles import Role


def _challenge_or_404(request, public_id: str) -> Challenge:
    version = request.POST.get("version") or request.GET.get("version")
    try:
        return selectors.challenge_get_for_review(
            user=request.user, public_id=public_id, version=version or None
        )
    except Challenge.DoesNotExist:
        raise Http404("No such challenge.") from None


def _review_url(challenge: Challenge, anchor: str = "") -> str:
    url = reverse("challenges:challenge-review", args=[challenge.public_id])
    return f"{url}?version={challenge.version}" + (f"#{anchor}" if anchor else "")


def _render(request, challenge: Challenge, *, forms=None, add_form=None, status=200):
    """The review page; ``forms`` maps a question id to its bound, invalid edit form."""
    forms = forms or {}
    questions = list(challenge.questions.all())
    conflict_ids = [c.conflict_id for c in challenge.conflicts.all()]
    report = challenge.verification_report or {}
    return render(
        request,
        "challenges/challenge_review.html",
        {
            "challenge": challenge,
            "paper": challenge.paper,
            "parsed": challenge.paper.parsed if challenge.paper_id else None,
            "question_rows": [
                (
                    question,
                    forms.get(question.question_id)
                    or QuestionForm(
                        initial={
                            "text": question.text,
                            "gold_answer": question.gold_answer,
                            "aliases": "\n".join(question.aliases),
                            "category": question.category,
                            "difficulty": question.difficulty,
                            "hops": question.hops,
                        },
                        prefix=question.question_id,
                    ),
                )
                for question in questions
            ],
            "approved_count": sum(q.approved_at is not None for q in questions),
            "add_form": add_form or QuestionAddForm(conflict_ids=conflict_ids, prefix="new"),
            "report_checks": report.get("checks", []),
            "draft_checks": report.get("draft_checks", []),
            "advisory_checks": ADVISORY_CHECKS,
            "history": selectors.challenge_edit_history(challenge=challenge),
            "editable": challenge.status == Challenge.Status.DRAFT,
        },
        status=status,
    )


@require_GET
@role_required(Role.ANNOTATOR)
def challenge_review(request, public_id: str):
    return _render(request, _challenge_or_404(request, public_id))


def _step(request, challenge: Challenge, action, success: str, anchor: str = ""):
    """Run one review step; its refusal (a published challenge, an unapproved question…)
    becomes the page's error message."""
    try:
        action()
    except (ReviewRefused, ChallengeImmutableError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(_review_url(challenge, anchor))


@require_POST
@role_required(Role.ANNOTATOR)
def review_question_edit_view(request, public_id: str, question_id: str):
    challenge = _challenge_or_404(request, public_id)
    form = QuestionForm(request.POST, prefix=question_id)
    if not form.is_valid():
        return _render(request, challenge, forms={question_id: form}, status=400)
    return _step(
        request,
        challenge,
        lambda: review_question_edit(
            challenge=challenge, question_id=question_id, author=request.user, **form.cleaned_data
        ),
        f"{question_id} saved; approve it again when it is right.",
        anchor=f"question-{question_id}",
    )


def _reason(request) -> str:
    form = ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@require_POST
@role_required(Role.ANNOTATOR)
def review_question_drop_view(request, public_id: str, question_id: str):
    challenge = _challenge_or_404(request, public_id)
    return _step(
        request,
        challenge,
        lambda: review_question_drop(
            challenge=challenge,
            question_id=question_id,
            author=request.user,
            reason=_reason(request),
        ),
        f"{question_id} dropped.",
    )


@require_POST
@role_required(Role.ANNOTATOR)
def review_question_approve_view(request, public_id: str, question_id: str):
    challenge = _challenge_or_404(request, public_id)
    return _step(
        request,
        challenge,
        lambda: review_question_approve(
            challenge=challenge,
            question_id=question_id,
            author=request.user,
            reason=_reason(request),
        ),
        f"{question_id} approved.",
        anchor=f"question-{question_id}",
    )


@require_POST
@role_required(Role.ANNOTATOR)
def review_question_add_view(request, public_id: str):
    challenge = _challenge_or_404(request, public_id)
    conflict_ids = [c.conflict_id for c in challenge.conflicts.all()]
    form = QuestionAddForm(request.POST, conflict_ids=conflict_ids, prefix="new")
    if not form.is_valid():
        return _render(request, challenge, add_form=form, status=400)
    return _step(
        request,
        challenge,
        lambda: review_question_add(challenge=challenge, author=request.user, **form.cleaned_data),
        "Question added; approve it when it is right.",
        anchor="questions",
    )


@require_POST
@role_required(Role.ANNOTATOR)
def review_publish_view(request, public_id: str):
    challenge = _challenge_or_404(request, public_id)
    return _step(
        request,
        challenge,
        lambda: review_publish(challenge=challenge, author=request.user, reason=_reason(request)),
        f"{challenge.public_id} v{challenge.version} is published and can no longer change.",
    )
