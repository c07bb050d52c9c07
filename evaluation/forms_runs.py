"""Forms of the evaluation pages: model specs, new runs, comparisons, leaderboards."""

from __future__ import annotations

import json

from django import forms

from challenges.selectors import suite_list
from evaluation.models import EvalRun, ModelSpec, RunnerName
from evaluation.selectors_runs import LEADERBOARD_SORTS

SETTINGS_HELP = {
    "lexical": "{}",
    "http": '{"base_url": "http://127.0.0.1:8001/v1", "model": "qwen2.5-7b-instruct"}',
    "transformers": '{"model_path": "/models/qwen2.5-7b-instruct", "adapter_path": ""}',
    "file": '{"path": "/data/predictions.json"}',
}


class ModelSpecForm(forms.Form):
    name = forms.CharField(max_length=128)
    runner = forms.ChoiceField(choices=RunnerName.choices)
    settings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        initial="{}",
        required=False,
        help_text="Runner settings as a JSON object, e.g. "
        + "; ".join(f"{name}: {example}" for name, example in SETTINGS_HELP.items())
        + ". API keys are never stored: http reads the key from the environment variable "
        "named by api_key_env.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_settings(self) -> dict:
        raw = (self.cleaned_data.get("settings") or "").strip() or "{}"
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(f"Not JSON: {error.msg} (line {error.lineno}).") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("Settings must be a JSON object.")
        return value


class EvalRunForm(forms.Form):
    model_spec = forms.ModelChoiceField(queryset=ModelSpec.objects.none(), label="Model")
    suite = forms.ModelChoiceField(queryset=None, label="Suite")
    name = forms.CharField(max_length=128, required=False, help_text="Default: model on suite")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model_spec"].queryset = ModelSpec.objects.order_by("name")
        self.fields["suite"].queryset = suite_list(user=user)


class CompareForm(forms.Form):
    """Two runs on the same suite: ``a`` the baseline, ``b`` the candidate."""

    a = forms.ModelChoiceField(queryset=EvalRun.objects.none(), label="Baseline (A)")
    b = forms.ModelChoiceField(queryset=EvalRun.objects.none(), label="Candidate (B)")

    def __init__(self, *args, runs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = runs
        self.fields["b"].queryset = runs

    def clean(self):
        cleaned = super().clean()
        a, b = cleaned.get("a"), cleaned.get("b")
        if a and b:
            if a.pk == b.pk:
                raise forms.ValidationError("Choose two different runs.")
            if a.suite_id != b.suite_id:
                raise forms.ValidationError(
                    f"The runs are on different suites ({a.suite} and {b.suite}): "
                    "a comparison needs the same questions."
                )
        return cleaned


class LeaderboardForm(forms.Form):
    sort = forms.ChoiceField(
        choices=[(key, key.replace("_", " ")) for key in LEADERBOARD_SORTS], required=False
    )

    def sort_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data["sort"]:
            return self.cleaned_data["sort"]
        return "accuracy"
