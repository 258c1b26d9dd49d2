"""Axes of our charts: days along x, amounts or counts along y, ticks that never collide.

Ticks are regular (every n days from the first day, or every n months from a month's
first day) and each label is placed only where its estimated width leaves a gap to the
next and stays inside the image: no label overlaps another or is cut at the edge.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.charts.svg import text_width

DAY_STEPS = (1, 2, 3, 7, 14, 28)
MONTH_STEPS = (1, 2, 3, 6, 12)
LABEL_GAP = 10  # px between two x labels at least


@dataclass(frozen=True)
class Tick:
    """A labelled point of an axis: its position in px and its text."""

    position: float
    label: str


@dataclass(frozen=True)
class TimeAxis:
    """Days from first to last, both included, each a slot of equal width from left to right."""

    first: date
    last: date
    left: float
    right: float

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def slot(self) -> float:
        return (self.right - self.left) / self.days

    def x(self, day: date) -> float:
        """Return the middle of the day's slot."""
        return self.left + ((day - self.first).days + 0.5) * self.slot

    def day_ticks(
        self,
        *,
        day_label: Callable[[date, bool], str],
        month_label: Callable[[date, bool], str],
        font_size: float,
        bounds: tuple[float, float],
    ) -> list[Tick]:
        """Return the densest regular ticks whose labels fit: every n days, else months."""
        # The label functions take the day and whether to name its year: the first tick
        # and the first of a new year do, when the axis spans more than one year.
        spans_years = self.first.year != self.last.year
        for step in DAY_STEPS:
            days = [self.first + timedelta(days=n) for n in range(0, self.days, step)]
            ticks = self._fit(days, step * self.slot, day_label, spans_years, font_size, bounds)
            if ticks is not None:
                return ticks
        starts = _month_starts(self.first, self.last)
        for step in MONTH_STEPS:
            days = starts[::step]
            spacing = 28 * step * self.slot
            ticks = self._fit(days, spacing, month_label, spans_years, font_size, bounds)
            if ticks is not None:
                return ticks
        return []

    def _fit(self, days, spacing, label_of, spans_years, font_size, bounds) -> list[Tick] | None:
        # The widest label is at least as wide as the first: when even that one does not fit,
        # no label is made (an axis of decades would otherwise label every one of its days).
        if days and spacing < text_width(label_of(days[0], spans_years), font_size) + LABEL_GAP:
            return None
        labels, previous_year = [], None
        for day in days:
            labels.append(label_of(day, spans_years and day.year != previous_year))
            previous_year = day.year
        widest = max((text_width(label, font_size) for label in labels), default=0)
        if spacing < widest + LABEL_GAP:
            return None
        ticks = []
        for day, label in zip(days, labels, strict=True):
            x, half = self.x(day), text_width(label, font_size) / 2
            # A label cut by the image's edge is left off; its neighbours keep the rhythm.
            if bounds[0] <= x - half and x + half <= bounds[1]:
                ticks.append(Tick(x, label))
        return ticks


def _month_starts(first: date, last: date) -> list[date]:
    day = first if first.day == 1 else _next_month(first)
    starts = []
    while day <= last:
        starts.append(day)
        day = _next_month(day)
    return starts


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def nice_step(raw: float, *, minimum: float = 1) -> float:
    """Return the smallest of 1, 2, 2.5, 5 times a power of ten that is at least raw."""
    raw = max(raw, minimum)
    power = 10 ** math.floor(math.log10(raw))
    # 2.5 only where it stays a whole multiple of the minimum (25, 250; not 2.5 euros).
    factors = (1, 2, 2.5, 5, 10) if (2.5 * power / minimum).is_integer() else (1, 2, 5, 10)
    for factor in factors:
        if factor * power >= raw - 1e-9:
            return max(factor * power, minimum)
    return 10 * power


def value_ticks(top: float, *, count: int = 4, minimum_step: float = 1) -> list[float]:
    """Return evenly spaced values from 0 that reach top, about count steps of a nice size."""
    step = nice_step(top / count if top > 0 else minimum_step, minimum=minimum_step)
    steps = max(1, math.ceil(top / step - 1e-9))
    return [round(n * step, 10) for n in range(steps + 1)]


@dataclass(frozen=True)
class ValueAxis:
    """Values from 0 to top drawn from bottom (px) up to top_px."""

    top: float
    bottom_px: float
    top_px: float

    def y(self, value: float) -> float:
        if self.top <= 0:
            return self.bottom_px
        return self.bottom_px - (value / self.top) * (self.bottom_px - self.top_px)
