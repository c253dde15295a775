"""Small middleware of our own: the Permissions-Policy header, django-csp's header built once,
gzip that honours `q=0`, malformed requests, the database-outage page, and error pages that
cannot fail on the request they report."""

import email.parser
import email.policy
import functools
import logging
import sys
from urllib.parse import unquote_to_bytes

from csp import middleware as csp
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotAllowed, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware import gzip
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from config.encoding import accepts_gzip

logger = logging.getLogger("django.request")


def permissions_policy(get_response):
    """Turn off the browser features Waypoint does not use, on every response."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class CSPMiddleware(csp.CSPMiddleware):
    """django-csp's, with the policy built once per process for the responses that have none
    of their own: no csp decorator on the view (they set `_csp_config`, `_csp_update` or
    `_csp_replace` on the response) and no nonce asked for. django-csp builds it from the
    settings for every response, deep copies included: about 0.1 ms, 5% of a worker's CPU on
    the active learners' path (README, Benchmarks). Any other response, and error pages under
    DEBUG (which django-csp leaves alone), go through django-csp as they are."""

    def process_response(self, request, response):
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        parts = [self.get_policy_parts(request, response, report_only=ro) for ro in (0, 1)]
        if debug_page or any(part != _NONE_OF_ITS_OWN for part in parts):
            return super().process_response(request, response)
        for header, exempt, (policy, prefixes) in (
            (HEADER, "_csp_exempt", _policy(report_only=False)),
            (HEADER_REPORT_ONLY, "_csp_exempt_ro", _policy(report_only=True)),
        ):
            if (
                policy
                and getattr(response, exempt, False) is False
                and header not in response
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.CheckableLazyObject(self._csp_nonce_post_response)
        return response


_NONE_OF_ITS_OWN = csp.PolicyParts()


@functools.cache
def _policy(report_only):
    """(the header django-csp builds from the settings alone, the URL prefixes it skips)."""
    name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
    prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    return build_policy(report_only=report_only), tuple(prefixes)


@receiver(setting_changed)
def _policy_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policy.cache_clear()


class GZipMiddleware(gzip.GZipMiddleware):
    """Django's gzip, for requests that accept it by RFC 9110's rules: Django's own check
    looks for the word, so it would compress for `Accept-Encoding: gzip;q=0`. Cached pages
    arrive already compressed (roadmap/fragments.py), which Django's leaves alone."""

    def process_response(self, request, response):
        if accepts_gzip(request):
            return super().process_response(request, response)
        worth_it = response.streaming or len(response.content) >= 200  # as Django's decides
        if worth_it and not response.has_header("Content-Encoding"):
            patch_vary_headers(response, ("Accept-Encoding",))
        return response


URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# What is wrong with a request, for the log (English, one line) and for the person (the page).
NOT_UTF8_CHARSET = ("form not sent as UTF-8", _("The form was not sent as UTF-8 text."))
NOT_UTF8 = ("invalid UTF-8", _("The request contains text that is not valid UTF-8."))
NUL = ("NUL character", _("The request contains a NUL character, which no field accepts."))
TOO_BIG = ("body too large", _("The form is too large to be accepted."))
TOO_MANY_FIELDS = ("too many fields", _("The form has too many fields."))
UNREADABLE = ("body unreadable", _("The form could not be read."))
WRONG_METHOD = ("method not allowed", None)
# A web page is read with GET or HEAD and sent with POST; Django's generic form views would
# treat PUT as POST with an empty form.
ALLOWED_METHODS = {"GET", "HEAD", "POST", "OPTIONS"}


def malformed_requests(get_response):
    """Answer a request that is not UTF-8 text without NUL characters, or is over Django's
    body limits, with the styled 400 page and one log line, before any view sees it (and a
    method no page takes with a 405).

    Everything Waypoint reads from a request is text, so one rule covers every form field and
    query parameter. It runs before the CSRF check (a process_view), which is where Django
    would first parse the body: a form in another charset raised there, and again inside
    every error page, which repeats the CSRF check.
    """

    def middleware(request):
        problem = request_problem(request)
        if problem is None:
            return get_response(request)
        log_text, message = problem
        logger.warning("Bad request: %s %s: %s", request.method, request.path, log_text)
        if problem is WRONG_METHOD:
            response = HttpResponseNotAllowed(sorted(ALLOWED_METHODS))
        else:
            response = render(request, "400.html", {"reason": message}, status=400)
        response._has_been_logged = True  # that line is the request's one line
        return response

    return middleware


def request_problem(request):
    """What makes this request unreadable as text, or None when it is fine."""
    if request.method not in ALLOWED_METHODS:
        return WRONG_METHOD
    # WSGI hands the query string over as bytes decoded as latin-1.
    query = request.META.get("QUERY_STRING", "").encode("iso-8859-1")
    problem = text_problem(unquote_to_bytes(query))
    if problem or request.content_type not in (URLENCODED, MULTIPART):
        return problem
    if not is_utf8(request.content_params.get("charset", "utf-8")):
        return NOT_UTF8_CHARSET
    try:
        body = request.body  # also what the multipart parser reads from now on
        request.POST.dict()  # parsed once here, within Django's limits
    except RequestDataTooBig:
        return TOO_BIG
    except TooManyFieldsSent:
        return TOO_MANY_FIELDS
    except (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        request._mark_post_parse_error()
        return UNREADABLE
    if request.content_type == URLENCODED:
        return text_problem(unquote_to_bytes(body))
    fields = multipart_fields(request.META.get("CONTENT_TYPE", ""), body)
    if fields is None:
        return UNREADABLE
    for field in fields:
        if problem := text_problem(field):
            return problem
    return None


def text_problem(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    return NUL if b"\0" in data else None


def is_utf8(charset):
    """Django's own test: any other spelling (utf8, UTF_8) fails when it parses the form."""
    return charset.lower() == "utf-8"


def multipart_fields(content_type, body):
    """The raw bytes of each field name and of each value that is not a file, or None when
    the body is not well-formed multipart (Django's own parser replaces bytes that are not
    UTF-8, and skips what it cannot parse, so it cannot tell us either)."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("iso-8859-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return []  # no parts at all: an empty form, as Django reads it too
    if message.defects:
        return None
    fields = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition") or ""
        fields.append(str(name).encode("utf-8", "surrogateescape"))
        if part.get_filename() is None:
            fields.append(part.get_payload(decode=True) or b"")
    return fields


def database_unavailable(get_response):
    """Answer 503 with a styled page, not a 500, while the database cannot be reached.

    Django opens a fresh connection on the next request, so the app recovers by itself once
    the database is back, without a restart.
    """

    def middleware(request):
        return get_response(request)

    def process_exception(request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable: %s %s: %s", request.method, request.path, exception)
        response = unavailable_response()
        # That line is the request's error line: Django's handler would log a second
        # ("Service Unavailable: …") for the 503 unless it is told this one was logged.
        response._has_been_logged = True
        return response

    middleware.process_exception = process_exception
    return middleware


DATABASE_ERRORS = (OperationalError, InterfaceError)


def unavailable_response():
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


def forget_unreadable_body(request):
    """Django's error pages repeat the CSRF check, which reads request.POST: when the body is
    what failed, that raised again inside the error page. An unreadable body counts as empty."""
    try:
        request.POST.dict()  # reading it parses the body
    except Exception:  # whatever broke the request must not break its error page
        request._mark_post_parse_error()


def bad_request(request, exception):
    forget_unreadable_body(request)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    forget_unreadable_body(request)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    forget_unreadable_body(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: a database outage met outside a view (in a middleware, saving the session)
    is still a 503; anything else is the styled 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response()
    forget_unreadable_body(request)
    return defaults.server_error(request)
