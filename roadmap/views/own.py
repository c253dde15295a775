"""A learner's own roadmaps: the list, upload as a new roadmap, replace one from a file,
download as YAML, delete. Plain forms that post and redirect; a refused file re-renders the
list with what is wrong (400), a throttled one says when to come back (429)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from roadmap import access, own_pages, ownership, partials, undo
from roadmap.content import ContentError, Problem
from roadmap.content.exporter import roadmap_to_yaml
from roadmap.forms import RoadmapFileForm
from roadmap.views import once
from roadmap.views.learner import CONFIRM_PAGE

LIST = "roadmap/own/list.html"


def _list(request, status=200, problems=(), replace_slug=None, notice=None):
    page = own_pages.own_roadmaps_page(request.user, problems, replace_slug)
    context = {"page": page, "notice": notice, "form_id": once.new_form_id()}
    return render(request, LIST, context, status=status)


def _throttled(request, wait, replace_slug=None):
    minutes = max(1, round(wait / 60))
    notice = ngettext(
        "You uploaded or made many roadmaps in the last hour. Please try again in %(minutes)d "
        "minute.",
        "You uploaded or made many roadmaps in the last hour. Please try again in %(minutes)d "
        "minutes.",
        minutes,
    ) % {"minutes": minutes}
    response = _list(request, 429, replace_slug=replace_slug, notice=notice)
    response["Retry-After"] = str(wait)
    return response


def _read(request):
    """(the spec of the posted file, None), or (None, what is wrong with it)."""
    form = RoadmapFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return None, [Problem("", "", message) for message in form.errors.get("file", [])]
    try:
        return ownership.read_upload(form.cleaned_data["file"]), None
    except ContentError as error:
        return None, error.problems


@login_required
@require_safe
def own_list(request):
    return _list(request)


@login_required
@require_POST
def upload(request):
    """A file makes a new roadmap; the form answers once (roadmap/views/once.py)."""
    return once.make_once(
        request,
        lambda: _upload(request),
        lambda slug: redirect("roadmap:roadmap-detail", slug=slug),
    )


def _upload(request):
    """(the response, the roadmap made or None)."""
    wait = ownership.wait_before_new_roadmap(request.user)
    if wait:
        return _throttled(request, wait), None
    if not ownership.room_for_another(request.user):
        return _list(request, 400, notice=ownership.too_many_message()), None
    spec, problems = _read(request)
    if spec is None:
        return _list(request, 400, problems=problems), None
    roadmap = ownership.upload_own_roadmap(request.user, spec)
    messages.success(request, _("Uploaded. “%s” is a roadmap of your own now.") % roadmap.title)
    return redirect(roadmap), roadmap


@login_required
@require_POST
def replace(request, slug):
    roadmap = access.roadmap_for_owner(request.user, slug)
    wait = ownership.wait_before_new_roadmap(request.user)
    if wait:
        return _throttled(request, wait, replace_slug=slug)
    spec, problems = _read(request)
    if spec is not None:
        try:
            if ownership.replace_own_roadmap(roadmap, spec) is None:
                raise Http404  # deleted in another tab
        except ContentError as error:
            spec, problems = None, error.problems
    if spec is None:
        return _list(request, 400, problems=problems, replace_slug=slug)
    notice = _("“%s” now holds the file's content. Your progress is kept.") % spec.title
    messages.success(request, notice)
    return redirect(roadmap)


@login_required
@require_safe
def download(request, slug):
    """The roadmap as the YAML file the loader reads, to keep or to upload again."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    response = HttpResponse(
        roadmap_to_yaml(roadmap), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{roadmap.key}.yaml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, slug):
    """GET asks first (a page of its own, or a fragment in place with htmx); a POST with
    confirm=1 deletes the roadmap and everything tracked on it."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    if request.method != "POST" or request.POST.get("confirm") != "1":
        confirm = {
            "action": reverse("own:delete", args=[slug]),
            "question": _("Delete %s?") % roadmap.title,
            "detail": _(
                "The roadmap, your progress, notes, links and history on it, and its shared "
                "link are deleted for good. Download it first to keep a copy of its content."
            ),
            "button": _("Delete the roadmap"),
            "cancel": reverse("own:list"),
            "cancel_label": _("Keep it"),
        }
        template = partials.CONFIRM if request.htmx else CONFIRM_PAGE
        return render(request, template, {"confirm": confirm})
    ownership.delete_own_roadmap(roadmap)
    undo.forget(request, slug)  # nothing is left to undo a reset or a leave on
    messages.success(request, _("“%s” is deleted.") % roadmap.title)
    return redirect("own:list")
