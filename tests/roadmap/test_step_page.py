"""Each step has its own page: what to tick, read and keep, what it needs and unlocks."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap import learning
from roadmap.models import Milestone, Phase, Step
from roadmap.versions import content_changed
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


def step_url(key, slug="test-roadmap"):
    return reverse("roadmap:step-detail", args=[slug, key])


def test_an_enrolled_learner_sees_the_step_with_everything_to_do_on_it(client):
    enrollment = enrolled_learner(client)
    learning.set_milestone(enrollment, milestone("step-0-0-m0"), True)

    html = client.get(step_url("step-0-1")).content.decode()

    assert '<h1 id="step-title">Step 0.1</h1>' in html
    assert "Learn a thing." in html
    assert html.count('class="tick"') == 2
    assert 'name="next" value="/roadmaps/test-roadmap/steps/step-0-1/"' in html
    assert '<a href="https://example.com/docs" rel="noopener">Docs</a>' in html
    assert 'id="note-step-0-1"' in html
    assert 'id="link-url-step-0-1"' in html
    needs = re.search(r'id="needs-title".*?</ul>', html, re.S).group(0)
    assert "1.1 Step 0.0" in needs
    assert "In progress" in needs
    assert 'rel="prev" href="/roadmaps/test-roadmap/steps/step-0-0/"' in html
    assert 'rel="next" href="/roadmaps/test-roadmap/steps/step-1-0/"' in html


def test_a_step_page_lists_what_the_step_unlocks(client):
    enrolled_learner(client)

    html = client.get(step_url("step-1-0")).content.decode()

    unlocks = re.search(r'id="unlocks-title".*?</ul>', html, re.S).group(0)
    assert "2.2 Step 1.1" in unlocks
    assert "Not started" in unlocks
    assert 'rel="prev" href="/roadmaps/test-roadmap/steps/step-0-1/"' in html


def test_a_visitor_sees_the_step_without_tick_controls_and_is_invited_to_sign_up(client):
    load_roadmap(roadmap_data())

    html = client.get(step_url("step-0-0")).content.decode()

    assert "Milestone 0 of step-0-0" in html
    assert 'class="tick"' not in html
    assert "Sign up to enrol" in html
    assert "Your notes and links" not in html
    assert "Not started" not in html


def test_a_visitor_signing_up_from_a_step_page_comes_back_to_it(client):
    load_roadmap(roadmap_data())
    response = client.post(
        reverse("roadmap:enrol", args=["test-roadmap"]), {"next": step_url("step-0-1")}
    )
    assert response.status_code == 302
    assert "next=/roadmaps/test-roadmap/steps/step-0-1/" in response["Location"].replace("%2F", "/")


def test_a_logged_in_learner_not_enrolled_can_enrol_from_the_step_page(client):
    load_roadmap(roadmap_data())
    client.force_login(make_user())
    html = client.get(step_url("step-0-0")).content.decode()
    assert "Enrol in this roadmap" in html

    response = client.post(
        reverse("roadmap:enrol", args=["test-roadmap"]), {"next": step_url("step-0-0")}
    )

    assert response["Location"] == step_url("step-0-0")
    assert client.get(step_url("step-0-0")).content.decode().count('class="tick"') == 2


def test_unknown_archived_and_unpublished_steps_are_404(client):
    enrollment = enrolled_learner(client)
    assert client.get(step_url("no-such-step")).status_code == 404
    # Archiving is a bulk update in the admin and the loader, which raise the content version.
    Step.objects.filter(key="step-0-1").update(archived_at=timezone.now())
    content_changed(enrollment.roadmap_id)
    assert client.get(step_url("step-0-1")).status_code == 404
    Phase.objects.filter(key="phase-1").update(archived_at=timezone.now())
    content_changed(enrollment.roadmap_id)
    assert client.get(step_url("step-1-0")).status_code == 404
    load_roadmap(roadmap_data(slug="a-draft", status="draft"))
    assert client.get(step_url("step-0-0", slug="a-draft")).status_code == 404


def test_ticking_on_the_step_page_without_javascript_returns_to_the_step_page(client):
    enrolled_learner(client)
    target = milestone("step-0-1-m1")

    response = client.post(tick_url(target), {"done": "1", "next": step_url("step-0-1")})

    assert response["Location"] == "/roadmaps/test-roadmap/steps/step-0-1/#milestone-step-0-1-m1"
    html = client.get(step_url("step-0-1")).content.decode()
    assert re.search(r'aria-pressed="true"><span class="tick__box"', html)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_a_foreign_next_sends_the_learner_back_to_the_roadmap_page(client, next_url):
    enrolled_learner(client)

    response = client.post(tick_url(milestone("step-0-1-m1")), {"done": "1", "next": next_url})

    assert response["Location"] == "/roadmaps/test-roadmap/#milestone-step-0-1-m1"


def test_ticking_on_the_step_page_with_htmx_swaps_the_milestone_and_updates_the_figures(client):
    enrolled_learner(client)

    response = client.post(
        tick_url(milestone("step-0-1-m0")), {"done": "1", "next": step_url("step-0-1")}, **HTMX
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<li class="milestone" id="milestone-step-0-1-m0">')
    assert 'name="next" value="/roadmaps/test-roadmap/steps/step-0-1/"' in html
    assert 'id="step-step-0-1-status" class="step-status" hx-swap-oob="true"' in html
    assert "1 of 2 milestones" in html
    assert 'id="overall-progress" class="panel progress-panel"' in html
    assert "progress-changed" in response["HX-Trigger"]


def test_another_learners_states_and_notes_never_show_on_a_step_page(client):
    owner = enrolled_learner(client, username="owner")
    learning.set_milestone(owner, milestone("step-0-0-m0"), True)
    learning.save_note(owner, Step.objects.get(key="step-0-0"), "Owner's private note")
    learning.add_link(
        owner, Step.objects.get(key="step-0-0"), "Owner's link", "https://owner.example.com/"
    )
    client.get(step_url("step-0-0"))  # the owner's page is now cached
    other = make_user("other")
    enrol(other, owner.roadmap)

    for who in (other, None):
        if who is None:
            client.logout()
        else:
            client.force_login(who)
        html = client.get(step_url("step-0-0")).content.decode()
        assert "Owner's private note" not in html
        assert "Owner's link" not in html
        assert 'aria-pressed="true"' not in html
        assert "In progress" not in html


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_step_page_runs_a_constant_number_of_queries(size, client, django_assert_max_num_queries):
    if size == "small":
        roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
        key = "step-0-0"
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)  # 500 steps
        key = "p0-s0"
    user = make_user()
    enrollment = enrol(user, roadmap)
    for target in Milestone.objects.filter(roadmap=roadmap)[:40]:
        learning.set_milestone(enrollment, target, True)
    client.force_login(user)
    # Uncached: session with account, versions, roadmap, enrolment, the content's six prefetches,
    # then this learner's done milestones, skips, notes and links.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("roadmap:step-detail", args=[roadmap.slug, key]))
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
