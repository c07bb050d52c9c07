"""The trace browser's filter form: every filter, the sort and the cursor are GET
parameters, so a list's URL is its whole state. An invalid value is reported on the form
and left out (the page still answers); the API refuses it with a 400 instead."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef

from challenges.models import Category, Challenge, Difficulty, Split
from challenges.selectors import challenge_visibility, suites_visible
from traces.models import (
    MODE_CHOICES_STRICT_FIRST,
    Decision,
    MatchType,
    Solver,
    Trace,
)
from traces.selectors import CONFLICT_OUTCOME_FILTER_CHOICES
from traces.selectors_browser import COMPARE_CELLS, SORT_LABELS, Facets

ANY = [("", "Any")]
YES_NO = [("yes", "Yes"), ("no", "No")]
OUTCOMES = [(Decision.INCORRECT.value, "Failures (incorrect)"), (Decision.CORRECT.value, "Correct")]
# The field names, in the order they are drawn; the rest of the state is sort and cursor.
FILTER_NAMES = (
    "mode",
    "suite",
    "run",
    "confidence_min",
    "confidence_max",
    "solver",
    "domain",
    "category",
    "split",
    "hops",
    "difficulty",
    "outcome",
    "conflict",
    "audited",
    "disagree",
    "match_type",
    "parse_format",
    "challenge",
    "compare",
    "cell",
)


class TraceRowFilterForm(forms.Form):
    mode = forms.ChoiceField(choices=MODE_CHOICES_STRICT_FIRST, required=False, label="Verifier")
    suite = forms.TypedChoiceField(coerce=int, required=False, label="Suite")
    solver = forms.ChoiceField(required=False, label="Solver")
    run = forms.IntegerField(
        min_value=1, max_value=2**62, required=False, label="Evaluation run", help_text="Run id"
    )
    confidence_min = forms.FloatField(
        min_value=0, max_value=1, required=False, label="Confidence ≥", help_text="0 to 1"
    )
    confidence_max = forms.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        label="Confidence <",
        help_text="0 to 1 (1 includes 1)",
    )
    domain = forms.ChoiceField(required=False, label="Domain")
    category = forms.ChoiceField(choices=ANY + Category.choices, required=False, label="Skill")
    split = forms.ChoiceField(choices=ANY + Split.choices, required=False, label="Split")
    hops = forms.IntegerField(min_value=1, max_value=99, required=False, label="Hops")
    difficulty = forms.ChoiceField(
        choices=ANY + Difficulty.choices, required=False, label="Difficulty"
    )
    outcome = forms.ChoiceField(choices=ANY + OUTCOMES, required=False, label="Decision")
    conflict = forms.ChoiceField(
        choices=ANY + CONFLICT_OUTCOME_FILTER_CHOICES, required=False, label="Conflict outcome"
    )
    audited = forms.ChoiceField(choices=ANY + YES_NO, required=False, label="Audited")
    disagree = forms.ChoiceField(choices=ANY + YES_NO, required=False, label="Strict ≠ reference")
    match_type = forms.ChoiceField(
        choices=ANY + MatchType.choices, required=False, label="Match type"
    )
    parse_format = forms.CharField(max_length=32, required=False, label="Parse format")
    challenge = forms.CharField(max_length=64, required=False, label="Challenge id")
    compare = forms.CharField(
        max_length=260, required=False, label="Compare", help_text="Two solvers: A,B"
    )
    cell = forms.ChoiceField(
        choices=ANY + list(COMPARE_CELLS.items()), required=False, label="Comparison cell"
    )
    sort = forms.ChoiceField(choices=list(SORT_LABELS.items()), required=False, label="Sort")
    cursor = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        visible = Trace.objects.filter(challenge_visibility(user=user, via="challenge__"))
        self.solver_names = list(
            Solver.objects.filter(Exists(visible.filter(solver=OuterRef("pk"))))
            .order_by("name")
            .values_list("name", flat=True)
        )
        self.fields["solver"].choices = ANY + [(name, name) for name in self.solver_names]
        domains = (
            Challenge.objects.filter(challenge_visibility(user=user))
            .order_by("domain")
            .values_list("domain", flat=True)
            .distinct()
        )
        self.fields["domain"].choices = ANY + [(d, d) for d in domains]
        suites = suites_visible(user=user).values_list("id", "name")
        self.fields["suite"].choices = ANY + [(str(pk), name) for pk, name in suites]

    def clean_compare(self) -> tuple[str, str] | None:
        value = self.cleaned_data.get("compare") or ""
        if not value:
            return None
        names = [name.strip() for name in value.split(",")]
        if len(names) != 2 or names[0] == names[1]:
            raise forms.ValidationError("Name two different solvers, separated by a comma.")
        unknown = [name for name in names if name not in self.solver_names]
        if unknown:
            raise forms.ValidationError(f"No solver named {unknown[0]!r}.")
        return names[0], names[1]

    def filters(self) -> dict:
        """The valid, non-empty filters (invalid ones are left out, see ``errors``)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name in FILTER_NAMES
            if cleaned.get(name) not in (None, "")
            and not (name == "cell" and not cleaned.get("compare"))
        }

    def sort_order(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("sort") or "newest"

    def position(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("cursor") or ""

    def add_facet_counts(self, facets: Facets) -> None:
        """Append each value's count to its option label ("Computation (12)")."""
        for name, counts in facets.counts.items():
            choice_field = self.fields.get(name)
            if not isinstance(choice_field, forms.ChoiceField):
                continue
            choice_field.choices = [
                (value, f"{label} ({counts.get(str(value), 0):,})" if value else label)
                for value, label in choice_field.choices
            ]
