"""Whole rendered pages, cached under keys made of the versions they were rendered from.

A key names the roadmap's content version and the enrolment's version
(roadmap/versions.py: page_versions), both read from the database with the request, so a
change anywhere makes new keys and a stale page is never served, on any app server and
whatever the cache backend; old entries simply expire. Records are named by id and creation
time too, so a database that is reset under a long-lived cache cannot meet pages rendered for
someone else.

The key also holds what else the page shows: the language, the time zone, and whether the
user is a curator (the admin link in the header, roadmap/access.py), and the session's undo
offer. A page with messages to show is not cached. CSRF tokens belong to a session, not to a
page: pages are rendered with a placeholder that each response replaces with its own token.
"""

import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from roadmap import access, undo, versions

CSRF_PLACEHOLDER = "csrf-placeholder-0d9f4c2a"
TIMEOUT = 24 * 60 * 60


def _digest(kind, parts):
    parts = [*parts, translation.get_language(), timezone.get_current_timezone_name()]
    return f"{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render_page(request, template, context, key=None, status=200):
    """Render a page for this request; with a key, from the cache or into it.

    `context` is a function returning the context, called only when the page is rendered.
    """
    cacheable = key is not None and len(messages.get_messages(request)) == 0
    # An undo offer (roadmap/undo.py) shows on every page of the session until taken.
    offer = undo.latest_offer(request)
    parts = [*key, access.is_curator(request.user), offer and offer["token"]] if cacheable else None
    key = _digest("page", parts) if cacheable else None
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

    A step's key holds everything its partial shows: the roadmap's content version and, for
    an enrolled learner, the step's state, which of its milestones are done, whether it is
    the next step, its pending prerequisites, the note and the links. After a tick only that
    step is rendered again, not the whole roadmap. Only for pages rendered by render_page
    (the HTML holds the CSRF placeholder).
    """
    keys = {}
    for phase in page.phases:
        for step in phase.steps.all():
            keys[_digest("step", _step_parts(page, step))] = step
    found = cache.get_many(list(keys))
    fresh = {}
    for key, step in keys.items():
        if key not in found:
            context = {"page": page, "step": step, "csrf_token": CSRF_PLACEHOLDER}
            fresh[key] = render_to_string(partial, context, request)
        step.html = mark_safe(found.get(key) or fresh[key])
        step.html_key = key
    cache.set_many(fresh, TIMEOUT)


def prerender_phases(request, page, partial, extra):
    """Give each phase of a roadmap page its rendered HTML (`phase.html`), cached per phase,
    after prerender_steps: a phase's key holds its steps' keys and what the phase itself
    shows (its tally, whether it is the current phase and all skipped, and `extra`, the rest
    of the partial's context). After a tick only the ticked step's phase is rendered again."""
    keys = {}
    current = page.current_phase
    for phase in page.phases:
        parts = [*versions.content_key(page.roadmap), phase.pk, sorted(extra.items())]
        parts += [[step.html_key for step in phase.steps.all()], current and current.pk]
        if page.enrollment is not None:
            parts += [page.enrollment.pk, page.enrollment.created_at, phase.all_skipped]
            parts.append((phase.tally.total, phase.tally.done, phase.tally.skipped))
        keys[_digest("phase", parts)] = phase
    found = cache.get_many(list(keys))
    fresh = {}
    for key, phase in keys.items():
        if key not in found:
            context = {"page": page, "phase": phase, "csrf_token": CSRF_PLACEHOLDER, **extra}
            fresh[key] = render_to_string(partial, context, request)
        phase.html = mark_safe(found.get(key) or fresh[key])
    cache.set_many(fresh, TIMEOUT)


def _step_parts(page, step):
    parts = [*versions.content_key(page.roadmap), step.pk]
    if page.enrollment is None:
        return [*parts, "not enrolled"]
    return [
        *parts,
        page.enrollment.pk,
        page.enrollment.created_at,
        step.state,
        [milestone.is_done for milestone in step.milestones.all()],
        page.next_step is not None and page.next_step.pk == step.pk,
        [number for number, __ in step.pending_prerequisites],
        step.note,
        [(link.pk, link.title, link.url) for link in step.links],
    ]
