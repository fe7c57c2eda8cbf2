"""What an import reports: counts by kind with the reasons for skips, and the one error."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable


class BadImportFile(Exception):
    """The file cannot be imported; the message is one line for the operator."""


class Tally:
    """Created / updated / skipped counts per kind of thing, with the reason for each skip."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.skipped: defaultdict[str, Counter[str]] = defaultdict(Counter)
        #: Things worth saying that are not skips, e.g. attachments left where they are.
        self.notes: Counter[str] = Counter()
        self.details: dict[str, str] = {}

    def skip(self, kind: str, reason: str, count: int = 1) -> None:
        if count:
            self.skipped[kind][reason] += count

    def note(self, text: str, count: int = 1, detail: str = "") -> None:
        self.notes[text] += count
        if detail:
            self.details[text] = detail

    def lines(self, kinds: Iterable[str]) -> list[str]:
        """One line per kind, e.g. ``comments: 40 created, 0 updated, 2 skipped (2 spam)``."""
        lines = []
        for kind in kinds:
            skipped = self.skipped.get(kind, Counter())
            line = (f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
                    f"{sum(skipped.values())} skipped")
            if skipped:
                reasons = "; ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
                line += f" ({reasons})"
            lines.append(line)
        for text, count in self.notes.items():
            if count:
                detail = self.details.get(text)
                lines.append(f"{text}: {count}" + (f" ({detail})" if detail else ""))
        return lines
