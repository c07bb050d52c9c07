"""Forms for the run pages."""

from django import forms

from traces.grading import MODE_STRICT
from traces.models import MODE_CHOICES_STRICT_FIRST


class RunModeForm(forms.Form):
    """The run page's verifier mode toggle; strict unless a valid other mode is asked for."""

    mode = forms.ChoiceField(choices=MODE_CHOICES_STRICT_FIRST, required=False)

    def mode_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data["mode"]:
            return self.cleaned_data["mode"]
        return MODE_STRICT
