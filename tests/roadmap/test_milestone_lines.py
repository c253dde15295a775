"""A milestone's line (its tick form) is kept per process by what it shows
(roadmap/fragments.py: milestone_line), and every response still carries its own session's
CSRF token in it, never another's."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse, set_script_prefix

from roadmap import fragments
from roadmap.models import Milestone
from roadmap.pages import PageMilestone
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import HTMX, tick_url

pytestmark = pytest.mark.django_db
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
PAGE = "/roadmaps/test-roadmap/"


@pytest.fixture
def roadmap(db):
    return load_roadmap(roadmap_data(phases=1, steps=2, milestones=2))


def learner(roadmap, name):
    user = make_user(name)
    enrol(user, roadmap)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(PAGE)  # the CSRF cookie, as a browser has it before it ticks
    return client


def tick(client, milestone, done="1"):
    token = client.cookies["csrftoken"].value
    return client.post(tick_url(milestone), {"done": done}, HTTP_X_CSRFTOKEN=token, **HTMX)


def tokens(response):
    return FORM_TOKEN.findall(response.content.decode())


def test_two_learners_ticking_the_same_milestone_each_get_their_own_token(roadmap):
    ada, bob = learner(roadmap, "ada"), learner(roadmap, "bob")
    milestone = Milestone.objects.get(key="step-0-0-m0")

    first, second = tick(ada, milestone), tick(bob, milestone)  # the same line, kept once

    for client, response in ((ada, first), (bob, second)):
        assert response.status_code == 200
        assert 'aria-pressed="true"' in response.content.decode()
        [token] = tokens(response)
        assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    assert _unmask_cipher_token(tokens(first)[0]) != _unmask_cipher_token(tokens(second)[0])
    # The form in the response works for its own session, without JavaScript too.
    untick = ada.post(tick_url(milestone), {"done": "0", "csrfmiddlewaretoken": tokens(first)[0]})
    assert untick.status_code == 302


def test_the_line_follows_the_milestones_state_and_the_page_it_comes_back_to(roadmap):
    milestone = PageMilestone(1, "m", "Read “the paper”", False)
    line = fragments.milestone_line(milestone, True, "test-roadmap", "/here/", "t" * 64)
    ticked = fragments.milestone_line(
        PageMilestone(1, "m", "Read “the paper”", True), True, "test-roadmap", "/here/", "t" * 64
    )
    elsewhere = fragments.milestone_line(milestone, True, "test-roadmap", "/there/", "t" * 64)

    assert 'aria-pressed="false"' in line
    assert 'value="1"' in line
    assert 'aria-pressed="true"' in ticked
    assert 'value="0"' in ticked
    assert 'name="next" value="/here/"' in line
    assert 'name="next" value="/there/"' in elsewhere
    assert "Read “the paper”" in line
    assert fragments.CSRF_PLACEHOLDER not in line


def test_a_visitor_sees_the_title_without_a_form(roadmap):
    line = fragments.milestone_line(
        PageMilestone(1, "m", "<b>Bold</b>", False), False, "test-roadmap", "", "t" * 64
    )

    assert "<form" not in line
    assert "&lt;b&gt;Bold&lt;/b&gt;" in line


def test_a_cached_page_keeps_the_placeholder_for_its_own_token():
    line = fragments.milestone_line(
        PageMilestone(1, "m", "M", False), True, "test-roadmap", "", fragments.CSRF_PLACEHOLDER
    )

    assert f'value="{fragments.CSRF_PLACEHOLDER}"' in line


def test_without_a_token_the_line_has_no_token_field():
    line = fragments.milestone_line(PageMilestone(1, "m", "M", False), True, "test-roadmap", "", "")

    assert "<form" in line
    assert "csrfmiddlewaretoken" not in line
    assert fragments.CSRF_PLACEHOLDER not in line


def test_the_tick_url_follows_the_sites_prefix():
    milestone = PageMilestone(7, "m", "M", False)
    try:
        set_script_prefix("/learn/")
        under_prefix = fragments.milestone_line(milestone, True, "test-roadmap", "", "t" * 64)
    finally:
        set_script_prefix("/")
    at_root = fragments.milestone_line(milestone, True, "test-roadmap", "", "t" * 64)

    assert 'action="/learn/roadmaps/test-roadmap/milestones/7/"' in under_prefix
    assert f'action="{reverse("roadmap:milestone-tick", args=["test-roadmap", 7])}"' in at_root
