"""Dataset pages: the list with the request form (admins), a dataset's spec, statistics and
token lengths, and the form that trains on it (admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dacr_site.decorators import role_required
from dacr_site.roles import Role, user_has_role
from training import selectors
from training.forms import DatasetForm, TrainingConfigForm
from training.models import TrainingDataset
from training.services import (
    TrainingDatasetError,
    TrainingRunError,
    dataset_create,
    training_run_create,
)


@require_http_methods(["GET", "POST"])
@role_required(Role.VIEWER)
def dataset_list(request):
    """Viewers read the list; admins also request a new dataset (POST)."""
    is_admin = user_has_role(request.user, Role.ADMIN)
    if request.method == "POST" and not is_admin:
        raise PermissionDenied("Building a dataset needs the admin role.")
    form = DatasetForm(request.POST or None) if is_admin else None
    if request.method == "POST" and form.is_valid():
        try:
            dataset = dataset_create(
                name=form.cleaned_data["name"],
                spec=form.spec(),
                tokenizer_path=form.cleaned_data["tokenizer_path"],
                user=request.user,
            )
        except TrainingDatasetError as error:
            form.add_error(None, str(error))
        else:
            return redirect("training:dataset-detail", dataset_id=dataset.pk)
    return render(
        request,
        "training/dataset_list.html",
        {"form": form, "datasets": selectors.dataset_list()},
        status=400 if form is not None and form.errors else 200,
    )


def _dataset_or_404(dataset_id: int) -> TrainingDataset:
    dataset = selectors.dataset_get(dataset_id=dataset_id)
    if dataset is None:
        raise Http404("No such dataset.")
    return dataset


def _render_detail(request, dataset: TrainingDataset, form=None, status: int = 200):
    if form is None and user_has_role(request.user, Role.ADMIN):
        form = TrainingConfigForm(base_model=dataset.tokenizer)
    stats = dataset.stats or {}
    return render(
        request,
        "training/dataset_detail.html",
        {
            "dataset": dataset,
            "stats": stats,
            "breakdowns": [
                ("Domain", stats.get("by_domain", {})),
                ("Solver", stats.get("by_solver", {})),
                ("Split", stats.get("by_split", {})),
            ],
            "drops": _drops(stats),
            "spec_rows": _spec_rows(dataset.spec or {}),
            "runs": selectors.run_list(dataset=dataset),
            # A refused launch shows its reason even on a dataset that is not ready.
            "form": form
            if dataset.status == TrainingDataset.Status.READY or status != 200
            else None,
        },
        status=status,
    )


def _spec_rows(spec: dict) -> list[tuple[str, str]]:
    """The spec's settings as words: lists joined ("all" when empty), booleans as yes/no."""
    rows = []
    for key, value in sorted(spec.items()):
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, list | tuple):
            text = ", ".join(str(item) for item in value) or "all"
        else:
            text = str(value)
        rows.append((key.replace("_", " "), text))
    return rows


def _drops(stats: dict) -> list[tuple[str, int]]:
    labels = (
        ("dropped_by_filter", "Outside the filters"),
        ("dropped_holdout", "In held-out domains"),
        ("dropped_by_rule", "Failed the verdict rule"),
        ("dropped_duplicates", "Duplicates"),
    )
    return [(label, stats[key]) for key, label in labels if key in stats]


@require_http_methods(["GET"])
@role_required(Role.VIEWER)
def dataset_detail(request, dataset_id: int):
    return _render_detail(request, _dataset_or_404(dataset_id))


@require_POST
@role_required(Role.ADMIN)
def dataset_train(request, dataset_id: int):
    """Launch a training run on the dataset; a bad config comes back on the page, 400."""
    dataset = _dataset_or_404(dataset_id)
    form = TrainingConfigForm(request.POST, base_model=dataset.tokenizer)
    if form.is_valid():
        try:
            run = training_run_create(
                dataset=dataset,
                config=form.config(),
                name=form.cleaned_data["run_name"],
                user=request.user,
            )
        except TrainingRunError as error:
            form.add_error(None, str(error))
        else:
            return redirect("training:run-detail", run_id=run.pk)
    return _render_detail(request, dataset, form=form, status=400)
