"""HEAD answers like GET on every page of the site, and changes nothing."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from roadmap.models import Milestone, PersonalLink, StepNote
from tests.roadmap.helpers import enrolled_learner

pytestmark = pytest.mark.django_db

APPS = ("roadmap", "accounts", "reminders", "sharing")


def routes(patterns=None, namespace=None):
    """(namespace, pattern) for every route of Waypoint's own apps."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in APPS:
                yield from routes(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern) and namespace:
            yield namespace, entry


def test_head_answers_as_get_does_on_every_page(client):
    visitor = Client()
    enrollment = enrolled_learner(client)
    user = enrollment.user
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Curators"))
    step = enrollment.roadmap.steps.get(key="step-0-0")
    link = PersonalLink.objects.create(
        enrollment=enrollment, step=step, title="T", url="https://e.x/"
    )
    values = {
        "slug": enrollment.roadmap.slug,
        "key": "step-0-0",
        "milestone_id": Milestone.objects.filter(step=step).first().pk,
        "link_id": link.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    pages = []
    for namespace, pattern in routes():
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
        if pattern.name == "logout":
            continue  # a GET would not log out, but keep the session for the pages after it
        for who in (visitor, client):
            head = who.head(url)
            get = who.get(url)
            assert head.status_code == get.status_code, url
            assert head.get("Content-Type") == get.get("Content-Type"), url
            assert head.content == b"", url
            if get.status_code == 200:
                pages.append(url)

    assert not StepNote.objects.exists(), "a HEAD saved a note"
    assert "/roadmaps/test-roadmap/steps/step-0-0/notes/" in pages
    assert "/accounts/export/" in pages
    assert "/accounts/signup/" in pages
    assert "/reminders/" in pages
    assert "/dashboard/test-roadmap/calendar/" in pages
    assert "/dashboard/test-roadmap/share/" in pages
    assert len(pages) >= 15, pages
