"""Sharing progress by link: the learner's controls, and the read-only page and badge the link
opens for anyone who has it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from roadmap import access, fragments, versions
from sharing import badge as badges
from sharing import links, pages
from sharing.models import Share

SETTINGS = "sharing/settings.html"
CONTROLS = "sharing/partials/share_controls.html"  # swapped in place by htmx
SHARED_PAGE = "sharing/shared_progress.html"
SHARED_ROADMAP = "sharing/shared_roadmap.html"
# The new link is shown once, on the page the POST redirects to; only its hash is kept.
NEW_LINK_SESSION_KEY = "sharing-new-link"
BADGE_MAX_AGE = 300  # seconds a README's image may be cached; a revoked badge goes within it


def _context(enrollment, token=None, **extra):
    share = links.share_of(enrollment)
    if share is None or token is None or share.token_hash != links.fingerprint(token):
        token = None  # replaced or turned off in another tab since: not shown as live
    return {
        "roadmap": enrollment.roadmap,
        "share": share,
        "choices": Share.Shows if enrollment.roadmap.is_own else None,
        "new_url": links.page_url(token) if token else None,
        "badge_url": links.badge_url(token) if token else None,
        # The preview is loaded from this site, whatever SITE_URL says (the CSP allows 'self').
        "badge_path": reverse("sharing:badge", args=[token]) if token else None,
        **extra,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share_settings(request, slug):
    """GET shows whether the link is on (and a new one, once); POST makes, replaces or turns
    off the link, says whether search engines may list it, or (own roadmaps) chooses what it
    shows: the roadmap with the learner's progress, or the roadmap only."""
    enrollment = access.enrollment_for_user(request.user, slug)
    if request.method != "POST":
        # Shown once: a GET takes it out of the session; a HEAD (which shows nothing) leaves it.
        shown = request.session.pop(NEW_LINK_SESSION_KEY, None) if request.method == "GET" else None
        token = shown[1] if shown and shown[0] == enrollment.pk else None
        return render(request, SETTINGS, _context(enrollment, token))
    action = request.POST.get("action")
    shows = request.POST.get("shows")
    if shows is not None and not links.may_show(enrollment, shows):
        return HttpResponseBadRequest(_("A link to this roadmap cannot show that."))
    token, notice = None, None
    if action == "new":
        wait = links.wait_before_new_link(request.user)
        if wait:
            notice = _("You made many links in the last hour. Please try again later.")
            context = _context(enrollment, notice=notice, notice_is_error=True)
            response = render(request, CONTROLS if request.htmx else SETTINGS, context, status=429)
            response["Retry-After"] = str(wait)
            return response
        replaced = links.share_of(enrollment) is not None
        token = links.issue(enrollment, shows)
        notice = (
            _("Your new link is ready. The old one no longer works.")
            if replaced
            else _("Your link is ready. Copy it now: it is shown only this once.")
        )
    elif action == "revoke":
        links.revoke(enrollment)
        notice = _("Your link is turned off. Anyone who opens it now finds nothing.")
    elif action == "indexing" and request.POST.get("allow_indexing") in ("0", "1"):
        allowed = request.POST["allow_indexing"] == "1"
        if not links.set_indexing(enrollment, allowed):
            return HttpResponseBadRequest(_("Make a link first."))
        notice = (
            _("Search engines may now list your shared page.")
            if allowed
            else _("Search engines are asked not to list your shared page.")
        )
    elif action == "shows" and shows is not None:
        if not links.set_shows(enrollment, shows):
            return HttpResponseBadRequest(_("Make a link first."))
        notice = (
            _("Your link now shows the roadmap with your progress. It is the same link.")
            if shows == Share.Shows.PROGRESS
            else _("Your link now shows the roadmap only, not your progress. It is the same link.")
        )
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    if request.htmx:
        return render(request, CONTROLS, _context(enrollment, token, notice=notice))
    if token:
        request.session[NEW_LINK_SESSION_KEY] = [enrollment.pk, token]
    messages.success(request, notice)
    return redirect("sharing:settings", slug=slug)


def _private(response, share):
    """Headers every answer to a share link carries: the token in the address must not leave
    with a Referer, and the page is not indexed unless its owner said so."""
    response["Referrer-Policy"] = "no-referrer"
    if not share.allow_indexing:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def shared_page(request, token):
    """Anyone with the link sees the learner's states and percents, or the roadmap alone;
    nothing personal. The roadmap-only page is cached per content version and choice
    (roadmap/versions.py: shared_roadmap_parts); the progress page is rendered each time."""
    share = access.share_for_token(token)
    if share.shows_progress:
        response = render(request, SHARED_PAGE, {"page": pages.shared_progress_page(share)})
    else:
        key = [*versions.shared_roadmap_parts(share), request.user.is_authenticated]
        response = fragments.render_page(
            request, SHARED_ROADMAP, lambda: {"page": pages.shared_roadmap_page(share)}, key
        )
    response["Cache-Control"] = "private, no-cache"  # a revoked link must not be served
    return _private(response, share)


@require_safe
def badge(request, token):
    """The progress badge, an SVG image for a README or a CV page; a 404 while the link
    shows the roadmap only (there is no progress to show)."""
    share = access.share_for_token(token)
    if not share.shows_progress:
        raise Http404
    shown = pages.badge(share)
    response = HttpResponse(
        badges.progress_badge(shown.title, shown.percent),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    return _private(response, share)
