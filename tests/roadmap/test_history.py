"""The learner's history on a roadmap: shown on the page, refreshed after every htmx change."""

import sys
from dataclasses import astuple
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from roadmap import history
from roadmap.history import HISTORY_KEPT, HISTORY_LENGTH, HistoryEntry, entries_html
from roadmap.models import Activity
from tests.factories import bulk_roadmap, enrol, make_user
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db

HISTORY = reverse("roadmap:history", args=["test-roadmap"])


def reset_url(key):
    return reverse("roadmap:step-reset", args=["test-roadmap", key])


def test_a_reset_shows_in_the_history_after_the_tick_it_undid(client):
    enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    client.post(reset_url("step-0-0"), {"confirm": "1"})

    page = client.get("/roadmaps/test-roadmap/").content.decode()
    history = client.get(HISTORY, **HTMX).content.decode()

    for html in (page, history):
        assert "Reset “Step 0.0” for revision" in html
        assert 'Ticked “Milestone 0 of step-0-0” <span class="history__step">in Step 0.0<' in html
        assert html.index("Reset “Step 0.0”") < html.index("Ticked “Milestone 0 of step-0-0”")


def test_the_history_shows_an_empty_state_before_any_activity(client):
    enrolled_learner(client)

    response = client.get(HISTORY)

    assert "Nothing yet." in response.content.decode()


def test_the_history_is_cut_to_the_latest_entries(client):
    enrolled_learner(client, steps=4, milestones=4)
    for key in [f"step-{p}-{s}-m{m}" for p in range(2) for s in range(4) for m in range(4)]:
        client.post(tick_url(milestone(key)), {"done": "1"})

    html = client.get(HISTORY).content.decode()

    assert Activity.objects.count() == 32 > HISTORY_LENGTH
    assert html.count('class="history__entry') == HISTORY_LENGTH
    assert "Milestone 3 of step-1-3" in html  # the newest
    assert "Milestone 0 of step-0-0" not in html  # the oldest


@pytest.mark.parametrize("name", ["milestone-tick", "step-skip", "phase-skip"])
def test_htmx_changes_tell_the_page_to_refresh_its_history(client, name):
    enrolled_learner(client)
    args = {
        "milestone-tick": (milestone("step-0-0-m0").pk,),
        "step-skip": ("step-0-0",),
        "phase-skip": ("phase-0",),
    }[name]
    data = {"done": "1", "skipped": "1"}

    response = client.post(reverse(f"roadmap:{name}", args=["test-roadmap", *args]), data, **HTMX)

    assert response.status_code == 200
    assert response["HX-Trigger"] == '{"progress-changed": {}}'


def test_another_learner_never_sees_my_history(client):
    enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    other = make_user("other")
    other_client = Client()
    other_client.force_login(other)

    assert other_client.get(HISTORY).status_code == 404
    enrol(other, milestone("step-0-0-m0").roadmap)
    html = other_client.get(HISTORY).content.decode()
    assert "Ticked" not in html
    assert "Nothing yet." in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = Client().get(HISTORY)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_history_of_a_roadmap_that_does_not_exist_is_a_404(client):
    enrolled_learner(client)

    assert client.get(reverse("roadmap:history", args=["no-such-roadmap"])).status_code == 404


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_history_runs_a_constant_number_of_queries(client, size, django_assert_max_num_queries):
    roadmap = bulk_roadmap(phases=1, steps=2) if size == "small" else bulk_roadmap()
    user = make_user()
    enrollment = enrol(user, roadmap)
    steps = list(roadmap.steps.all()[:HISTORY_LENGTH])
    Activity.objects.bulk_create(
        Activity(enrollment=enrollment, kind=Activity.Kind.SKIPPED, step=step) for step in steps
    )
    client.force_login(user)

    with django_assert_max_num_queries(4):
        response = client.get(reverse("roadmap:history", args=[roadmap.slug]))
    assert response.status_code == 200


def test_the_entries_a_process_keeps_stay_within_half_a_megabyte():
    # Each tick adds an entry; a process serving many learners must not keep every one it
    # ever rendered (bench/active.py's memory check failed on that).
    start = datetime(2026, 1, 1, tzinfo=UTC)
    entries = [
        HistoryEntry(
            pk,
            Activity.Kind.TICKED,
            start + timedelta(minutes=pk),
            f"Milestone {pk}: read the chapter on gradient descent",
            "Linear models and optimisation",
        )
        for pk in range(1, 3001)
    ]
    for first in range(0, len(entries), HISTORY_LENGTH):
        entries_html(entries[first : first + HISTORY_LENGTH])

    kept = history._entries._values
    size = sum(
        sys.getsizeof(html) + sum(sys.getsizeof(text) for text in astuple(entry))
        for (__, entry), html in kept.items()
    )

    assert len(kept) == HISTORY_KEPT
    assert size < 512 * 1024
