import pytest
from django.test import Client
from django.urls import reverse

from roadmap import progress
from roadmap.models import Activity, MilestoneProgress
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


def test_ticking_without_javascript_redirects_back_to_the_milestone(client):
    enrollment = enrolled_learner(client)
    target = milestone("step-0-0-m0")

    response = client.post(tick_url(target), {"done": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/test-roadmap/#milestone-step-0-0-m0"
    row = MilestoneProgress.objects.get(enrollment=enrollment)
    assert row.done_at is not None
    assert row.first_done_at == row.done_at
    assert list(Activity.objects.values_list("kind", "milestone__key")) == [
        ("ticked", "step-0-0-m0")
    ]


def test_ticking_twice_keeps_one_row_and_one_log_entry(client):
    enrollment = enrolled_learner(client)
    target = milestone("step-0-0-m0")

    client.post(tick_url(target), {"done": "1"})
    client.post(tick_url(target), {"done": "1"})

    assert MilestoneProgress.objects.filter(enrollment=enrollment).count() == 1
    assert Activity.objects.count() == 1


def test_unticking_keeps_the_row_and_first_done_date(client):
    enrollment = enrolled_learner(client)
    target = milestone("step-0-0-m0")
    client.post(tick_url(target), {"done": "1"})
    first = MilestoneProgress.objects.get().first_done_at

    client.post(tick_url(target), {"done": "0"})
    client.post(tick_url(target), {"done": "0"})

    row = MilestoneProgress.objects.get(enrollment=enrollment)
    assert row.done_at is None
    assert row.first_done_at == first
    assert list(Activity.objects.order_by("id").values_list("kind", flat=True)) == [
        "ticked",
        "unticked",
    ]


@pytest.mark.parametrize("value", ["", "toggle", "2"])
def test_a_tick_must_say_the_state_it_wants(client, value):
    enrolled_learner(client)
    response = client.post(tick_url(milestone("step-0-0-m0")), {"done": value})
    assert response.status_code == 400
    assert not MilestoneProgress.objects.exists()


def test_htmx_tick_swaps_the_row_and_updates_every_figure_out_of_band(client):
    enrolled_learner(client, phases=2, steps=2, milestones=2)  # 8 milestones

    response = client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<li class="milestone" id="milestone-step-0-0-m0">')
    assert 'aria-pressed="true"' in html
    assert 'id="step-step-0-0-status" class="step-status" hx-swap-oob="true"' in html
    assert "In progress" in html
    assert 'id="phase-phase-0-progress" class="phase-progress" hx-swap-oob="true"' in html
    assert 'value="25"' in html  # the phase: 1 of 4
    assert 'id="overall-progress"' in html
    assert '<span class="percent">12%</span>' in html  # 1 of 8, rounded down
    assert "Now 12% complete." in html
    assert len(response.content) < 8_000


def test_the_page_and_the_tick_response_show_the_same_percent(client):
    enrollment = enrolled_learner(client, phases=1, steps=3, milestones=3)
    for key in ("step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        response = client.post(tick_url(milestone(key)), {"done": "1"}, **HTMX)
    expected = progress.summary(enrollment).overall.percent
    assert expected == 33
    assert f'<span class="percent">{expected}%</span>' in response.content.decode()
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert f'<span class="percent">{expected}%</span>' in page


def test_ticking_in_a_roadmap_i_am_not_enrolled_in_is_a_404(client):
    enrolled_learner(client)
    other = load_roadmap(roadmap_data(slug="other-roadmap"))
    target = other.milestones.first()
    response = client.post(tick_url(target), {"done": "1"})
    assert response.status_code == 404
    assert not MilestoneProgress.objects.exists()


def test_ticking_a_milestone_of_another_roadmap_through_my_roadmap_url_is_a_404(client):
    enrolled_learner(client)
    other = load_roadmap(roadmap_data(slug="other-roadmap"))
    foreign = other.milestones.first()
    url = reverse("roadmap:milestone-tick", args=["test-roadmap", foreign.pk])
    assert client.post(url, {"done": "1"}).status_code == 404
    assert not MilestoneProgress.objects.exists()


def test_ticking_in_a_draft_roadmap_is_a_404(client):
    draft = load_roadmap(roadmap_data(slug="draft-roadmap", status="draft"))
    user = make_user()
    enrol(user, draft)
    client.force_login(user)
    assert client.post(tick_url(draft.milestones.first()), {"done": "1"}).status_code == 404
    assert not MilestoneProgress.objects.exists()


def test_ticking_a_milestone_that_does_not_exist_is_a_404(client):
    enrolled_learner(client)
    url = reverse("roadmap:milestone-tick", args=["test-roadmap", 999_999])
    assert client.post(url, {"done": "1"}).status_code == 404


def test_ticking_an_archived_milestone_is_a_404(client):
    from django.utils import timezone

    enrolled_learner(client)
    target = milestone("step-0-0-m0")
    target.archived_at = timezone.now()
    target.save()
    assert client.post(tick_url(target), {"done": "1"}).status_code == 404


def test_anonymous_tick_goes_to_login_and_writes_nothing(client):
    load_roadmap(roadmap_data())
    response = client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not MilestoneProgress.objects.exists()


def test_tick_without_csrf_token_is_refused():
    csrf_client = Client(enforce_csrf_checks=True)
    enrollment = enrolled_learner(csrf_client)
    response = csrf_client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"}, **HTMX)
    assert response.status_code == 403
    assert not MilestoneProgress.objects.filter(enrollment=enrollment).exists()


def test_get_is_not_a_tick(client):
    enrolled_learner(client)
    assert client.get(tick_url(milestone("step-0-0-m0"))).status_code == 405


@pytest.mark.parametrize("size", ["small", "large"])
def test_tick_runs_a_constant_number_of_queries(size, client, django_assert_max_num_queries):
    if size == "small":
        roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)
    user = make_user()
    enrol(user, roadmap)
    client.force_login(user)
    target = roadmap.milestones.order_by("pk").last()
    with django_assert_max_num_queries(25):
        response = client.post(tick_url(target), {"done": "1"}, **HTMX)
    assert response.status_code == 200


def test_unticking_a_milestone_never_ticked_writes_nothing(client):
    enrollment = enrolled_learner(client)
    response = client.post(tick_url(milestone("step-0-0-m0")), {"done": "0"}, **HTMX)
    assert response.status_code == 200
    assert 'aria-pressed="false"' in response.content.decode()
    assert not MilestoneProgress.objects.filter(enrollment=enrollment).exists()
    assert not Activity.objects.exists()


def test_the_tick_response_agrees_with_the_roadmap_page_for_every_milestone(client):
    """pages.step_progress (what a tick shows) reads the outline and the learner's marks;
    the roadmap page reads the whole content: both give the same figures."""
    from django.utils import timezone

    from roadmap import learning, pages
    from roadmap.models import Milestone, Step

    enrollment = enrolled_learner(client, phases=2, steps=3, milestones=3)
    learning.set_milestone(enrollment, milestone("step-0-0-m0"), True)
    learning.set_milestone(enrollment, milestone("step-0-0-m1"), True)
    learning.set_skipped(enrollment, [Step.objects.get(key="step-0-1")], True)
    learning.set_milestone(enrollment, milestone("step-1-2-m2"), True)
    archived = milestone("step-1-0-m1")  # archived: counted nowhere
    archived.archived_at = timezone.now()
    archived.save()
    page = pages.roadmap_page(enrollment.roadmap, enrollment.user, with_history=False)
    marks = pages.learner_marks(enrollment)
    for target in Milestone.objects.live().filter(roadmap=enrollment.roadmap):
        shown = pages.step_progress(enrollment, target.pk, marks)
        phase, step, expected = page.locate_milestone(target.pk)
        assert shown.progress.overall == page.progress.overall
        assert shown.phase.tally == phase.tally
        assert (shown.step.state, shown.step.tally) == (step.state, step.tally)
        assert shown.step.number == step.number
        assert shown.milestone.is_done == expected.is_done
        assert shown.next_step.key == page.next_step.key
        assert shown.next_step.number == page.next_step.number


def test_a_tick_refused_after_its_enrolment_was_found_raises_no_version(client):
    """The enrolment is found by raising its version; a 404 on the milestone rolls that back,
    so a foreign milestone id does not even make the learner's cached pages miss."""
    enrollment = enrolled_learner(client)
    foreign = load_roadmap(roadmap_data(slug="other-roadmap")).milestones.first()
    url = reverse("roadmap:milestone-tick", args=["test-roadmap", foreign.pk])

    assert client.post(url, {"done": "1"}, **HTMX).status_code == 404

    enrollment.refresh_from_db()
    assert enrollment.version == 0


def test_a_tick_raises_the_enrolment_version_whether_or_not_it_changes_anything(client):
    enrollment = enrolled_learner(client)
    target = milestone("step-0-0-m0")

    client.post(tick_url(target), {"done": "1"}, **HTMX)
    client.post(tick_url(target), {"done": "1"}, **HTMX)

    enrollment.refresh_from_db()
    assert enrollment.version == 2


def test_marking_a_milestone_returns_the_marks_after_it_and_writes_only_a_change(
    django_assert_num_queries,
):
    from django.db import transaction

    from roadmap import learning, pages
    from roadmap.models import Step

    enrollment = enrol(make_user(), load_roadmap())
    learning.set_skipped(enrollment, [Step.objects.get(key="step-1-0")], True)
    first, second = milestone("step-0-0-m0"), milestone("step-0-0-m1")
    learning.set_milestone(enrollment, second, True)
    skipped = {Step.objects.get(key="step-1-0").pk}

    with transaction.atomic():
        marks = learning.mark_milestone(enrollment, first, True)
    assert marks == ({first.pk, second.pk}, skipped) == pages.learner_marks(enrollment)
    with transaction.atomic(), django_assert_num_queries(1):  # the marks: nothing to write
        assert learning.mark_milestone(enrollment, first, True) == marks
    with transaction.atomic():
        marks = learning.mark_milestone(enrollment, first, False)
    assert marks == ({second.pk}, skipped) == pages.learner_marks(enrollment)
    kinds = Activity.objects.filter(enrollment=enrollment, milestone=first).order_by("id")
    assert list(kinds.values_list("kind", flat=True)) == ["ticked", "unticked"]
    assert MilestoneProgress.objects.get(milestone=first).first_done_at is not None


@pytest.mark.django_db(transaction=True)
def test_marking_a_milestone_outside_a_transaction_is_refused():
    """Its marks are only true under the lock a transaction holds (access.enrollment_to_change)."""
    from django.db.transaction import TransactionManagementError

    from roadmap import learning

    enrollment = enrol(make_user(), load_roadmap())
    with pytest.raises(TransactionManagementError):
        learning.mark_milestone(enrollment, milestone("step-0-0-m0"), True)
    assert not MilestoneProgress.objects.exists()
