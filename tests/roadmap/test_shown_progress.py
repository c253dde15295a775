"""The progress fragments every view after a tick shows (a step's status, a phase's progress,
the overall progress and the announcement) are kept per process by the page object their
template reads (roadmap/fragments.py: shown): the same HTML as the template renders, shared
by learners at the same point, and never one learner's numbers on another's page."""

import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import set_script_prefix
from django.utils import translation

from roadmap import fragments, pages, partials
from roadmap.progress import StepState, Tally
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import HTMX, fragment_renders, milestone, tick_url

pytestmark = pytest.mark.django_db
PAGE = "/roadmaps/test-roadmap/"

FRAGMENTS = [
    pages.StepStatus("s-1", StepState.IN_PROGRESS, 1, 3),
    pages.StepStatus("s-1", StepState.SKIPPED, 0, 1, oob=True),
    pages.StepStatus("s-1", StepState.SKIPPED, 2, 3),
    pages.PhaseProgress("p-1", "Basics <&> more", 50, 1, 1, 4, oob=True),
    pages.OverallProgress("rm", 10, 2, 1, 27, 12.4, False, True, "s-2", "1.2", "Next <b>"),
    pages.OverallProgress("rm", 100, 29, 1, 0, 0.0, True, False, oob=True),
    pages.Announcement(42, oob=True),
    pages.Announcement(42),
]


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda f: type(f).__name__)
def test_a_kept_fragment_is_what_its_template_renders(fragment):
    fresh = render_to_string(fragment.template, {fragment.name: fragment})

    assert fragments.shown(fragment) == fresh
    assert fragments.shown(fragment) == fresh  # and again, from the process's copy


def test_the_fragments_say_what_their_objects_hold():
    status, phase, overall, announcement = (
        str(fragments.shown(FRAGMENTS[i])) for i in (0, 3, 4, 6)
    )
    assert 'id="step-s-1-status"' in status
    assert "1 of 3 milestones" in status
    assert "hx-swap-oob" not in status
    assert 'hx-swap-oob="true"' in phase
    assert "Basics &lt;&amp;&gt; more" in phase
    assert "1 done, 1 skipped of 4 milestones" in phase
    assert "2 done · 1 skipped · 27 to go" in overall
    assert "about 12 hours left" in overall
    assert "This roadmap is paused" in overall
    assert "Next &lt;b&gt;" in overall
    assert "Now 42% complete." in announcement


def test_each_language_keeps_its_own_copy(monkeypatch):
    fragment = pages.Announcement(7, oob=True)
    fragments.shown(fragment)
    monkeypatch.setattr(fragments, "render_to_string", lambda *args: "rendered again")
    with translation.override("fr"):
        assert fragments.shown(fragment) == "rendered again"
    assert "Now 7% complete." in fragments.shown(fragment)


def test_the_link_to_the_next_step_follows_the_sites_prefix():
    fragment = FRAGMENTS[4]
    assert 'href="/roadmaps/rm/steps/s-2/"' in fragments.shown(fragment)
    try:
        set_script_prefix("/learn/")
        assert 'href="/learn/roadmaps/rm/steps/s-2/"' in fragments.shown(fragment)
    finally:
        set_script_prefix("/")


def learner(client, roadmap, name):
    user = make_user(name)
    enrol(user, roadmap)
    client.force_login(user)
    return client


def overall(html):
    return re.search(r'<section id="overall-progress".*?</section>', html, re.S).group(0)


def test_learners_at_the_same_point_share_a_status_and_each_sees_their_own_numbers(
    client, django_user_model, monkeypatch
):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=2, milestones=3))
    rendered = fragment_renders(monkeypatch)
    first = learner(client, roadmap, "ada")
    first.post(tick_url(milestone("step-0-1-m0")), {"done": "1"}, **HTMX)
    ada = first.post(tick_url(milestone("step-0-0-m0")), {"done": "1"}, **HTMX).content.decode()
    statuses = rendered.count(partials.STEP_STATUS)

    from django.test import Client

    bob = learner(Client(), roadmap, "bob")
    bob_tick = bob.post(tick_url(milestone("step-0-0-m0")), {"done": "1"}, **HTMX).content.decode()

    # The ticked step's status is the same for both (1 of 3): kept once, not rendered again.
    assert rendered.count(partials.STEP_STATUS) == statuses
    assert re.search(r'<span id="step-step-0-0-status".*?</span></span>', ada, re.S).group(
        0
    ) == re.search(r'<span id="step-step-0-0-status".*?</span></span>', bob_tick, re.S).group(0)
    # Their overall progress differs (Ada ticked two milestones), each on their own page.
    assert "2 done · 0 skipped · 4 to go" in overall(ada)
    assert "1 done · 0 skipped · 5 to go" in overall(bob_tick)
    assert "2 done" in overall(first.get(PAGE).content.decode())
    assert "1 done" in overall(bob.get(PAGE).content.decode())


def test_a_pages_announcement_is_one_fragment_whatever_the_percent():
    def page(done):
        return SimpleNamespace(progress=SimpleNamespace(overall=Tally(total=10, done=done)))

    assert pages.Announcement.of(page(1)) == pages.Announcement.of(page(2))
    assert pages.Announcement.of(page(1), oob=True) != pages.Announcement.of(page(2), oob=True)
    assert "Now 20% complete." in fragments.shown(pages.Announcement.of(page(2), oob=True))


def test_the_page_after_a_tick_shows_the_progress_the_tick_sent_rendered_once(monkeypatch):
    """Out of band, only the root's attribute differs: one kept copy serves the tick's
    response and the page that follows it."""
    rendered = fragment_renders(monkeypatch)
    sent = replace(FRAGMENTS[4], oob=True)
    tick = fragments.shown(sent)
    page = fragments.shown(replace(sent, oob=False))

    assert rendered == [partials.OVERALL_PROGRESS]
    assert 'hx-swap-oob="true"' in tick
    assert page == tick.replace(' hx-swap-oob="true"', "")
    assert "hx-swap-oob" not in page
    # The announcement says something out of band only: two fragments.
    fragments.shown(pages.Announcement(5, oob=True))
    fragments.shown(pages.Announcement(0))
    assert rendered.count(partials.ANNOUNCER) == 2
