"""Rendered page fragments, cached under keys made of the versions they were rendered from.

A key names the roadmap's content version and the enrolment's version (roadmap/versions.py),
both read from the database with the request, so a change anywhere makes new keys and a
stale fragment is never served, on any app server and whatever the cache backend; old entries
simply expire. Records are named by id and creation time too, so a database that is reset
under a long-lived cache cannot meet fragments rendered for someone else.

CSRF tokens belong to a session, not to a fragment: fragments are rendered with a placeholder
that each request replaces with its own token.
"""

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

CSRF_PLACEHOLDER = "csrf-placeholder-0d9f4c2a"
TIMEOUT = 24 * 60 * 60


def identity(record):
    """A record's id and creation time: unique even across database resets."""
    return f"{record.pk}.{int(record.created_at.timestamp() * 1_000_000)}"


def render(request, template, context, key=None):
    """Render a template (or named partial) for this request, cached under `key` if given.

    `context` is a function returning the context, called only when the fragment is not
    cached. The key is extended with the active language and time zone.
    """
    html = None
    if key is not None:
        language, zone = translation.get_language(), timezone.get_current_timezone_name()
        key = ":".join(["fragment", *map(str, key), language, zone])
        html = cache.get(key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request)
        if key is not None:
            cache.set(key, html, TIMEOUT)
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))
