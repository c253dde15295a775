"""Whole rendered pages, cached under keys made of the versions they were rendered from.

A key names the roadmap's content version and the enrolment's version
(roadmap/versions.py: page_versions), both read from the database with the request, so a
change anywhere makes new keys and a stale page is never served, on any app server and
whatever the cache backend; old entries simply expire. Records are named by id and creation
time too, so a database that is reset under a long-lived cache cannot meet pages rendered for
someone else.

The key also holds what else the page shows: the language, the time zone, and whether the
user is staff (the admin link in the header). A page with messages to show is not cached.
CSRF tokens belong to a session, not to a page: pages are rendered with a placeholder that
each response replaces with its own token.
"""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation

CSRF_PLACEHOLDER = "csrf-placeholder-0d9f4c2a"
TIMEOUT = 24 * 60 * 60


def render_page(request, template, context, key=None, status=200):
    """Render a page for this request; with a key, from the cache or into it.

    `context` is a function returning the context, called only when the page is rendered.
    """
    if key is not None and len(messages.get_messages(request)) == 0:
        parts = [*key, request.user.is_staff, translation.get_language()]
        parts.append(timezone.get_current_timezone_name())
        key = "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()
        content = cache.get(key)
        if content is None:  # kept as bytes: no encoding of a large page on every view
            placeholder = {"csrf_token": CSRF_PLACEHOLDER}
            content = render_to_string(template, {**context(), **placeholder}, request).encode()
            cache.set(key, content, TIMEOUT)
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    else:
        content = render_to_string(template, context(), request)
    return HttpResponse(content, status=status)
