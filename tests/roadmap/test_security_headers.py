"""Every response carries the security headers; the CSP allows no inline code."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/roadmaps/", "/accounts/login/", "/no-such-page/"])
def test_every_response_has_the_security_headers(client, url):
    response = client.get(url)

    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(client):
    html = client.get("/roadmaps/").content.decode()

    assert "<script>" not in html
    assert "style=" not in html
    assert "<style" not in html


# The policy is built once per process (config/middleware.py: CSPMiddleware) for responses
# with none of their own; the rest go through django-csp, as before.


def _through_middleware(view, path="/"):
    from django.test import RequestFactory

    from config.middleware import CSPMiddleware

    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_the_policy_built_once_is_django_csps_own():
    from csp.utils import build_policy
    from django.http import HttpResponse

    __, first = _through_middleware(lambda request: HttpResponse("one"))
    __, second = _through_middleware(lambda request: HttpResponse("two"))

    assert first["Content-Security-Policy"] == build_policy()
    assert second["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in first


def test_a_view_with_a_policy_of_its_own_still_gets_it():
    from csp.decorators import csp_update
    from django.http import HttpResponse

    @csp_update({"img-src": "https://images.example.com"})
    def view(request):
        return HttpResponse("picture")

    __, response = _through_middleware(view)
    __, plain = _through_middleware(lambda request: HttpResponse("plain"))

    assert "img-src 'self' data: https://images.example.com" in response["Content-Security-Policy"]
    assert "images.example.com" not in plain["Content-Security-Policy"]


def test_a_nonce_asked_for_is_in_the_header_and_one_asked_too_late_is_an_error():
    from csp.constants import NONCE
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse
    from django.test import override_settings

    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        request, response = _through_middleware(lambda request: HttpResponse(request.csp_nonce))
        assert (
            f"script-src 'self' 'nonce-{response.content.decode()}'"
            in (response["Content-Security-Policy"])
        )
        request, response = _through_middleware(lambda request: HttpResponse("no nonce"))
        directives = set(response["Content-Security-Policy"].split("; "))
        assert directives == {"default-src 'self'", "script-src 'self'"}
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)


def test_a_changed_setting_changes_the_policy_and_its_exclusions():
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import override_settings

    policy = {"EXCLUDE_URL_PREFIXES": ["/feeds/"], "DIRECTIVES": {"default-src": ["'none'"]}}
    report_only = {"DIRECTIVES": {"img-src": ["'self'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only
    ):
        __, response = _through_middleware(lambda request: HttpResponse("x"))
        __, feed = _through_middleware(lambda request: HttpResponse("x"), "/feeds/a.ics")
    __, after = _through_middleware(lambda request: HttpResponse("x"))

    assert response["Content-Security-Policy"] == "default-src 'none'"
    report = set(response["Content-Security-Policy-Report-Only"].split("; "))
    assert report == {"default-src 'self'", "img-src 'self'"}
    assert "Content-Security-Policy" not in feed
    assert after["Content-Security-Policy"] == build_policy()  # the settings' own again
    assert "Content-Security-Policy-Report-Only" not in after
