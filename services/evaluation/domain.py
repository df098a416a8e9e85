"""Raw figures of a period: what happened, counted from events, before any scoring."""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

_PERIODS = uuid.UUID("7e0a5d4c-1b2f-4c8e-9f3a-2d6b8e1c4a77")


class PeriodFigures(Aggregate):
    """The counts of one calendar month (``YYYY-MM``), each figure broken down by a key."""

    @staticmethod
    def create_id(period: str, **_) -> uuid.UUID:
        return uuid.uuid5(_PERIODS, period)

    @event("PeriodOpened")
    def __init__(self, period: str):
        self.period = period
        self.figures: dict[str, dict[str, int]] = {}

    def count(self, figure: str, key: str) -> None:
        self._counted(period=self.period, figure=figure, key=key)

    @event("FigureCounted")
    def _counted(self, period: str, figure: str, key: str) -> None:
        by_key = self.figures.setdefault(figure, {})
        by_key[key] = by_key.get(key, 0) + 1
