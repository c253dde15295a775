import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from roadmap.models import Activity, Enrollment, Milestone, MilestoneProgress, Phase, Step
from tests.factories import enrol, load_roadmap, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap():
    return load_roadmap(phases=1, steps=1, milestones=2)


def test_a_learner_enrols_in_a_roadmap_once(roadmap):
    user = make_user()
    enrol(user, roadmap)
    with pytest.raises(IntegrityError), transaction.atomic():
        enrol(user, roadmap)
    assert Enrollment.objects.count() == 1


def test_one_progress_row_per_enrolment_and_milestone(roadmap):
    enrollment = enrol(make_user(), roadmap)
    milestone = Milestone.objects.first()
    MilestoneProgress.objects.create(enrollment=enrollment, milestone=milestone)
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneProgress.objects.create(enrollment=enrollment, milestone=milestone)


def test_keys_are_unique_within_a_roadmap(roadmap):
    phase = Phase.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.create(
            roadmap=roadmap, phase=phase, key="step-0-0", title="Twin", summary="x", hours=1
        )


def test_the_same_key_may_appear_in_two_roadmaps(roadmap):
    other = load_roadmap(slug="other-roadmap", phases=1, steps=1, milestones=2)
    assert Step.objects.filter(key="step-0-0").count() == 2
    assert other.steps.get().key == "step-0-0"


def test_step_hours_must_be_in_range(roadmap):
    step = Step.objects.get()
    step.hours = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        step.save()


def test_deleting_a_milestone_with_progress_is_refused(roadmap):
    enrollment = enrol(make_user(), roadmap)
    milestone = Milestone.objects.first()
    MilestoneProgress.objects.create(
        enrollment=enrollment, milestone=milestone, done_at=timezone.now()
    )
    with pytest.raises(ProtectedError):
        milestone.delete()
    with pytest.raises(ProtectedError):
        Step.objects.get().delete()
    assert MilestoneProgress.objects.count() == 1


def test_deleting_a_roadmap_with_enrolments_is_refused(roadmap):
    enrol(make_user(), roadmap)
    with pytest.raises(ProtectedError):
        roadmap.delete()


def test_deleting_a_learner_removes_only_their_records(roadmap):
    mine, theirs = enrol(make_user("me"), roadmap), enrol(make_user("them"), roadmap)
    milestone = Milestone.objects.first()
    for enrollment in (mine, theirs):
        MilestoneProgress.objects.create(enrollment=enrollment, milestone=milestone)
        Activity.objects.create(enrollment=enrollment, kind="ticked", milestone=milestone)

    mine.user.delete()

    assert list(MilestoneProgress.objects.values_list("enrollment", flat=True)) == [theirs.pk]
    assert list(Activity.objects.values_list("enrollment", flat=True)) == [theirs.pk]


def test_the_activity_log_is_append_only(roadmap):
    entry = Activity.objects.create(
        enrollment=enrol(make_user(), roadmap), kind=Activity.Kind.TICKED
    )
    entry.kind = Activity.Kind.UNTICKED
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
