"""Copies of curated roadmaps: make one, and review what the original changed since."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.responses import form_error_status
from roadmap import access, copies
from roadmap.models import Enrollment

COPY_PAGE = "roadmap/copies/copy.html"
CHANGES_PAGE = "roadmap/copies/changes.html"
CHANGES_LIST = f"{CHANGES_PAGE}#changes"  # swapped in place by htmx after apply or dismiss


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def copy(request, slug):
    """GET says what a copy is and asks; POST makes it (or finds the one already made)."""
    original = access.curated_roadmap_for_copy(request.user, slug)
    if request.method == "POST":
        try:
            made, created = copies.make_copy(request.user, original)
        except copies.Refused as refused:
            context = _copy_context(request, original, error=refused.message)
            return render(request, COPY_PAGE, context, status=400)
        if created:
            messages.success(request, _("This is your copy. Change it as you like."))
        else:
            messages.info(request, _("You already have a copy of this roadmap: here it is."))
        return redirect(made)
    return render(request, COPY_PAGE, _copy_context(request, original))


def _copy_context(request, original, **extra):
    return {
        "roadmap": original,
        "existing": copies.copy_of(request.user, original),
        "enrolled": Enrollment.objects.current()
        .filter(user=request.user, roadmap=original)
        .exists(),
        **extra,
    }


@login_required
@require_safe
def changes(request, slug):
    """What the original changed since the copy, each to apply or dismiss."""
    roadmap = access.copy_for_owner(request.user, slug)
    return render(request, CHANGES_PAGE, _changes_context(roadmap))


def _changes_context(roadmap, **extra):
    return {
        "roadmap": roadmap,
        "changes": copies.pending_changes(roadmap, with_states=True),
        **extra,
    }


@login_required
@require_POST
def apply(request, slug):
    return _settle(request, slug, copies.apply_change, _("Applied to your copy: %s"))


@login_required
@require_POST
def dismiss(request, slug):
    return _settle(request, slug, copies.dismiss_change, _("Dismissed: %s"))


def _settle(request, slug, action, done):
    roadmap = access.copy_for_owner(request.user, slug)
    named = copies.change_from(request.POST)
    if named is None:
        return HttpResponseBadRequest(_("Name a change: what, kind and key."))
    try:
        change = action(roadmap, *named)
    except copies.Gone:
        raise Http404 from None
    except copies.Refused as refused:
        roadmap.refresh_from_db()
        context = _changes_context(roadmap, error=refused.message)
        template = CHANGES_LIST if request.htmx else CHANGES_PAGE
        return render(request, template, context, status=form_error_status(request))
    notice = done % change.title
    if request.htmx:
        roadmap.refresh_from_db()
        return render(request, CHANGES_LIST, _changes_context(roadmap, notice=notice))
    messages.success(request, notice)
    return redirect("own:changes", slug=slug)
