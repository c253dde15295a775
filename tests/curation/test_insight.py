"""The curator insight page: funnel, stalls and skips, for staff only, in constant queries."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from roadmap import learning
from roadmap.insight import roadmap_insight
from roadmap.models import Enrollment, Milestone, MilestoneProgress, Step
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

INSIGHT = "/roadmaps/test-roadmap/insight/"
START = timezone.now() - timedelta(days=30)


def finish(enrollment, step_key, day):
    for milestone in Milestone.objects.filter(step__key=step_key):
        learning.set_milestone(enrollment, milestone, True, now=START + timedelta(days=day))


def curator_client():
    user = make_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(user)
    return client


def test_funnel_stalls_and_skips_are_counted_per_learner():
    roadmap = load_roadmap(roadmap_data(phases=1, steps=3))
    a, b, c = (enrol(make_user(name), roadmap) for name in "abc")
    finish(a, "step-0-0", 0), finish(a, "step-0-1", 2), finish(a, "step-0-2", 3)
    finish(b, "step-0-0", 0), finish(b, "step-0-1", 10)
    learning.set_skipped(c, [Step.objects.get(key="step-0-0")], True)
    learning.set_milestone(c, Milestone.objects.get(key="step-0-1-m0"), True)  # half a step
    Enrollment.objects.create(user=make_user("gone"), roadmap=roadmap, status="left")

    insight = roadmap_insight(roadmap)

    assert insight.enrolments == {"active": 3, "left": 1}
    assert insight.learners == 3
    assert [(s.number, s.finished, s.skipped) for s in insight.steps] == [
        ("1.1", 2, 1),
        ("1.2", 2, 0),
        ("1.3", 1, 0),
    ]
    assert [s.stall_days for s in insight.steps] == [None, 6.0, 1.0]  # median of 2 and 10
    assert insight.stalls()[0].step.key == "step-0-1"
    assert [s.step.key for s in insight.most_skipped()] == ["step-0-0"]
    assert insight.phases[0].finished == 1


def test_only_staff_curators_see_the_insight_page():
    roadmap = load_roadmap(roadmap_data())
    enrol(make_user("someone"), roadmap)
    learner = Client()
    learner.force_login(make_user())
    staff_without_permission = Client()
    staff_without_permission.force_login(make_user("staff", is_staff=True))

    assert Client().get(INSIGHT).status_code == 404
    assert learner.get(INSIGHT).status_code == 404
    assert staff_without_permission.get(INSIGHT).status_code == 404
    response = curator_client().get(INSIGHT)
    assert response.status_code == 200
    assert "Completion funnel" in response.content.decode()
    assert "Share of learners through each whole phase" in response.content.decode()
    assert curator_client_for_missing().status_code == 404


def curator_client_for_missing():
    client = Client()
    client.force_login(make_user("other-curator", is_staff=True, is_superuser=True))
    return client.get("/roadmaps/no-such-roadmap/insight/")


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_insight_page_runs_a_constant_number_of_queries(size, django_assert_max_num_queries):
    steps, learners = (5, 10) if size == "small" else (50, 10_000)
    roadmap = bulk_roadmap(phases=1 if size == "small" else 10, steps=steps)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"learner{i}") for i in range(learners)
    )
    enrolments = Enrollment.objects.bulk_create(Enrollment(user=u, roadmap=roadmap) for u in users)
    milestones = list(Milestone.objects.filter(roadmap=roadmap).order_by("id")[:6])
    MilestoneProgress.objects.bulk_create(
        MilestoneProgress(enrollment=e, milestone=m, done_at=START, first_done_at=START)
        for e in enrolments
        for m in milestones
    )
    client = curator_client()

    with django_assert_max_num_queries(12):
        response = client.get(f"/roadmaps/{roadmap.slug}/insight/")
    assert response.status_code == 200
    assert f"of {learners} learners" in response.content.decode()
