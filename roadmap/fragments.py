"""Whole rendered pages, cached under keys made of the versions they were rendered from.

A key names the roadmap's content version and the enrolment's version
(roadmap/versions.py: page_versions), both read from the database with the request, so a
change anywhere makes new keys and a stale page is never served, on any app server and
whatever the cache backend; old entries simply expire. Records are named by id and creation
time too, so a database that is reset under a long-lived cache cannot meet pages rendered for
someone else. The keys are built in roadmap/versions.py (`page_key`, `step_key`); this module
only stores and serves what they name.

The key also holds what else the page shows: the language, the time zone, and whether the
user is a curator (the admin link in the header, roadmap/access.py), and the session's undo
offer. A page with messages to show is not cached. CSRF tokens belong to a session, not to a
page: pages are rendered with a placeholder that each response replaces with its own token.
"""

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from roadmap import access, undo, versions

CSRF_PLACEHOLDER = "csrf-placeholder-0d9f4c2a"
TIMEOUT = 24 * 60 * 60


def render_page(request, template, context, key=None, status=200):
    """Render a page for this request; with a key, from the cache or into it.

    `context` is a function returning the context, called only when the page is rendered.
    """
    cacheable = key is not None and len(messages.get_messages(request)) == 0
    # An undo offer (roadmap/undo.py) shows on every page of the session until taken.
    offer = undo.latest_offer(request)
    parts = [*key, access.is_curator(request.user), offer and offer["token"]] if cacheable else None
    key = versions.page_key(parts) if cacheable else None
    content = cache.get(key) if cacheable else None
    if content is None:  # kept as bytes: no encoding of a large page on every view
        placeholder = {"csrf_token": CSRF_PLACEHOLDER}
        content = render_to_string(template, {**context(), **placeholder}, request).encode()
        if cacheable:
            cache.set(key, content, TIMEOUT)
    content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    return HttpResponse(content, status=status)


def prerender_steps(request, page, partial):
    """Give each step of a roadmap page its rendered HTML (`step.html`), cached per step.

    A step's key (roadmap/versions.py: step_key) holds everything its partial shows, so after
    a tick only that step is rendered again, not the whole roadmap. Only for pages rendered by
    render_page (the HTML holds the CSRF placeholder).
    """
    keys = {}
    for phase in page.phases:
        for step in phase.steps.all():
            keys[versions.step_key(page, step)] = step
    found = cache.get_many(list(keys))
    fresh = {}
    for key, step in keys.items():
        if key not in found:
            context = {"page": page, "step": step, "csrf_token": CSRF_PLACEHOLDER}
            fresh[key] = render_to_string(partial, context, request)
        step.html = mark_safe(found.get(key) or fresh[key])
    cache.set_many(fresh, TIMEOUT)
