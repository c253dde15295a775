"""Deleting an account and everything Waypoint keeps about it, in one transaction."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts.models import UserSession
from accounts.sessions import end_sessions_of
from roadmap.models import (
    Activity,
    Enrollment,
    MilestoneProgress,
    PersonalLink,
    StepNote,
    StepSkip,
)

# Children first, then the enrolments, then the user: each delete finds nothing left that
# points at its rows, so nothing depends on cascades or on the PROTECT rules to content.
LEARNER_DATA = (Activity, MilestoneProgress, StepSkip, StepNote, PersonalLink)


@transaction.atomic
def delete_account(user):
    """Delete the user, their enrolments, progress, notes, links and history, and their login
    records and sessions (every device is logged out); return how many rows of each kind went."""
    enrollments = Enrollment.objects.filter(user=user)
    deleted = {}
    for model in LEARNER_DATA:
        deleted[model._meta.label] = model.objects.filter(enrollment__in=enrollments).delete()[0]
    deleted[Enrollment._meta.label] = enrollments.delete()[0]
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        deleted[model._meta.label] = model.objects.filter(username=user.username).delete()[0]
    deleted[UserSession._meta.label] = end_sessions_of(user)
    user.delete()
    deleted[user._meta.label] = 1
    return deleted
