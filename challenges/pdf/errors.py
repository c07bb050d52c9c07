"""The one exception callers handle. Kept apart from the parser so that code which only
needs to catch it (the sandbox's parent side, services, views) does not import PyMuPDF."""


class PdfRefused(ValueError):
    """The file cannot become a paper. The message is one line a person can read."""

    def __init__(self, reason: str):
        super().__init__(" ".join(str(reason).split()))

    @property
    def reason(self) -> str:
        return str(self)
