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
offer. A page with messages to show is not cached.

CSRF tokens belong to a session, not to a page: pages are rendered with a placeholder where
the token goes, and split into the segments between the placeholders. Each response puts
its own token (Django's get_token, masked afresh for every response) between them, so every
session's pages carry its own token, in the forms that work without JavaScript and in
`<body hx-headers>` for htmx alike, and no token is ever shared or cached.

Compressed once. When a page is cached, its segments are raw-deflated once and kept that way
only (config/encoding.py: Deflated, about a sixth of the plain bytes), and a request that
accepts gzip gets a gzip body spliced from those pieces with its token between them, instead
of the whole page compressed again on every response (our GZipMiddleware leaves a response
with a Content-Encoding alone).

Why that keeps Django's BREACH protection, and adds to it. BREACH reads a secret from
compressed sizes: the attacker has the victim's browser request a page that reflects a guess
(a query string, stored text), and watches the sizes on the wire; a guess that matches the
secret compresses into a back-reference, so that response is shorter. That needs the secret
and the reflected text in one deflate window. Django answers with two defences, both kept:

- The token is masked afresh on every response (get_token is called per response, never
  cached), so its bytes differ each time and the session's secret never appears as such: a
  size measured on one response says nothing about the next one's token.
- Heal the BREACH: gzip bodies carry a file name of random length (0-99 bytes), as
  GZipMiddleware's do, blurring any size difference.

And the splice takes the token out of compression altogether. It travels in a stored
(uncompressed) block of its own, 5 + 64 bytes whatever its value. The pieces around it were
compressed before any token existed, with NUL bytes standing in its place; a back-reference
only copies bytes equal to the ones it encodes, and the segments hold no NUL (checked when
the page is cached; a page that holds one is not spliced, and GZipMiddleware compresses it
per response as Django always has), so nothing refers into the token either. The size of a
response is the header, the pieces and the fixed blocks: no reflected guess anywhere in the
page can change it by matching the token. Other text on a page is compressed as it would be
by GZipMiddleware, in the same window as whatever the page reflects; the cache changes nothing
there except that the bytes are those of the response that filled it.

Clients that do not accept gzip (or say `gzip;q=0`) get the plain segments (inflated from
the pieces) joined by their token; either way the response says `Vary: Accept-Encoding`. A
page holding a NUL byte is cached as its plain segments and compressed per response.

Framed pages. After a tick the learner's page is a miss, yet most of it did not change: the
site's header and menu, the roadmap's title, summary, skills and description. A page that
hands render_page a frame (`context["frame"]`, a frozen dataclass such as
pages.RoadmapFrame) is rendered in two parts. Its template marks what changes with the
learner's progress as holes (`{% hole "name" %}`, roadmap/templatetags/frames.py); the rest,
the frame, reads nothing but the frame object and what base.html's menu shows (which the
frame also carries), and is rendered once with markers where the holes go, then cached under
a key made of the frame object itself (versions.frame_key), so the key and what the frame
shows cannot drift. Each miss renders only the holes, with the page's whole context, and
puts them in the frame. The result is the page the template renders in one go, byte for byte
(tests/roadmap/test_frames.py renders both ways and compares). A page with messages is not
framed: base.html shows them outside any hole.
"""

import re
from dataclasses import replace

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, get_token
from django.template import Context
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
from django.urls import get_script_prefix
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from config import encoding
from roadmap import access, partials, undo, versions
from roadmap.kept import Kept

# NUL bytes, as long as a token: the gzip splice needs both (config/encoding.py).
CSRF_PLACEHOLDER = encoding.GAP.decode() * CSRF_TOKEN_LENGTH
TIMEOUT = 24 * 60 * 60

FRAMING = "framing"  # in a context: render holes as markers (render_framed)
HOLE_NAME = re.compile(r"[a-z]+")
# An HTML comment no rendered text can hold: text is escaped, so "<!--" never comes from it.
_HOLE_MARKER = "<!--\x01hole:{}\x01-->"
_HOLE = re.compile(re.escape(_HOLE_MARKER).replace(r"\{\}", f"({HOLE_NAME.pattern})"))


def hole_marker(name):
    """What a hole renders while its page's frame is rendered."""
    return _HOLE_MARKER.format(name)


def render_page(request, template, context, key=None, status=200):
    """Render a page for this request; with a key, from the cache or into it.

    `context` is a function returning the context, called only when the page is rendered.
    """
    cacheable = key is not None and len(messages.get_messages(request)) == 0
    # An undo offer (roadmap/undo.py) shows on every page of the session until taken.
    offer = undo.latest_offer(request)
    parts = [*key, access.is_curator(request.user), offer and offer["token"]] if cacheable else None
    key = versions.page_key(parts) if cacheable else None
    entry = cache.get(key) if cacheable else None
    if entry is None:
        context = {**context(), "csrf_token": CSRF_PLACEHOLDER}
        frame = context.get("frame") if cacheable else None
        if frame is None:
            content = render_to_string(template, context, request).encode()
        else:
            content = render_framed(request, template, context, frame).encode()
        # Kept as bytes: no encoding of a large page on every view.
        segments = tuple(content.split(CSRF_PLACEHOLDER.encode()))
        deflated = None
        if cacheable:
            deflated = encoding.deflate_segments(segments, len(CSRF_PLACEHOLDER))
            # Kept compressed only (a sixth of the bytes), or plain if it cannot be spliced.
            cache.set(key, segments if deflated is None else deflated, TIMEOUT)
        return _response(request, segments, deflated, status)
    if isinstance(entry, encoding.Deflated):
        return _response(request, None, entry, status)
    return _response(request, entry, None, status)


def _response(request, segments, deflated, status):
    """The page with this response's token; gzip-spliced when the page was compressed and
    the request accepts gzip, plain otherwise (`segments`, or inflated from `deflated`)."""
    token = get_token(request).encode()
    gzipped = (
        deflated is not None
        and len(token) == deflated.secret_length
        and encoding.accepts_gzip(request)
    )
    if gzipped:
        body = encoding.gzip_body(deflated, token)
    else:
        if segments is None:
            segments = encoding.inflate_segments(deflated)
        body = token.join(segments)
    response = HttpResponse(body, status=status)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    response.headers["Content-Length"] = str(len(body))
    return response


_lines = Kept(2048)  # outline lines each process keeps rendered (prerender_steps): a few MB


def prerender_steps(page, partial):
    """Give each step of a roadmap page its rendered outline line (`step.html`), cached per
    line.

    A line's key (roadmap/versions.py: step_key) is made of the pages.StepLine its partial
    reads, alone (`only`), so after a tick only that step's line is rendered again, not the
    whole roadmap. Lines are shared by learners (the same line shows the same HTML), and each
    process also keeps the lines it used last, by the line itself: a line names its HTML
    for good (with the content version, language and time zone), so a process's copy cannot be
    stale, and most lines of a page cost neither a key nor a cache call. Only for pages
    rendered by render_page.
    """
    local = (versions.content_key(page.roadmap), *versions.rendering())
    shown = kept_fragments(
        _lines,
        page.steps(),
        kept_key=lambda step: (local, step.line),
        cache_key=lambda step: versions.step_key(page.roadmap, step.line),
        template=partial,
        context=lambda step: {"step": step.line},
    )
    for step, html in shown.items():
        step.html = html


_milestone_lines = Kept(8192)  # milestones' lines each process keeps rendered: a few MB


def milestone_line(milestone, enrolled, slug, here, token):
    """A milestone's line (partials.MILESTONE): its tick form for a learner, its title
    otherwise. A tick's response, the roadmap page's next step and the step page each show a
    few, and rendering one took longer than the rest of a tick's response.

    Each process keeps the lines it rendered, by what a line shows: the milestone (a frozen
    pages.PageMilestone or TickedMilestone, its state included), whether the learner is
    enrolled, the roadmap, the page its form comes back to and the site's prefix (its URL).
    A line is rendered with CSRF_PLACEHOLDER and given `token`, the token of the page it goes
    in: a page render_page fills in keeps the placeholder; a response rendered with the
    request (a tick's) gets its own token; no token (no request) renders no line from here.
    """

    def render(**extra):
        context = {
            "milestone": milestone,
            "page": {"enrollment": enrolled, "roadmap": {"slug": slug}},
            "here": here,
        }
        return render_to_string(partials.MILESTONE, {**context, **extra})

    if not token or token == "NOTPROVIDED":
        return render()
    key = (milestone, bool(enrolled), slug, here or "", get_script_prefix())
    html = _milestone_lines.through(key, lambda: render(csrf_token=CSRF_PLACEHOLDER))
    token = str(token)
    return mark_safe(html if token == CSRF_PLACEHOLDER else html.replace(CSRF_PLACEHOLDER, token))


_shown = Kept(2048)  # a few states per step and counts per phase, a few roadmaps: a MB or two
OOB = ' hx-swap-oob="true"'  # what an out-of-band fragment's root says (partials)


def shown(fragment):
    """The HTML of a small fragment without forms (a pages.StepStatus, PhaseProgress,
    OverallProgress or Announcement: its `template` rendered with the object as `name`).

    Every view after a tick shows a few, and rendering one took as long as the tick's writes.
    The object holds everything its template reads, and only that, so each process keeps the
    HTML by the object itself (with the language, time zone and site prefix): it cannot go
    stale, and learners at the same point of a roadmap share it (a step's state and count, a
    phase's). Where out of band changes nothing but the root's attribute (`oob_attribute`),
    one copy serves both: the page that follows a tick shows the progress the tick's response
    sent out of band, rendered once."""
    if fragment.oob_attribute:
        html = _kept(replace(fragment, oob=True))
        return html if fragment.oob else mark_safe(html.replace(OOB, "", 1))
    return _kept(fragment)


def _kept(fragment):
    def render():
        return mark_safe(render_to_string(fragment.template, {fragment.name: fragment}))

    return _shown.through((fragment, *versions.rendering(), get_script_prefix()), render)


_SLOT = "<!--slot-->"  # where parts kept around something that changes more often take it


def _around(template, context):
    """(the HTML before the slot, after it) of `template` rendered with `context`, which puts
    _SLOT in the one place the parts are kept around (map_panel, prerender_phases)."""
    before, after = render_to_string(template, context).split(_SLOT)
    return before, after


_map_panels = Kept(256)  # per roadmap, language and learner or visitor: a few KB each


def map_panel(drawn):
    """The map's panel (its template) for a pages.RoadmapMap: the heading, explanation and
    legend around the drawing. The panel follows the map's counts, legend and refresh URL,
    not progress, so each process keeps it rendered by the map without its drawing (and the
    language), and puts the drawing in."""
    key = (replace(drawn, svg=""), *versions.rendering())

    def render():
        return _around(drawn.template, {"map": replace(drawn, svg=mark_safe(_SLOT))})

    before, after = _map_panels.through(key, render)
    return mark_safe(f"{before}{drawn.svg}{after}")


_phase_parts = Kept(256)  # per phase, tally and page variant, not learners: 2-3 KB each


def prerender_phases(page, partial, extra):
    """Give each phase of a roadmap page its HTML (`phase.html`, and all of them joined in
    `page.outline`, which the page's template shows as it is), after prerender_steps: the
    steps' lines, between the phase's own parts (its heading, bar and forms, `partial`
    rendered with the lines left out), which each process keeps rendered.

    The parts read the phase's content, its tally, whether it is the current phase and all
    skipped, whether a learner is enrolled, and `extra` (the rest of the partial's context),
    and are kept by exactly those (with the language, time zone, site prefix and release):
    learners at the same point share them, and after a tick only the ticked phase's parts
    are rendered, where its new tally is new to this process. Joining the lines costs less
    than looking a whole phase up by a key made of them."""
    current = page.current_phase
    local = (
        versions.content_key(page.roadmap),
        *versions.rendering(),
        get_script_prefix(),
        versions.release(),
        page.enrollment is not None,
        tuple(sorted(extra.items())),
    )
    hide_finished = extra.get("hide_finished")

    def render(phase):
        context = {"page": page, "phase": phase, "csrf_token": CSRF_PLACEHOLDER, **extra}
        return _around(partial, {**context, "steps_html": mark_safe(_SLOT)})

    for phase in page.phases:
        is_current = current is not None and current.pk == phase.pk
        key = (local, phase.pk, is_current, phase.all_skipped, phase.tally)
        before, after = _phase_parts.through(key, lambda phase=phase: render(phase))
        # As the partial's own loop shows them (hide_finished leaves finished steps out).
        lines = (step.html for step in phase.steps if not (hide_finished and step.is_finished))
        phase.html = mark_safe(before + "".join(lines) + after)
    page.outline = mark_safe("".join(phase.html for phase in page.phases))


_frames = Kept(256)  # frames each process keeps: per roadmap, language and menu, not learners


def render_framed(request, template, context, frame):
    """The page `template` renders from `context`, with its frame (see the module's
    docstring) from this process, the cache or rendered once, and its holes rendered now."""

    def render():
        text = render_to_string(template, {**context, FRAMING: True}, request)
        return tuple(_HOLE.split(text))  # text, name, text, name, ..., text

    segments = _frames.through_cache(versions.frame_key(frame), render, TIMEOUT)
    holes = _render_holes(request, template, context, set(segments[1::2]))
    return "".join(holes[part] if odd else part for odd, part in _alternating(segments))


def _alternating(segments):
    return ((index % 2 == 1, part) for index, part in enumerate(segments))


def _render_holes(request, template, context, names):
    """{name: HTML} of these holes of the template, rendered with the page's context (and the
    request's context processors) as the whole template would render them."""
    compiled = get_template(template).template
    nodes = _hole_nodes(compiled)
    bound = make_context(context, request, autoescape=compiled.engine.autoescape)
    with bound.render_context.push_state(compiled), bound.bind_template(compiled):
        return {name: nodes[name].nodelist.render(bound) for name in names}


_hole_nodes_of = Kept(32)


def _hole_nodes(compiled):
    """{name: HoleNode} of a compiled template and the templates it extends."""
    return _hole_nodes_of.through(compiled, lambda: _find_hole_nodes(compiled))


def _find_hole_nodes(compiled):
    from roadmap.templatetags.frames import HoleNode  # the tag needs this module first

    nodes, todo = {}, [compiled]
    while todo:
        each = todo.pop()
        for node in each.nodelist.get_nodes_by_type(HoleNode):
            nodes.setdefault(node.name, node)
        for extends in each.nodelist.get_nodes_by_type(ExtendsNode):
            todo.append(each.engine.get_template(extends.parent_name.resolve(Context())))
    return nodes


def kept_fragments(store, items, kept_key, cache_key, template, context):
    """{item: HTML}: each item's fragment (`template` rendered with
    `context(item)`) from this process's `store` (a Kept) under `kept_key(item)`, else from
    the shared cache under `cache_key(item)` (all of a page's missing ones in one call,
    cached_fragments), else rendered; kept in `store` either way. A kept key names its
    fragment for good (the object the template reads, with what else the HTML depends on),
    so most items cost neither a cache key nor a trip to the cache. The outline's lines and
    the history's entries go through here."""
    shown, missing = {}, {}
    for item in items:
        kept = store.get(kept_key(item))
        if kept is None:
            missing[cache_key(item)] = item
        else:
            shown[item] = kept
    html = cached_fragments(
        {key: (template, lambda item=item: context(item)) for key, item in missing.items()}
    )
    for key, item in missing.items():
        shown[item] = store.keep(kept_key(item), html[key])
    return shown


def cached_fragments(parts):
    """{key: HTML} of fragments that read nothing but their own context (no request, so no
    context processors: a token is CSRF_PLACEHOLDER, filled in by render_page), each worked
    out and rendered only when the cache does not hold it: `parts` maps each key (built in
    roadmap/versions.py from what the fragment is made of) to (template, a function
    returning its context). The outline's lines, the phases, the history entries and the
    dashboard's parts are all rendered through here."""
    if not parts:
        return {}
    found = cache.get_many(list(parts))
    fresh = {
        key: render_to_string(template, context())
        for key, (template, context) in parts.items()
        if key not in found
    }
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return {key: mark_safe(found.get(key) or fresh[key]) for key in parts}
