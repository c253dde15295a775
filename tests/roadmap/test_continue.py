"""Continue where you left off: login lands on the dashboard, the home page and the dashboard
lead with the next milestone to tick, and the catalogue shows each enrolled roadmap's percent."""

import re

import pytest
from django.urls import reverse

from roadmap import learning
from tests.accounts.helpers import PASSWORD
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def log_in(client, **extra):
    return client.post(LOGIN, {"username": "learner", "password": PASSWORD, **extra})


def test_an_enrolled_learner_lands_on_the_dashboard_after_logging_in(client):
    enrol(make_user("learner"), load_roadmap(roadmap_data()))

    assert log_in(client).url == reverse("roadmap:dashboard")


def test_next_still_decides_where_an_enrolled_learner_lands(client):
    enrol(make_user("learner"), load_roadmap(roadmap_data()))

    assert log_in(client, next="/roadmaps/").url == "/roadmaps/"


def test_a_learner_who_left_every_roadmap_lands_on_the_catalogue(client):
    enrollment = enrol(make_user("learner"), load_roadmap(roadmap_data()))
    learning.leave(enrollment, erase=False)

    assert log_in(client).url == reverse("roadmap:catalogue")


def continue_card(html):
    return re.search(r'<section id="continue-card".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize(("url", "before"), [("/", "<h1"), ("/dashboard/", 'id="totals-title"')])
def test_the_home_page_and_dashboard_lead_with_the_next_milestone(client, url, before):
    enrollment = enrolled_learner(client)
    learning.set_milestone(enrollment, milestone("step-0-0-m0"), True)

    html = client.get(url).content.decode()

    card = continue_card(html)
    assert html.index('id="continue-card"') < html.index(before)
    assert "Continue:" in card
    assert 'href="/roadmaps/test-roadmap/steps/step-0-0/">Step 0.0</a>' in card
    assert "Milestone 1 of step-0-0" in card
    assert "Milestone 0 of step-0-0" not in card
    assert "12% complete" in card  # 1 of 8 milestones
    assert f'name="next" value="{url}"' in card


def test_ticking_on_the_card_with_htmx_brings_the_next_milestone(client):
    enrolled_learner(client)

    response = client.post(
        tick_url(milestone("step-0-0-m0")), {"done": "1", "card": "continue", "next": "/"}, **HTMX
    )

    card = response.content.decode()
    assert card.lstrip().startswith('<section id="continue-card"')
    assert "Ticked “Milestone 0 of step-0-0”." in card
    assert "Milestone 1 of step-0-0" in card
    assert "progress-changed" in response["HX-Trigger"]


def test_ticking_on_the_card_without_javascript_comes_back_home(client):
    enrolled_learner(client)

    response = client.post(tick_url(milestone("step-0-0-m0")), {"done": "1", "next": "/"})

    assert response["Location"] == "/#milestone-step-0-0-m0"
    assert "Milestone 1 of step-0-0" in continue_card(client.get("/").content.decode())


def test_a_visitor_and_a_learner_without_roadmaps_see_no_card(client):
    load_roadmap(roadmap_data())
    assert 'id="continue-card"' not in client.get("/").content.decode()
    client.force_login(make_user())
    assert 'id="continue-card"' not in client.get("/").content.decode()


def test_another_learners_progress_never_shows_on_my_card(client):
    owner = enrolled_learner(client, username="owner")
    learning.set_milestone(owner, milestone("step-0-0-m0"), True)
    other = make_user("other")
    enrol(other, owner.roadmap)
    client.force_login(other)
    assert "Milestone 0 of step-0-0" in continue_card(client.get("/").content.decode())


def test_the_catalogue_shows_each_enrolled_roadmaps_percent(client):
    enrollment = enrolled_learner(client)
    learning.set_milestone(enrollment, milestone("step-0-0-m0"), True)
    load_roadmap(roadmap_data(slug="other-roadmap"))

    html = client.get("/roadmaps/").content.decode()

    assert html.count("You: ") == 1
    assert "You: 12% complete" in html


@pytest.mark.parametrize("size", ["small", "large"])
def test_home_dashboard_and_catalogue_run_constant_queries(
    size, client, django_assert_max_num_queries
):
    user = make_user()
    client.force_login(user)
    if size == "small":
        roadmaps = [load_roadmap(roadmap_data())]
    else:
        roadmaps = [bulk_roadmap(slug=f"big-{n}", phases=5, steps=20) for n in range(3)]
    for roadmap in roadmaps:
        enrol(user, roadmap)
    # Session with account, roadmaps, percents (four), the card (five).
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
    # Session with account, roadmaps, this learner's enrolments and their progress (three).
    with django_assert_max_num_queries(7):
        assert client.get("/roadmaps/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/dashboard/").status_code == 200
