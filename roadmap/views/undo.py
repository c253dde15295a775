"""Undo a reset or a leave from this session's offer (roadmap/undo.py), or dismiss it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from roadmap import access, learning
from roadmap import undo as offers
from roadmap.views.next_url import safe_next


@login_required
@require_POST
def undo(request, slug):
    found = offers.take(request, slug)
    if found is None:
        messages.info(request, _("There is nothing to undo: it was undone already."))
        return redirect("roadmap:roadmap-detail", slug=slug)
    record = found["record"]
    enrollment = access.enrollment_for_undo(request.user, slug, record["enrollment"])
    if found["kind"] == offers.LEAVE:
        learning.undo_leave(enrollment, record)
        messages.success(request, _("You are enrolled again, with all your progress."))
        return redirect("roadmap:roadmap-detail", slug=slug)
    if enrollment.has_left:
        return HttpResponseBadRequest(_("Enrol in this roadmap again before undoing a reset."))
    learning.undo_reset(enrollment, record)
    messages.success(request, _("Undone: your progress is as it was before the reset."))
    return redirect(safe_next(request) or enrollment.roadmap.get_absolute_url())


@login_required
@require_POST
def dismiss(request, slug):
    offers.take(request, slug)
    return redirect(safe_next(request) or reverse("roadmap:roadmap-detail", args=[slug]))
