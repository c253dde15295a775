"""Learners with real data on a roadmap, made through the same functions the pages use."""

from roadmap import learning
from roadmap.models import Milestone, Step
from tests.factories import make_user

PASSWORD = "correct horse 42"  # what tests.factories.make_user sets


def learner_with_data(username, roadmap, milestones=2):
    """A learner enrolled in `roadmap` who ticked, skipped, noted, linked and reset."""
    user = make_user(username)
    enrollment, _ = learning.enrol(user, roadmap, weekly_hours=5)
    steps = list(Step.objects.filter(roadmap=roadmap).order_by("phase__position", "position"))
    for milestone in Milestone.objects.filter(roadmap=roadmap).order_by("id")[:milestones]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, [steps[-1]], True)
    learning.save_note(enrollment, steps[0], f"{username}'s private note")
    learning.add_link(enrollment, steps[0], f"{username}'s link", "https://example.com/mine")
    learning.reset(enrollment, [steps[1]])
    return user
