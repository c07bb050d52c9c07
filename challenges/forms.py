"""Forms for the challenge pages: the challenge-list filter and the benchmark upload."""

from django import forms

from challenges.models import Split, Suite


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
