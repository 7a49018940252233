"""Results graded by severity (validation results, lint findings): counts and fail levels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mktgraph.errors import InputError


class Graded:
    """What a result graded by ``LEVELS`` (most severe first) says about its ``graded`` items,
    each with a ``severity``."""

    LEVELS: tuple[str, ...] = ()

    @property
    def graded(self) -> Sequence[Any]:
        raise NotImplementedError

    @property
    def counts(self) -> dict[str, int]:
        """Number of items per severity, most severe first (every severity present)."""
        return {s: sum(1 for item in self.graded if item.severity == s) for s in self.LEVELS}

    def fails(self, level: str | None = None) -> bool:
        """Whether any item is at ``level`` (default: the most severe) or more severe."""
        levels = self.LEVELS
        level = levels[0] if level is None else level
        if level not in levels:
            raise InputError(f"unknown fail level {level!r}; expected one of {', '.join(levels)}")
        failing = levels[: levels.index(level) + 1]
        return any(item.severity in failing for item in self.graded)

    def counts_text(self) -> str:
        """The counts in words: "2 violations, 0 warnings, 1 info"."""
        counts = self.counts
        return ", ".join(f"{counts[s]} {s}{'' if counts[s] == 1 else 's'}" for s in self.LEVELS)
