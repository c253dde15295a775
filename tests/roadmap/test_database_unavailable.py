"""While the database is unreachable, requests get a styled 503, not a 500."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_database_outage_is_a_503_with_retry_after(client):
    with mock.patch(
        "roadmap.pages.published_roadmaps", side_effect=OperationalError("server closed")
    ):
        response = client.get("/roadmaps/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Waypoint is back in a moment" in response.content.decode()


def test_other_errors_are_not_mistaken_for_an_outage(client):
    bug = mock.patch("roadmap.pages.published_roadmaps", side_effect=ValueError("a bug"))
    with bug, pytest.raises(ValueError, match="a bug"):
        client.get("/roadmaps/")


def outside_the_view(error):
    """A middleware that meets the error after the view (as saving a session would)."""
    return mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_response",
        side_effect=error,
    )


def test_an_outage_met_outside_the_view_is_a_503_too(db):
    client = Client(raise_request_exception=False)
    with outside_the_view(OperationalError("server closed")):
        response = client.get("/roadmaps/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Waypoint is back in a moment" in response.content.decode()


def test_a_bug_outside_the_view_is_still_a_500(db):
    client = Client(raise_request_exception=False)
    with outside_the_view(ValueError("a bug")):
        response = client.get("/roadmaps/")

    assert response.status_code == 500
