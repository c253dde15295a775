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


def test_raising_an_enrolment_version_by_slug_is_one_update_that_loads_it_as_the_orm_does(
    django_assert_num_queries,
):
    user = make_user()
    enrollment = enrol(user, load_roadmap())
    Enrollment.objects.filter(pk=enrollment.pk).update(weekly_hours=5, seen_revision=2)

    with django_assert_num_queries(1):
        raised = versions.raise_enrollment_version(user, enrollment.roadmap.slug)

    stored = Enrollment.objects.select_related("roadmap").get(pk=enrollment.pk)
    assert stored.version == 1
    fields = [field.attname for field in Enrollment._meta.concrete_fields]
    assert [getattr(raised, name) for name in fields] == [getattr(stored, name) for name in fields]
    assert raised.created_at.tzinfo is not None  # SQLite's text, converted as the ORM does
    # The roadmap's key: the same cached content (an outline) as every page reads.
    assert versions.content_key(raised.roadmap) == versions.content_key(stored.roadmap)
    assert raised.roadmap.slug == stored.roadmap.slug


def test_raising_the_version_of_an_enrolment_one_may_not_change_finds_nothing():
    ada, bob = make_user("ada"), make_user("bob")
    enrollment = enrol(ada, load_roadmap())

    assert versions.raise_enrollment_version(bob, enrollment.roadmap.slug) is None
    enrollment.refresh_from_db()
    assert enrollment.version == 0
