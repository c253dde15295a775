"""Shared set-up for the sharing tests: make a link the way the settings page does."""

import re

from django.urls import reverse

LINK = re.compile(r'id="share-url"[^>]*value="[^"]*/shared/([A-Za-z0-9_-]+)/"')


def settings_url(slug="test-roadmap"):
    return reverse("sharing:settings", args=[slug])


def make_link(client, slug="test-roadmap"):
    """Post "make a link" without htmx, follow the redirect, and return the token shown."""
    response = client.post(settings_url(slug), {"action": "new"}, follow=True)
    assert response.status_code == 200
    return LINK.search(response.content.decode()).group(1)


def page_url(token):
    return reverse("sharing:page", args=[token])


def badge_url(token):
    return reverse("sharing:badge", args=[token])
