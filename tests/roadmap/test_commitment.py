"""Before enrolling, the roadmap page says what the roadmap takes: per phase and in time."""

import re

import pytest
from django.test import Client

from roadmap.commitment import span
from roadmap.models import Enrollment
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/roadmaps/machine-learning-engineer/"


def commitment(html):
    html = re.sub(r"\s+", " ", html)
    start = html.index('id="commitment"')
    return html[start : html.index("</section>", start)]


def test_a_visitor_sees_the_time_at_ten_hours_a_week_and_each_phase(ml_roadmap):
    part = commitment(Client().get(URL).content.decode())

    assert "About 1220 hours: <strong>about 2 years 4 months</strong> at 10 hours a week." in part
    assert '<th scope="row">Mathematics and programming foundations</th><td>255</td>' in part
    assert "<td>about 6 months</td>" in part  # 255 hours at 10 a week


def test_the_visitor_chooses_the_pace_and_bad_values_fall_back(ml_roadmap):
    client = Client()

    assert "at 20 hours a week" in commitment(client.get(URL + "?pace=20").content.decode())
    for bad in ("0", "81", "-3", "ten", "1e3", "99999999999999999999"):
        assert "at 10 hours a week" in commitment(client.get(URL, {"pace": bad}).content.decode())


def test_a_logged_in_learner_starts_from_their_weekly_goal(ml_roadmap):
    client = Client()
    client.force_login(make_user(weekly_hours_goal=5))

    part = commitment(client.get(URL).content.decode())

    assert "<strong>about 4 years 8 months</strong> at 5 hours a week" in part


def test_an_enrolled_learner_does_not_see_it(ml_roadmap):
    user = make_user()
    Enrollment.objects.create(user=user, roadmap=ml_roadmap)
    client = Client()
    client.force_login(user)

    assert 'id="commitment"' not in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("hours", "weekly", "text"),
    [
        (1220, 10, "about 2 years 4 months"),
        (520, 10, "about 1 year"),
        (100, 10, "about 2 months"),
        (10, 10, "about 1 week"),
        (45, 10, "about 5 weeks"),
        (1, 80, "about 1 week"),
    ],
)
def test_spans_read_as_people_say_them(hours, weekly, text):
    assert span(hours, weekly).text == text
