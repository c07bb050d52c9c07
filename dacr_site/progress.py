"""A one-line progress bar for management commands (drawn only on a terminal)."""

from __future__ import annotations

import sys


class ProgressBar:
    """``bar(done, total)`` redraws ``[####....] done/total what`` on ``stream`` (a command's
    OutputWrapper) when stderr is a terminal; ``bar.done()`` ends the line."""

    def __init__(self, stream, total: int = 0, what: str = ""):
        self.stream, self.total, self.what = stream, total, what
        self.live = getattr(sys.stderr, "isatty", lambda: False)()

    def __call__(self, done: int, total: int) -> None:
        if self.live and total:
            filled = int(30 * done / total)
            label = f" {self.what}" if self.what else ""
            line = f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}{label}"
            self.stream.write(line, ending="")
            self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("")
