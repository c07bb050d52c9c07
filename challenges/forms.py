"""Forms for the challenge pages: the challenge-list filter, the benchmark upload and the
request to generate a synthetic suite."""

from django import forms

from challenges import engine
from challenges.models import Domain, Split, Suite


class ChallengeFilterForm(forms.Form):
    """GET filters of the challenge list. Choices come from what the user can see."""

    suite = forms.ModelChoiceField(
        queryset=Suite.objects.none(), required=False, empty_label="All suites"
    )
    split = forms.ChoiceField(choices=[("", "All splits"), *Split.choices], required=False)
    domain = forms.ChoiceField(choices=[("", "All domains")], required=False)

    def __init__(self, *args, suites, domains: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suite"].queryset = suites
        self.fields["domain"].choices = [("", "All domains")] + [
            (domain, domain.replace("_", " ")) for domain in domains
        ]

    def filters(self) -> dict:
        """The valid filters as selector keyword arguments; invalid ones are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name in ("suite", "split", "domain")
            if name not in self.errors and cleaned.get(name)
        }


class BenchmarkUploadForm(forms.Form):
    file = forms.FileField(
        label="Benchmark file",
        help_text="A DACR-Bench JSON file (v1.0 or v1.1).",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    suite_name = forms.CharField(
        label="Suite name",
        max_length=128,
        required=False,
        help_text="Optional. Leave empty to use the name written in the file.",
    )


def _domain_label(name: str) -> str:
    return Domain(name).label if name in Domain.values else name.replace("_", " ")


class GenerationForm(forms.Form):
    """A request to generate a synthetic suite. The form only reads the shapes (a whole
    number, some text, known domains); whether the values are acceptable (count within the
    cap, a non-negative seed) is the engine's to say, through ``generation_start``."""

    count = forms.IntegerField(
        label="Challenges",
        initial=60,
        help_text=f"How many challenges to generate (1 to {engine.MAX_SUITE_COUNT:,}).",
        widget=forms.NumberInput(attrs={"min": 1, "max": engine.MAX_SUITE_COUNT}),
    )
    seed = forms.CharField(
        label="Seed",
        initial="7",
        # Longer than the engine accepts, so the engine's own message explains the limit,
        # yet short enough that nothing huge reaches the parser.
        max_length=120,
        help_text="A non-negative whole number; the same seed gives the same suite.",
    )
    domains = forms.MultipleChoiceField(
        label="Domains",
        choices=[(name, _domain_label(name)) for name in engine.DOMAIN_NAMES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked means all domains, in rotation.",
    )
    suite_name = forms.CharField(
        label="Suite name",
        max_length=128,
        required=False,
        help_text="Optional. Leave empty for a name made from the count, seed and domains.",
    )
