"""What the reminder e-mails say: typed content for the templates, read in fixed queries.

The weekly digest covers each active enrolment: the last seven days' learning, the pace
against the target date, and the steps planned for the coming week. The nudge says how long
it has been since the last tick and what the next step is.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max
from django.urls import reverse

from accounts.middleware import learner_zone
from reminders import planning
from reminders.schedule import local_date
from reminders.site import absolute_url
from roadmap.dashboards import progress_by_enrollment
from roadmap.models import Activity, Enrollment


@dataclass(frozen=True)
class RoadmapWeek:
    title: str
    dashboard_url: str
    percent: int
    week: planning.Week


@dataclass(frozen=True)
class Digest:
    since: date  # the first of the seven local days the digest looks back on
    today: date
    roadmaps: list


@dataclass(frozen=True)
class NextStep:
    roadmap: str
    dashboard_url: str
    step: str | None


@dataclass(frozen=True)
class Nudge:
    days: int
    last_tick: date
    roadmaps: list  # NextStep


def _active_enrollments(user):
    return list(
        Enrollment.objects.active()
        .filter(user=user)
        .select_related("roadmap")
        .order_by("created_at", "id")
    )


def _dashboard_url(enrollment):
    return absolute_url(reverse("roadmap:dashboard-roadmap", args=[enrollment.roadmap.slug]))


def digest(user, now):
    """The weekly digest's content for `user` at `now`, or None without an active enrolment."""
    enrollments = _active_enrollments(user)
    if not enrollments:
        return None
    zone = learner_zone(user)
    today = local_date(now, zone)
    since = today - timedelta(days=planning.COMING_DAYS - 1)
    progress = progress_by_enrollment(enrollments)
    roadmaps = []
    for enrollment in enrollments:
        enrollment.user = user
        summary, __ = progress[enrollment.pk]
        roadmaps.append(
            RoadmapWeek(
                title=enrollment.roadmap.title,
                dashboard_url=_dashboard_url(enrollment),
                percent=summary.overall.percent,
                week=planning.week_summary(enrollment, today=today, zone=zone),
            )
        )
    return Digest(since=since, today=today, roadmaps=roadmaps)


def nudge(user, now):
    """The nudge's content: days since the last tick and each roadmap's next step."""
    enrollments = _active_enrollments(user)
    if not enrollments:
        return None
    zone = learner_zone(user)
    last = Activity.objects.filter(enrollment__in=enrollments, kind=Activity.Kind.TICKED).aggregate(
        last=Max("created_at")
    )["last"]
    last = max(filter(None, [last, *(e.created_at for e in enrollments)]))
    last_day = local_date(last, zone)
    progress = progress_by_enrollment(enrollments)
    roadmaps = []
    for enrollment in enrollments:
        summary, steps = progress[enrollment.pk]
        titles = {s["id"]: s["title"] for s in steps}
        roadmaps.append(
            NextStep(
                roadmap=enrollment.roadmap.title,
                dashboard_url=_dashboard_url(enrollment),
                step=titles.get(summary.next_step_id),
            )
        )
    return Nudge(
        days=(local_date(now, zone) - last_day).days, last_tick=last_day, roadmaps=roadmaps
    )
