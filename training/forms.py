"""Forms of the training pages: a dataset request, a training config (every ``QLoRAConfig``
field, pre-filled with the study's recipe) and the suite of a baseline comparison.

The forms read shapes only; whether the values make a dataset or a run is the services' to
say (``DatasetSpec`` and ``QLoRAConfig`` checks), so the pages, the API and the commands
refuse bad requests with the same one-line words.
"""

from __future__ import annotations

from dataclasses import MISSING, fields

from django import forms

from challenges.models import Domain, Split
from training import selectors
from training.data import VERDICT_RULES
from training.qlora import COMPUTE_DTYPES, OPTIMIZERS, QUANT_TYPES, SCHEDULERS, QLoRAConfig

RULE_LABELS = {
    "challenge_passed": "Challenge passed (share right ≥ threshold): teach all its answers",
    "all_correct": "All questions right",
    "question_correct": "Per question: teach only the right answers",
}


def _domain_choices() -> list[tuple[str, str]]:
    names = dict.fromkeys([*Domain.values, *selectors.challenge_domains()])
    return [(name, Domain(name).label if name in Domain.values else name) for name in names]


def _multiple(label: str, help_text: str, *, checkboxes: bool = False):
    widget = forms.CheckboxSelectMultiple if checkboxes else forms.SelectMultiple(attrs={"size": 6})
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text, widget=widget
    )


class DatasetForm(forms.Form):
    name = forms.CharField(label="Name", max_length=128)
    solvers = _multiple("Solvers", "Whose traces to learn from. None selected: every solver.")
    suites = _multiple("Suites", "Traces on challenges of these suites. None selected: all.")
    splits = _multiple("Splits", "None selected: both.", checkboxes=True)
    domains = _multiple("Domains", "None selected: every domain.", checkboxes=True)
    holdout_domains = _multiple(
        "Held-out domains",
        "Never trained on (the study holds out every evaluation domain).",
        checkboxes=True,
    )
    eval_suites = _multiple(
        "Evaluation suites",
        "The build is refused when any of their challenges, documents or domains would be "
        "trained on.",
    )
    allow_domain_overlap = forms.BooleanField(
        label="Allow sharing a domain with the evaluation suites",
        required=False,
        help_text="Shared challenges and documents are refused regardless.",
    )
    verdict_rule = forms.ChoiceField(
        label="Keep a trace when",
        choices=[(rule, RULE_LABELS[rule]) for rule in VERDICT_RULES],
        initial="challenge_passed",
    )
    pass_threshold = forms.FloatField(
        label="Pass threshold",
        initial=0.6,
        help_text="Share of effectively right answers for “challenge passed”, in (0, 1].",
        widget=forms.NumberInput(attrs={"step": "any", "min": 0, "max": 1}),
    )
    trace_mode = forms.BooleanField(
        label="Teach the reasoning before the answers", required=False, initial=True
    )
    seed = forms.IntegerField(label="Shuffle seed", initial=0, min_value=0)
    tokenizer_path = forms.CharField(
        label="Tokenizer",
        max_length=500,
        required=False,
        help_text="The base model's directory or hub id, for token-length statistics.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        solvers = [(name, name) for name in selectors.solver_names()]
        suites = [(name, name) for name in selectors.suite_names()]
        domains = _domain_choices()
        self.fields["solvers"].choices = solvers
        self.fields["suites"].choices = suites
        self.fields["eval_suites"].choices = suites
        self.fields["splits"].choices = Split.choices
        self.fields["domains"].choices = domains
        self.fields["holdout_domains"].choices = domains

    def spec(self) -> dict:
        """The cleaned fields as a ``DatasetSpec`` dict (the tokenizer and name apart)."""
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "verdict_rule",
                "pass_threshold",
                "solvers",
                "suites",
                "splits",
                "domains",
                "holdout_domains",
                "eval_suites",
                "allow_domain_overlap",
                "trace_mode",
                "seed",
            )
        }


# --- the training config ---------------------------------------------------------------------

_CHOICES = {
    "bnb_4bit_quant_type": QUANT_TYPES,
    "compute_dtype": COMPUTE_DTYPES,
    "lr_scheduler": SCHEDULERS,
    "optimizer": OPTIMIZERS,
}
_OPTIONAL_INTS = ("max_length", "save_total_limit")
CONFIG_HELP = {
    "base_model": "A checkpoint directory on the worker, or a hub id.",
    "load_in_4bit": "QLoRA: load the base weights in 4 bits.",
    "double_quant": "Quantize the quantization constants too.",
    "lora_r": "Rank of the adapter matrices.",
    "lora_dropout": "In [0, 1).",
    "target_modules": "all-linear, or module names separated by commas (q_proj, v_proj).",
    "completion_only_loss": "Learn the assistant's turn only, not the prompt.",
    "max_steps": "-1: train for the given epochs.",
    "warmup_ratio": "Share of the steps spent warming up, in [0, 1).",
    "gradient_accumulation": "Batches per optimizer step.",
    "max_length": "Tokens. Longer examples are left out, not cut. Empty: no limit.",
    "packing": "Pack several examples into one block of max_length tokens.",
    "padding_free": "Applies where batches hold several sequences.",
    "save_steps": "Checkpoint every N steps; a killed run resumes from the last one.",
    "save_total_limit": "Checkpoints kept. Empty: all.",
    "optimizer": "On a GPU; without one the run uses adamw_torch.",
}


def _config_field(name: str, default) -> forms.Field:
    label = name.replace("_", " ").capitalize()
    common = {"label": label, "help_text": CONFIG_HELP.get(name, "")}
    if name in _CHOICES:
        return forms.ChoiceField(choices=[(c, c) for c in _CHOICES[name]], **common)
    if name in _OPTIONAL_INTS:
        return forms.IntegerField(required=False, **common)
    if isinstance(default, bool):
        return forms.BooleanField(required=False, **common)
    if isinstance(default, int) and name != "lora_alpha":
        return forms.IntegerField(**common)
    if isinstance(default, int | float):
        return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}), **common)
    return forms.CharField(max_length=1000, **common)


class TrainingConfigForm(forms.Form):
    """Every field of ``QLoRAConfig``, in its order, with the recipe's defaults; plus an
    optional run name."""

    run_name = forms.CharField(
        label="Run name", max_length=128, required=False, help_text="Empty: “<dataset> run N”."
    )

    def __init__(self, *args, base_model: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in fields(QLoRAConfig):
            default = "" if field.default is MISSING else field.default
            self.fields[field.name] = _config_field(field.name, default)
            if field.name == "base_model":
                default = base_model
            elif isinstance(default, tuple):
                default = ", ".join(default)
            self.fields[field.name].initial = default

    def config(self) -> dict:
        """The cleaned fields as a ``QLoRAConfig`` dict (empty optional numbers as None)."""
        config = {}
        for field in fields(QLoRAConfig):
            value = self.cleaned_data.get(field.name)
            if field.name == "target_modules":
                value = value.strip()
                if value != "all-linear":
                    value = [part.strip() for part in value.split(",") if part.strip()]
            elif field.name == "base_model":
                value = value.strip()
            config[field.name] = value
        return config


class EvaluateForm(forms.Form):
    suite = forms.ModelChoiceField(
        queryset=selectors.suites_with_challenges(),
        label="Suite",
        empty_label=None,
        help_text="The base model and the adapter each answer every challenge of it.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suite"].queryset = selectors.suites_with_challenges()
