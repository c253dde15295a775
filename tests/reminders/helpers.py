"""Learners with reminders on and a history dated where the test wants it."""

from reminders.models import ReminderSettings
from roadmap import learning
from roadmap.models import Enrollment, Milestone
from tests.factories import make_user


def learner(username, roadmap, enrolled_at, time_zone="UTC", weekly_hours=10, target=None):
    user = make_user(username, time_zone=time_zone)
    enrollment, __ = learning.enrol(user, roadmap, weekly_hours=weekly_hours, target_date=target)
    Enrollment.objects.filter(pk=enrollment.pk).update(created_at=enrolled_at)
    enrollment.refresh_from_db()
    return user, enrollment


def tick(enrollment, at, count=1):
    """Tick the first `count` milestones not yet done, at `at`."""
    done = enrollment.progress.filter(done_at__isnull=False).values("milestone_id")
    milestones = Milestone.objects.filter(roadmap_id=enrollment.roadmap_id).exclude(id__in=done)
    for milestone in milestones.order_by("step__phase__position", "step__position", "position")[
        :count
    ]:
        learning.set_milestone(enrollment, milestone, True, now=at)


def reminders(user, **fields):
    return ReminderSettings.objects.update_or_create(user=user, defaults=fields)[0]
