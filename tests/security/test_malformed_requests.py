"""Requests that are not UTF-8 text, carry NUL characters or exceed Django's body limits get
the styled 400 page with one log line, and change nothing."""

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory

from accounts.models import User
from config.middleware import bad_request, page_not_found, permission_denied, server_error
from roadmap.models import PersonalLink, StepNote
from tests.roadmap.helpers import enrolled_learner
from tests.security.helpers import (
    FORM,
    assert_one_clean_line,
    csrf_token,
    multipart,
    post_raw,
    strict_client,
)

pytestmark = pytest.mark.django_db

NOTES = "/roadmaps/test-roadmap/steps/step-0-0/notes/"
LINKS = "/roadmaps/test-roadmap/steps/step-0-0/links/"
SETTINGS = "/accounts/settings/"
VALID_CSRF_COOKIE = "csrftoken=" + "a" * 32  # well-formed, so the check goes on to the body


@pytest.fixture
def learner(client):
    return enrolled_learner(client).user


def assert_styled_400(response, message):
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert message in html
    assert "Nothing was saved." in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("charset", ["latin-1", "ascii", "utf-16", "no-such-charset", "utf8"])
def test_a_form_in_another_charset_is_a_styled_400_with_one_log_line(learner, caplog, charset):
    client = strict_client(learner)
    caplog.clear()
    body = f"csrfmiddlewaretoken={csrf_token(client)}&text=caf%E9".encode()

    response = post_raw(client, NOTES, body, content_type=f"{FORM}; charset={charset}")

    assert_styled_400(response, "The form was not sent as UTF-8 text.")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


def test_a_form_that_declares_utf8_is_accepted(learner):
    client = strict_client(learner)

    response = post_raw(client, NOTES, b"text=caf%C3%A9", content_type=f"{FORM}; charset=UTF-8")

    assert response.status_code == 302
    assert StepNote.objects.get().text == "café"


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "no-such-charset"])
def test_a_multipart_form_in_another_charset_is_a_styled_400(learner, caplog, charset):
    client = strict_client(learner)
    caplog.clear()
    body, content_type = multipart({"text": b"caf\xe9"})

    response = post_raw(client, NOTES, body, content_type=f"{content_type}; charset={charset}")

    assert_styled_400(response, "The form was not sent as UTF-8 text.")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"text=caf\xe9", b"text=caf%E9", b"text=%FF%FE", b"text=%C3", b"te%FFxt=x"],
    ids=["raw", "percent-encoded", "bom-like", "truncated", "in-a-name"],
)
def test_invalid_utf8_in_a_form_is_refused_and_nothing_is_stored(learner, caplog, body):
    client = strict_client(learner)
    caplog.clear()

    response = post_raw(client, NOTES, body)

    assert_styled_400(response, "The request contains text that is not valid UTF-8.")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


def test_invalid_utf8_in_a_link_title_or_display_name_is_refused(learner):
    client = strict_client(learner)

    link = post_raw(client, LINKS, b"title=Bad%E9title&url=https%3A%2F%2Fexample.com%2F")
    name = post_raw(
        client,
        SETTINGS,
        b"display_name=%C0%AF&email=learner%40example.com&time_zone=UTC&weekly_hours_goal=5",
    )

    assert link.status_code == name.status_code == 400
    assert not PersonalLink.objects.exists()
    assert User.objects.get(pk=learner.pk).display_name == ""


def test_invalid_utf8_in_a_multipart_field_is_refused(learner):
    client = strict_client(learner)
    body, content_type = multipart({"text": b"caf\xe9"})

    response = post_raw(client, NOTES, body, content_type=content_type)

    assert response.status_code == 400
    assert not StepNote.objects.exists()


@pytest.mark.parametrize("query", ["next=%FF", "next=\xff", "q=%C3%28"])
def test_invalid_utf8_in_the_query_string_is_refused(learner, caplog, query):
    client = strict_client(learner)
    caplog.clear()

    response = client.get("/roadmaps/", QUERY_STRING=query)

    assert_styled_400(response, "The request contains text that is not valid UTF-8.")
    assert_one_clean_line(caplog)


@pytest.mark.parametrize("body", [b"text=a%00b", b"text=a\x00b", b"te%00xt=x"])
def test_a_nul_character_in_a_form_is_refused(learner, caplog, body):
    client = strict_client(learner)
    caplog.clear()

    response = post_raw(client, NOTES, body)

    assert_styled_400(response, "which no field accepts")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


def test_a_nul_character_in_a_multipart_field_or_the_query_string_is_refused(learner):
    client = strict_client(learner)
    body, content_type = multipart({"text": b"a\x00b"})

    in_body = post_raw(client, NOTES, body, content_type=content_type)
    in_query = client.get("/accounts/login/?next=%00")

    assert in_body.status_code == in_query.status_code == 400
    assert not StepNote.objects.exists()


def test_a_body_over_the_size_limit_is_a_styled_400(learner, caplog, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = strict_client(learner)
    caplog.clear()

    response = post_raw(client, NOTES, b"text=" + b"x" * 2000)

    assert_styled_400(response, "The form is too large to be accepted.")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


def test_a_body_with_too_many_fields_is_a_styled_400(learner, caplog):
    client = strict_client(learner)
    caplog.clear()

    response = post_raw(client, NOTES, b"&".join(b"f%d=1" % n for n in range(1001)))

    assert_styled_400(response, "The form has too many fields.")
    assert_one_clean_line(caplog)
    assert not StepNote.objects.exists()


def test_a_broken_multipart_body_is_a_styled_400(learner, caplog):
    client = strict_client(learner)
    caplog.clear()

    response = post_raw(client, NOTES, b"garbage", content_type="multipart/form-data")

    assert_styled_400(response, "The form could not be read.")
    assert_one_clean_line(caplog)


@pytest.mark.parametrize(
    "handler",
    [
        lambda request: bad_request(request, BadRequest()),
        lambda request: permission_denied(request, BadRequest()),
        lambda request: page_not_found(request, BadRequest()),
        server_error,
    ],
    ids=["400", "403", "404", "500"],
)
def test_error_pages_render_for_a_request_whose_body_cannot_be_read(handler):
    """Django's error pages repeat the CSRF check, which parses the body: that must not raise
    again for the very body that failed."""
    request = RequestFactory().post(
        "/", b"text=x", content_type=f"{FORM}; charset=latin-1", HTTP_COOKIE=VALID_CSRF_COOKIE
    )

    response = handler(request)

    assert 400 <= response.status_code <= 500
