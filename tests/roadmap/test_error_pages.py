"""Errors get styled pages in the site's layout, never a stack trace."""

import pytest
from django.test import Client

from tests.roadmap.helpers import enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


def test_a_post_without_csrf_token_gets_a_friendly_403_and_changes_nothing(client):
    enrollment = enrolled_learner(client)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(enrollment.user)

    response = strict.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Please reload the page and try again" in html
    assert 'class="site-header"' in html
    assert not enrollment.progress.exists()


def test_a_missing_page_is_a_styled_404(client):
    response = client.get("/roadmaps/no-such-roadmap/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
