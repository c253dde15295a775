"""When a reminder is due, on the learner's own clock: plain functions of instants and zones.

Instants are compared in UTC: Python compares two datetimes that share a tzinfo by their wall
clocks, which is wrong across a DST change, so every local time is converted before use.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

# A digest missed by this much (the sender was down) is skipped rather than sent late.
DIGEST_GRACE = timedelta(hours=12)


@dataclass(frozen=True)
class Due:
    kind: str
    period: str


def iso_week(day):
    year, week, __ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_instant(day, hour, zone):
    """The UTC instant of `hour`:00 on `day` in `zone`. In a spring-forward gap that is the
    instant the clocks jump (02:00 that never shows fires with 03:00); in an autumn overlap,
    the first of the two (PEP 495's fold=0 does both)."""
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def digest_due(now, zone, weekday, hour):
    """The digest's period (its ISO week) when `now` is within the grace after this week's
    digest time, else None."""
    today = now.astimezone(zone).date()
    day = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
    scheduled = local_instant(day, hour, zone)
    if scheduled <= now.astimezone(UTC) < scheduled + DIGEST_GRACE:
        return iso_week(day)
    return None


def local_date(instant, zone):
    return instant.astimezone(zone).date()


def nudge_due(now, zone, hour, last_active_day: date, days):
    """The nudge's period (the last local day with a tick) once `days` local days have passed
    since it, from the learner's e-mail hour; else None. One nudge per quiet spell."""
    today = local_date(now, zone)
    if (today - last_active_day).days < days:
        return None
    first_day = last_active_day + timedelta(days=days)
    if now.astimezone(UTC) < local_instant(first_day, hour, zone):
        return None
    return last_active_day.isoformat()
