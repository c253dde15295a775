"""Sending requests as an attacker would: raw bodies, foreign charsets, a valid CSRF token."""

import logging

from django.test import Client

FORM = "application/x-www-form-urlencoded"


def strict_client(user=None):
    """A client that checks CSRF as production does, holding a valid CSRF cookie."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    client.get("/accounts/password_reset/")  # a form page for anyone: sets the CSRF cookie
    return client


def csrf_token(client):
    return client.cookies["csrftoken"].value


def post_raw(client, url, body=b"", content_type=FORM, **extra):
    """POST these bytes as they are, with the client's CSRF token in the header."""
    return client.generic(
        "POST",
        url,
        body,
        content_type=content_type,
        HTTP_X_CSRFTOKEN=csrf_token(client),
        **extra,
    )


def multipart(fields, boundary="hostile-boundary"):
    """A multipart/form-data body of raw byte fields: (body, content type)."""
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary.encode(), name.encode(), value)
        for name, value in fields.items()
    ]
    body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
    return body, f"multipart/form-data; boundary={boundary}"


def request_records(caplog):
    """What a request logged, without axes' routine lines about the test's own log-in."""
    return [record for record in caplog.records if not record.name.startswith("axes")]


def assert_one_clean_line(caplog):
    records = request_records(caplog)
    assert len(records) == 1, [record.getMessage() for record in records]
    assert records[0].exc_info is None
    assert records[0].levelno == logging.WARNING
