"""Small middleware of our own: the Permissions-Policy header and the database-outage page."""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("django.request")


def permissions_policy(get_response):
    """Turn off the browser features Waypoint does not use, on every response."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


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


def server_error(request):
    """handler500: a database outage met outside a view (in a middleware, saving the session)
    is still a 503; anything else is the styled 500 page."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return unavailable_response()
    return defaults.server_error(request)
