"""Under gunicorn in the production profile, a form in another charset is Waypoint's styled
400 with its security headers and one log line, not gunicorn's bare 500 and a flood of log."""

import os
import re
import urllib.request

import pytest

from tests.scale.servers import PRODUCTION, Browser, database_url, start_gunicorn, stop


@pytest.fixture
def server(transactional_db, static_files, tmp_path):
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": database_url()}
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        process, url = start_gunicorn(env, log=log)
        try:
            yield url, log_path
        finally:
            stop(process)


def test_a_form_in_another_charset_is_a_styled_400_with_the_security_headers(server):
    url, log_path = server
    browser = Browser()
    page = browser.get(f"{url}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    charsets = ["latin-1", "ascii", "utf-16", "no-such-charset"]

    for charset in charsets:
        request = urllib.request.Request(
            f"{url}/accounts/login/",
            data=f"csrfmiddlewaretoken={token}&username=caf%E9&password=x".encode(),
            headers={"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"},
        )
        status, headers, body = browser.fetch(request)

        assert status == 400, charset
        assert "The form was not sent as UTF-8 text." in body
        assert 'class="site-header"' in body
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"

    log = log_path.read_text()
    assert "Traceback" not in log
    assert log.count("Bad request: POST /accounts/login/: form not sent as UTF-8") == len(charsets)
    assert len(log.splitlines()) < 20, log
