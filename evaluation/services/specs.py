"""Model specs: a runner and its validated settings under a unique name."""

from __future__ import annotations

from dataclasses import asdict

from django.db import IntegrityError, transaction

from evaluation.models import ModelSpec, RunnerName
from evaluation.runners import RUNNERS, RunnerConfigError

NAME_MAX = 128


class ModelSpecError(ValueError):
    """A model spec that cannot be saved; the message is one line naming the field."""


def validated_settings(runner: str, settings: object) -> dict:
    """``settings`` checked by the runner's settings class and completed with its defaults.
    Raises ModelSpecError with the runner's one-line reason."""
    if runner not in RUNNERS:
        raise ModelSpecError(f"runner: unknown {runner!r}; known: {', '.join(RUNNERS)}")
    if not isinstance(settings, dict):
        raise ModelSpecError("settings: must be an object of runner settings")
    settings_class = RUNNERS[runner][0]
    try:
        return asdict(settings_class.from_dict(settings))
    except RunnerConfigError as error:
        raise ModelSpecError(str(error)) from None


def _clean_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ModelSpecError("name: a model spec needs a name")
    name = name.strip()
    if len(name) > NAME_MAX:
        raise ModelSpecError(f"name: at most {NAME_MAX} characters")
    if any(ord(c) < 32 for c in name):
        raise ModelSpecError("name: control characters are not allowed")
    return name


def model_spec_create(
    *, name: str, runner: str, settings: dict, description: str = "", user=None
) -> ModelSpec:
    """A new spec; ModelSpecError (one line) for a bad or taken name or bad settings."""
    name = _clean_name(name)
    clean = validated_settings(runner, settings)
    if ModelSpec.objects.filter(name=name).exists():
        raise ModelSpecError(f"name: a model spec called {name!r} already exists")
    try:
        with transaction.atomic():
            return ModelSpec.objects.create(
                name=name,
                runner=runner,
                settings=clean,
                description=(description or "").strip()[:5000],
                created_by=user if getattr(user, "pk", None) else None,
            )
    except IntegrityError:
        raise ModelSpecError(f"name: a model spec called {name!r} already exists") from None


def model_spec_get_or_create(
    *, name: str, runner: str, settings: dict, description: str = "", user=None
) -> ModelSpec:
    """The spec called ``name`` when it has exactly this runner and these settings, else a
    new one; a spec of that name with other settings is an error (specs do not change
    under the runs that used them)."""
    name = _clean_name(name)
    clean = validated_settings(runner, settings)
    found = ModelSpec.objects.filter(name=name).first()
    if found is None:
        return model_spec_create(
            name=name, runner=runner, settings=clean, description=description, user=user
        )
    if found.runner != runner or found.settings != clean:
        raise ModelSpecError(
            f"name: model spec {name!r} exists with other settings; choose another name"
        )
    return found


def solver_kind_for(runner: str) -> str:
    """The kind of solver a runner's traces are recorded under."""
    return {
        RunnerName.LEXICAL: "lexical",
        RunnerName.FILE: "imported",
    }.get(runner, "model")
