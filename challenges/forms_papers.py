"""Forms for paper uploads and the review of drafts. They read shapes only; whether a value
is acceptable (a file a PDF, a gold answer absent from its question) is the services' call."""

from django import forms

from challenges.models import Category, Difficulty, Domain
from challenges.services.review import MAX_HOPS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            files = [super(MultipleFileField, self).clean(item, initial) for item in data]
            if not files and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return files
        return [super().clean(data, initial)]


class PaperUploadForm(forms.Form):
    files = MultipleFileField(
        label="PDF files",
        help_text="One or more papers. Drop them on the area or choose them.",
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
        error_messages={"required": "Choose at least one PDF file."},
    )
    domain = forms.ChoiceField(
        label="Domain",
        choices=[("", "Infer from the paper"), *Domain.choices],
        required=False,
        help_text="Overrides the domain read from the arXiv category or the text.",
    )


def _aliases(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """Edit a question: every reviewable field, and why."""

    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))
    gold_answer = forms.CharField(label="Gold answer", max_length=2000)
    aliases = forms.CharField(
        label="Aliases",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Other accepted spellings, one per line.",
    )
    category = forms.ChoiceField(label="Category", choices=Category.choices)
    difficulty = forms.ChoiceField(label="Difficulty", choices=Difficulty.choices)
    hops = forms.IntegerField(label="Hops", min_value=1, max_value=MAX_HOPS)
    reason = forms.CharField(label="Reason", required=False, max_length=2000)

    def clean_aliases(self) -> list[str]:
        return _aliases(self.cleaned_data.get("aliases", ""))


class QuestionAddForm(QuestionForm):
    conflict_id = forms.ChoiceField(
        label="Targets conflict",
        required=False,
        help_text="For a conflict-resolution question: the conflict it asks about.",
    )

    field_order = [
        "text",
        "gold_answer",
        "aliases",
        "category",
        "hops",
        "difficulty",
        "conflict_id",
        "reason",
    ]

    def __init__(self, *args, conflict_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflict_id"].choices = [("", "None")] + [(c, c) for c in conflict_ids]
        self.fields["difficulty"].initial = Difficulty.MEDIUM
        self.fields["hops"].initial = 1


class ReasonForm(forms.Form):
    """The optional reason that goes with a drop, an approval or a publication."""

    reason = forms.CharField(label="Reason", required=False, max_length=2000)
