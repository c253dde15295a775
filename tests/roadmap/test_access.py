"""roadmap/access.py: each function hands over what the user may see, and a 404 otherwise."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from roadmap import access
from roadmap.models import Enrollment, Milestone, PersonalLink, Roadmap
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap():
    return load_roadmap(roadmap_data())


def test_a_visitor_sees_a_published_roadmap_but_not_a_draft(roadmap):
    load_roadmap(roadmap_data(slug="draft", status="draft"))

    assert access.roadmap_for_visitor(AnonymousUser(), roadmap.slug) == roadmap
    with pytest.raises(Http404):
        access.roadmap_for_visitor(AnonymousUser(), "draft")


def test_only_a_curator_gets_a_roadmap_for_curators(roadmap):
    curator = make_user("curator", is_staff=True, is_superuser=True)
    draft = load_roadmap(roadmap_data(slug="draft", status="draft"))

    assert access.roadmap_for_curator(curator, "draft") == draft
    for someone in (AnonymousUser(), make_user()):
        with pytest.raises(Http404):
            access.roadmap_for_curator(someone, roadmap.slug)


def test_an_enrolment_is_found_for_its_learner_only_and_not_once_left(roadmap):
    ada, bob = make_user("ada"), make_user("bob")
    enrollment = enrol(ada, roadmap)

    assert access.enrollment_for_user(ada, roadmap.slug) == enrollment
    with pytest.raises(Http404):
        access.enrollment_for_user(bob, roadmap.slug)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.LEFT)
    with pytest.raises(Http404):
        access.enrollment_for_user(ada, roadmap.slug)
    assert access.enrollment_for_undo(ada, roadmap.slug, enrollment.pk) == enrollment
    with pytest.raises(Http404):
        access.enrollment_for_undo(bob, roadmap.slug, enrollment.pk)


def test_a_step_in_an_archived_phase_and_its_milestones_are_not_for_learners(roadmap):
    enrollment = enrol(make_user(), roadmap)
    milestone = Milestone.objects.get(key="step-1-0-m0")

    assert access.step_for_learner(enrollment, "step-1-0").key == "step-1-0"
    assert access.milestone_for_learner(enrollment, milestone.pk) == milestone
    phase = roadmap.phases.get(key="phase-1")
    phase.archived_at = timezone.now()
    phase.save()  # raises the content version, as every change of content does
    enrollment.roadmap.refresh_from_db()  # as the next request reads it
    with pytest.raises(Http404):
        access.phase_for_learner(enrollment, "phase-1")
    with pytest.raises(Http404):
        access.step_for_learner(enrollment, "step-1-0")
    with pytest.raises(Http404):
        access.milestone_for_learner(enrollment, milestone.pk)


def test_a_milestone_or_step_of_another_roadmap_is_a_404(roadmap):
    other = load_roadmap(roadmap_data(slug="other"))
    enrollment = enrol(make_user(), roadmap)
    foreign = Milestone.objects.get(roadmap=other, key="step-0-0-m0")

    with pytest.raises(Http404):
        access.milestone_for_learner(enrollment, foreign.pk)
    with pytest.raises(Http404):
        access.step_for_learner(enrollment, "no-such-step")


def test_a_link_is_found_only_on_its_own_enrolment_and_step(roadmap):
    mine, theirs = enrol(make_user("ada"), roadmap), enrol(make_user("bob"), roadmap)
    step = access.step_for_learner(mine, "step-0-0")
    link = PersonalLink.objects.create(
        enrollment=mine, step=step, title="Notes", url="https://example.com"
    )

    assert access.link_for_learner(mine, step, link.pk) == link
    with pytest.raises(Http404):
        access.link_for_learner(theirs, step, link.pk)
    with pytest.raises(Http404):
        access.link_for_learner(mine, access.step_for_learner(mine, "step-0-1"), link.pk)


def test_found_turns_nothing_found_on_a_page_into_a_404():
    assert access.found(("phase", "step")) == ("phase", "step")
    with pytest.raises(Http404):
        access.found(None)


def test_an_enrolment_to_change_is_found_as_one_to_see_and_only_then_raised(roadmap):
    """enrollment_to_change finds an enrolment with SQL of its own (roadmap/versions.py):
    it must agree with enrollment_for_user on every rule, and raise only what it finds."""
    ada, bob = make_user("ada"), make_user("bob")
    draft = load_roadmap(roadmap_data(slug="draft", status="draft"))
    own = Roadmap.objects.create(owner=ada, key="mine", slug="mine_x1", title="M", summary="S")
    theirs = Roadmap.objects.create(owner=bob, key="his", slug="his_x2", title="H", summary="S")
    left = enrol(bob, roadmap)
    Enrollment.objects.filter(pk=left.pk).update(status=Enrollment.Status.LEFT)
    for enrolled in (roadmap, draft, own, theirs):
        enrol(ada, enrolled)
    cases = [(ada, r.slug) for r in (roadmap, draft, own, theirs)]
    cases += [(bob, roadmap.slug), (bob, own.slug), (ada, "no-such-roadmap")]
    changeable = []

    for user, slug in cases:
        try:
            expected = access.enrollment_for_user(user, slug)
        except Http404:
            expected = None
        before = dict(Enrollment.objects.values_list("pk", "version"))
        with transaction.atomic():
            try:
                found = access.enrollment_to_change(user, slug)
            except Http404:
                found = None
        after = dict(Enrollment.objects.values_list("pk", "version"))

        assert found == expected, (user, slug)
        raised = {pk for pk in after if after[pk] != before[pk]}
        assert raised == ({found.pk} if found else set()), (user, slug)
        if found:
            assert (found.version, found.roadmap.slug) == (after[found.pk], slug)
            changeable.append((user, slug))
    assert changeable == [(ada, roadmap.slug), (ada, own.slug)]
