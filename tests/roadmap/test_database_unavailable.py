"""While the database is unreachable, requests get a styled 503, not a 500."""

from unittest import mock

import pytest
from django.db import OperationalError

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
