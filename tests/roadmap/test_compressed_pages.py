"""Cached pages served compressed: compressed once when cached, and each response carries its
own session's CSRF token, never another's (roadmap/fragments.py)."""

import gzip
import re

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from config import encoding
from roadmap.models import Milestone, MilestoneProgress
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import tick_url

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
HEADER_TOKEN = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]*)"\}\'')


@pytest.fixture
def enrollment(db):
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))
    return enrol(make_user(), roadmap)


def session(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def html(response):
    assert response.status_code == 200
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content).decode()
    assert not response.has_header("Content-Encoding")
    return response.content.decode()


def only_token(page):
    """The one token this response carries, in every form and in htmx's headers."""
    tokens = set(FORM_TOKEN.findall(page)) | set(HEADER_TOKEN.findall(page))
    assert len(tokens) == 1, tokens
    assert FORM_TOKEN.search(page)
    assert HEADER_TOKEN.search(page)
    return tokens.pop()


def secret(client):
    return client.cookies["csrftoken"].value


def deflations(monkeypatch):
    calls = []
    original = encoding.deflate_segments

    def spy(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(encoding, "deflate_segments", spy)
    return calls


def test_two_sessions_each_get_their_own_token_from_one_compressed_copy(enrollment, monkeypatch):
    url = enrollment.roadmap.get_absolute_url()
    first, second = session(enrollment.user), session(enrollment.user)
    calls = deflations(monkeypatch)

    first_page = html(first.get(url, **GZIP))
    response = second.get(url, **GZIP)
    second_page = html(response)

    assert len(calls) == 1  # compressed when cached, not for the second response
    assert response["Content-Encoding"] == "gzip"
    mine, theirs = only_token(second_page), only_token(first_page)
    assert _unmask_cipher_token(mine) == secret(second) != secret(first)
    assert _unmask_cipher_token(theirs) == secret(first)


def test_a_compressed_page_is_the_plain_page_but_for_the_token(enrollment):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)

    plain = client.get(url)
    compressed = client.get(url, **GZIP)

    assert not plain.has_header("Content-Encoding")
    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    assert len(compressed.content) < len(plain.content) / 3
    text = html(compressed)
    assert text.replace(only_token(text), "") == html(plain).replace(only_token(html(plain)), "")
    assert "\0" not in text


def test_the_token_of_a_compressed_page_sends_a_form_and_no_other_sessions_does(enrollment):
    url = enrollment.roadmap.get_absolute_url()
    first, second = session(enrollment.user), session(enrollment.user)
    theirs = only_token(html(first.get(url, **GZIP)))
    mine = only_token(html(second.get(url, **GZIP)))
    target = Milestone.objects.order_by("pk").first()

    refused = second.post(tick_url(target), {"done": "1", "csrfmiddlewaretoken": theirs})
    assert refused.status_code == 403
    assert not MilestoneProgress.objects.exists()

    # Without JavaScript: the form's hidden field.
    sent = second.post(tick_url(target), {"done": "1", "csrfmiddlewaretoken": mine})
    assert sent.status_code == 302
    # With JavaScript: htmx sends the token from <body hx-headers>.
    untick = second.post(
        tick_url(target), {"done": "0"}, HTTP_X_CSRFTOKEN=mine, HTTP_HX_REQUEST="true"
    )
    assert untick.status_code == 200
    assert MilestoneProgress.objects.filter(done_at__isnull=True).count() == 1


def test_visitors_share_a_cached_page_but_not_a_token(enrollment):
    url = enrollment.roadmap.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    pages = [html(first.get(url, **GZIP)), html(second.get(url, **GZIP))]

    tokens = [only_token(page) for page in pages]
    assert _unmask_cipher_token(tokens[0]) == secret(first)
    assert _unmask_cipher_token(tokens[1]) == secret(second)
    assert secret(first) != secret(second)


@pytest.mark.parametrize(
    "accept", [None, "identity", "br", "gzip;q=0", "deflate, gzip;q=0", "*;q=0"]
)
def test_a_client_that_refuses_gzip_gets_the_plain_page(enrollment, accept):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    client.get(url, **GZIP)  # cached, and compressed

    headers = {} if accept is None else {"HTTP_ACCEPT_ENCODING": accept}
    response = client.get(url, **headers)

    assert not response.has_header("Content-Encoding")
    assert _unmask_cipher_token(only_token(response.content.decode())) == secret(client)
    assert response["Vary"].count("Accept-Encoding") == 1


@pytest.mark.parametrize("headers", [GZIP, {}], ids=["gzip", "plain"])
def test_both_answers_vary_on_accept_encoding(enrollment, headers):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    for __ in range(2):  # rendered, then from the cache
        response = client.get(url, **headers)
        assert "Accept-Encoding" in response["Vary"]
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("name", ["step-detail", "dashboard-roadmap"])
def test_step_pages_and_dashboards_are_served_compressed_too(enrollment, name):
    args = [enrollment.roadmap.slug] + (["step-0-0"] if name == "step-detail" else [])
    url = reverse(f"roadmap:{name}", args=args)
    first, second = session(enrollment.user), session(enrollment.user)
    first.get(url, **GZIP)

    response = second.get(url, **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert _unmask_cipher_token(only_token(html(response))) == secret(second)


def test_a_head_request_gets_the_headers_of_the_compressed_page(enrollment):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    client.get(url, **GZIP)

    response = client.head(url, **GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response.content == b""


def test_a_page_with_a_message_is_not_cached_and_still_compressed_with_its_token(
    enrollment, monkeypatch
):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    calls = deflations(monkeypatch)
    original = messages.get_messages
    monkeypatch.setattr(messages, "get_messages", lambda request: ["Saved."])

    response = client.get(url, **GZIP)

    monkeypatch.setattr(messages, "get_messages", original)
    assert calls == []  # not cached: Django's GZipMiddleware compresses it
    assert response["Content-Encoding"] == "gzip"
    assert _unmask_cipher_token(only_token(html(response))) == secret(client)


def test_a_page_with_a_nul_byte_is_served_right_without_the_splice(enrollment, monkeypatch):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    monkeypatch.setattr(encoding, "deflate_segments", lambda segments, length: None)
    client.get(url, **GZIP)

    response = client.get(url, **GZIP)

    assert response["Content-Encoding"] == "gzip"  # by GZipMiddleware, as before
    assert _unmask_cipher_token(only_token(html(response))) == secret(client)


@pytest.mark.parametrize(("accept", "compressed"), [("gzip", True), ("gzip;q=0", False)])
def test_pages_that_are_not_cached_are_compressed_only_when_gzip_is_accepted(
    enrollment, accept, compressed
):
    client = session(enrollment.user)

    response = client.get(reverse("roadmap:catalogue"), HTTP_ACCEPT_ENCODING=accept)

    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert "Accept-Encoding" in response["Vary"]
    assert "<html" in html(response)


def test_the_plain_page_from_the_compressed_copy_is_the_page_rendered_afresh(enrollment):
    url = enrollment.roadmap.get_absolute_url()
    client = session(enrollment.user)
    client.get(url, **GZIP)  # cached, kept compressed only

    from_copy = html(client.get(url))
    cache.clear()
    afresh = html(client.get(url))

    assert from_copy.replace(only_token(from_copy), "") == afresh.replace(only_token(afresh), "")
    assert "\0" not in from_copy
