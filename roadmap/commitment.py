"""What a roadmap takes, shown before enrolling: hours per phase and the calendar time at a
pace, such as "about 2 years 4 months at 10 hours a week"."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roadmap.plan import EPSILON


@dataclass(frozen=True)
class Span:
    """A stretch of calendar time, rounded for people: weeks under two months, else months."""

    years: int = 0
    months: int = 0
    weeks: int = 0

    @property
    def text(self):
        if self.weeks:
            return ngettext("about %d week", "about %d weeks", self.weeks) % self.weeks
        months = ngettext("%d month", "%d months", self.months) % self.months
        if not self.years:
            return _("about %s") % months
        years = ngettext("%d year", "%d years", self.years) % self.years
        if not self.months:
            return _("about %s") % years
        return _("about %(years)s %(months)s") % {"years": years, "months": months}


DAYS_PER_MONTH = 365.25 / 12


def span(hours, weekly_hours):
    """How long `hours` of work take at `weekly_hours` a week."""
    days = math.ceil(hours * 7 / weekly_hours - EPSILON) if hours > 0 else 0
    months = round(days / DAYS_PER_MONTH)
    if months < 2:
        return Span(weeks=max(1, math.ceil(days / 7)))
    return Span(years=months // 12, months=months % 12)


@dataclass(frozen=True)
class PhaseCommitment:
    title: str
    hours: int
    span: Span


@dataclass(frozen=True)
class Commitment:
    weekly_hours: int
    hours: int
    span: Span
    phases: list


def commitment(phases, weekly_hours):
    """Hours per phase and the calendar time they take at `weekly_hours`, for a roadmap page's
    `phases` (pages.PagePhase, or anything with `title` and `steps` that have `hours`)."""
    rows = []
    for phase in phases:
        hours = sum(step.hours for step in phase.steps)
        rows.append(PhaseCommitment(phase.title, hours, span(hours, weekly_hours)))
    total = sum(row.hours for row in rows)
    return Commitment(weekly_hours, total, span(total, weekly_hours), rows)
