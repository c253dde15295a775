"""roadmap/versions.py: each version counter goes up through one function, with its change."""

import pytest

from roadmap import versions
from roadmap.models import Enrollment, Roadmap
from tests.factories import enrol, load_roadmap, make_user

pytestmark = pytest.mark.django_db


def test_a_learner_change_and_its_version_raise_are_one_update(django_assert_num_queries):
    enrollment = enrol(make_user(), load_roadmap())

    with django_assert_num_queries(1):
        changed = versions.learner_changed(enrollment.pk, status=Enrollment.Status.PAUSED)

    enrollment.refresh_from_db()
    assert (changed, enrollment.status, enrollment.version) == (1, "paused", 1)


def test_a_conditional_change_that_matches_nothing_raises_no_version():
    enrollment = enrol(make_user(), load_roadmap())
    left = Enrollment.objects.filter(pk=enrollment.pk, status=Enrollment.Status.LEFT)

    assert versions.enrollments_changed(left, status=Enrollment.Status.ACTIVE) == 0
    enrollment.refresh_from_db()
    assert enrollment.version == 0


def test_a_content_change_and_its_version_raise_are_one_update(django_assert_num_queries):
    roadmap = load_roadmap()
    before = roadmap.content_version

    with django_assert_num_queries(1):
        versions.content_changed(roadmap.pk, status=Roadmap.Status.DRAFT)

    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.content_version) == ("draft", before + 1)
