"""Two tabs (or a double click) ticking at the same moment: one row, one log entry, no 500."""

import threading

import pytest
from django.db import connection
from django.test import Client

from roadmap.models import Activity, MilestoneProgress, StepSkip
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import milestone, tick_url

TABS = 4


def post_at_once(user, url, data):
    """POST the same request from several clients released together; return the statuses."""
    barrier = threading.Barrier(TABS)
    statuses = []

    def tab():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(TABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


@pytest.fixture
def learner(transactional_db):
    roadmap = load_roadmap(roadmap_data())
    user = make_user()
    return user, enrol(user, roadmap)


def test_ticking_from_several_tabs_at_once_writes_one_row_and_one_entry(learner):
    user, enrollment = learner
    target = milestone("step-0-0-m0")

    statuses = post_at_once(user, tick_url(target), {"done": "1"})

    assert statuses == [302] * TABS
    assert MilestoneProgress.objects.filter(enrollment=enrollment).count() == 1
    assert MilestoneProgress.objects.get(enrollment=enrollment).done_at is not None
    assert Activity.objects.filter(enrollment=enrollment, kind="ticked").count() == 1


def test_skipping_from_several_tabs_at_once_writes_one_skip_and_one_entry(learner):
    user, enrollment = learner

    statuses = post_at_once(user, "/roadmaps/test-roadmap/steps/step-0-0/skip/", {"skipped": "1"})

    assert statuses == [302] * TABS
    assert StepSkip.objects.filter(enrollment=enrollment).count() == 1
    assert Activity.objects.filter(enrollment=enrollment, kind="skipped").count() == 1


def test_enrolling_from_several_tabs_at_once_creates_one_enrolment(transactional_db):
    load_roadmap(roadmap_data())
    user = make_user()

    statuses = post_at_once(user, "/roadmaps/test-roadmap/enrol/", {})

    assert statuses == [302] * TABS
    assert user.enrollments.count() == 1
