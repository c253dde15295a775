"""Nothing lost by one tap: resets and leaving ask first, and can be undone exactly."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap import learning
from roadmap.models import Activity, Enrollment, MilestoneProgress, Phase, Step, StepSkip
from tests.factories import make_user
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone

pytestmark = pytest.mark.django_db
SLUG = "test-roadmap"
STEP_RESET = reverse("roadmap:step-reset", args=[SLUG, "step-0-0"])
PHASE_RESET = reverse("roadmap:phase-reset", args=[SLUG, "phase-0"])
ROADMAP_RESET = reverse("roadmap:roadmap-reset", args=[SLUG])
LEAVE = reverse("roadmap:leave", args=[SLUG])
UNDO = reverse("roadmap:undo", args=[SLUG])


def state():
    """Every learner row a reset can touch, with its timestamps."""
    return (
        sorted(
            MilestoneProgress.objects.values_list(
                "enrollment", "milestone", "done_at", "first_done_at"
            )
        ),
        sorted(StepSkip.objects.values_list("enrollment", "step", "created_at")),
        sorted(Enrollment.objects.values_list("pk", "status")),
    )


def some_progress(enrollment):
    """Ticks at distinct past times and a skip, so that a restore must get times right."""
    past = timezone.now() - timedelta(days=3)
    for n, key in enumerate(["step-0-0-m0", "step-0-0-m1", "step-0-1-m0", "step-1-0-m0"]):
        learning.set_milestone(enrollment, milestone(key), True, now=past + timedelta(hours=n))
    learning.set_skipped(enrollment, [Step.objects.get(key="step-0-1")], True)
    StepSkip.objects.update(created_at=past - timedelta(days=1))


def offer_token(client):
    return client.session["waypoint-undo"][-1]["token"]


@pytest.mark.parametrize("url", [STEP_RESET, PHASE_RESET, ROADMAP_RESET, LEAVE])
def test_asking_to_reset_or_leave_shows_a_confirmation_and_changes_nothing(client, url):
    enrollment = enrolled_learner(client)
    some_progress(enrollment)
    before = state()

    page = client.get(url)
    posted = client.post(url)  # no confirm=1
    fragment = client.get(url, **HTMX)

    assert page.status_code == posted.status_code == fragment.status_code == 200
    assert '<input type="hidden" name="confirm" value="1">' in page.content.decode()
    assert "<html" in page.content.decode()
    assert "<html" not in fragment.content.decode()
    assert 'class="confirm"' in fragment.content.decode()
    assert "window.confirm" not in fragment.content.decode()
    assert state() == before


@pytest.mark.parametrize("url", [STEP_RESET, PHASE_RESET, ROADMAP_RESET])
def test_a_confirmed_reset_can_be_undone_exactly_and_is_logged(client, url):
    enrollment = enrolled_learner(client)
    some_progress(enrollment)
    before = state()

    client.post(url, {"confirm": "1"})
    assert state() != before
    html = client.get(reverse("roadmap:roadmap-detail", args=[SLUG])).content.decode()
    assert 'class="undo-offer"' in html

    response = client.post(UNDO, {"token": offer_token(client)})

    assert response.status_code == 302
    assert state() == before
    assert Activity.objects.filter(kind="restored").exists()
    html = client.get(reverse("roadmap:roadmap-detail", args=[SLUG])).content.decode()
    assert 'class="undo-offer"' not in html


def test_undoing_twice_changes_nothing_the_second_time(client):
    enrollment = enrolled_learner(client)
    some_progress(enrollment)
    before = state()
    client.post(PHASE_RESET, {"confirm": "1"})
    token = offer_token(client)

    client.post(UNDO, {"token": token})
    logged = Activity.objects.count()
    second = client.post(UNDO, {"token": token})

    assert second.status_code == 302
    assert state() == before
    assert Activity.objects.count() == logged


def test_restoring_twice_directly_changes_nothing_twice(client):
    enrollment = enrolled_learner(client)
    some_progress(enrollment)
    before = state()
    phase = Phase.objects.get(key="phase-0")
    record = learning.reset(enrollment, list(phase.steps.all()), phase=phase)

    assert learning.undo_reset(enrollment, record) == 2
    assert learning.undo_reset(enrollment, record) == 0
    assert state() == before
    assert Activity.objects.filter(kind="restored").count() == 2


def test_a_reset_of_nothing_offers_no_undo(client):
    enrolled_learner(client)
    client.post(STEP_RESET, {"confirm": "1"})
    assert not client.session.get("waypoint-undo")


def test_leaving_can_be_undone(client):
    enrollment = enrolled_learner(client)
    some_progress(enrollment)
    learning.set_status(enrollment, Enrollment.Status.PAUSED)
    before = state()

    client.post(LEAVE, {"confirm": "1"})
    assert Enrollment.objects.get().status == "left"
    assert "You left “Roadmap test-roadmap”" in client.get("/roadmaps/").content.decode()
    client.post(UNDO, {"token": offer_token(client)})

    assert state() == before


def test_another_learner_cannot_use_my_undo(client):
    enrollment = enrolled_learner(client, username="owner")
    some_progress(enrollment)
    client.post(PHASE_RESET, {"confirm": "1"})
    token = offer_token(client)
    after_reset = state()

    client.force_login(make_user("intruder"))
    client.post(UNDO, {"token": token})

    assert state() == after_reset


def test_a_reset_returns_to_the_page_it_was_asked_from(client):
    enrolled_learner(client)
    step_page = reverse("roadmap:step-detail", args=[SLUG, "step-0-0"])

    response = client.post(STEP_RESET, {"confirm": "1", "next": step_page})

    assert response["Location"] == f"{step_page}#step-step-0-0"


def test_the_undo_offer_on_a_cached_page_returns_to_that_page_not_to_a_query_it_was_cached_from(
    client,
):
    """A page is cached under its path (and what it shows), not any query string it was asked
    with; the offer's return address must not carry one request's query into the next."""
    some_progress(enrolled_learner(client))
    client.post(STEP_RESET, {"confirm": "1"})
    page = reverse("roadmap:roadmap-detail", args=[SLUG])

    first = client.get(f"{page}?utm=evil").content.decode()
    second = client.get(page).content.decode()

    for html in (first, second):
        assert 'class="undo-offer"' in html
        assert f'name="next" value="{page}"' in html
        assert "utm=evil" not in html
