"""Pages show times on the logged-in learner's own clock: the time zone of their settings."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import time_zone
from roadmap.models import Activity, Milestone
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

PAGE = "/roadmaps/test-roadmap/"
HISTORY = reverse("roadmap:history", args=["test-roadmap"])
TICKED_AT = datetime(2026, 1, 1, 11, 30, tzinfo=UTC)
# 11:30 UTC on 1 January is 00:30 on 2 January in Auckland (NZDT, UTC+13).
AUCKLAND = ('datetime="2026-01-02T00:30:00+13:00"', "2 Jan 2026, 00:30")
IN_UTC = ('datetime="2026-01-01T11:30:00+00:00"', "1 Jan 2026, 11:30")


def learner_with_a_tick(client, zone):
    roadmap = load_roadmap(roadmap_data())
    user = make_user(time_zone=zone)
    milestone = Milestone.objects.filter(roadmap=roadmap).order_by("id").first()
    Activity.objects.create(
        enrollment=enrol(user, roadmap),
        kind=Activity.Kind.TICKED,
        milestone=milestone,
        step_id=milestone.step_id,
        created_at=TICKED_AT,
    )
    client.force_login(user)


def shown(html, expected):
    return all(text in html for text in expected)


def test_the_history_reads_on_the_learners_clock(client):
    learner_with_a_tick(client, "Pacific/Auckland")

    for url in (PAGE, HISTORY):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert shown(html, AUCKLAND), url
        assert not shown(html, IN_UTC), url


@pytest.mark.parametrize("zone", ["UTC", "Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_utc_or_an_unknown_zone_reads_in_utc(client, zone):
    learner_with_a_tick(client, zone)

    for url in (PAGE, HISTORY):
        response = client.get(url)
        assert response.status_code == 200
        assert shown(response.content.decode(), IN_UTC), url


def test_the_zone_does_not_outlive_the_request(client):
    learner_with_a_tick(client, "Pacific/Auckland")

    client.get(PAGE)

    assert timezone.get_current_timezone_name() == "UTC"


def zone_seen_by_the_view(user):
    seen = []

    def view(request):
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    request = RequestFactory().get(PAGE)
    request.user = user
    time_zone(view)(request)
    return seen[0]


def test_anonymous_visitors_get_utc_even_if_a_zone_was_left_active():
    with timezone.override("Pacific/Auckland"):
        assert zone_seen_by_the_view(AnonymousUser()) == "UTC"


def test_anonymous_visitors_see_the_roadmap_page(client):
    load_roadmap(roadmap_data())

    assert client.get(PAGE).status_code == 200


def test_the_middleware_activates_the_users_zone():
    user = make_user(time_zone="Pacific/Auckland")

    assert zone_seen_by_the_view(user) == "Pacific/Auckland"


def test_a_database_outage_is_still_a_503_for_a_logged_in_learner(client):
    client.force_login(make_user(time_zone="Pacific/Auckland"))

    with mock.patch("django.contrib.auth.get_user", side_effect=OperationalError("gone")):
        response = client.get("/dashboard/")

    assert response.status_code == 503
