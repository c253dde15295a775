"""The editor of a learner's own roadmap, and a new roadmap from nothing.

Each POST makes one edit through roadmap/editing.py. With htmx the answer is the page's body
re-rendered (its named partial); without, a redirect back to the place edited. A refused edit
shows the loader's messages next to its form (400, or 422 for htmx); a form naming something
another tab removed is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.responses import form_error_status
from roadmap import access, editing, ownership
from roadmap.content import ContentError
from roadmap.editor_pages import Failure, describe, editor_page, step_editor_page
from roadmap.views import once

NEW_PAGE = "roadmap/editor/new.html"
EDITOR = "roadmap/editor/edit.html"
STEP_EDITOR = "roadmap/editor/step.html"
MOVES = {"up": -1, "down": 1}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_roadmap(request):
    """A title and an optional summary make a roadmap of one phase, step and milestone; the
    form answers once (roadmap/views/once.py)."""
    if request.method != "POST":
        return _new_page(request)
    return once.make_once(
        request, lambda: _create(request), lambda slug: redirect("own:edit", slug=slug)
    )


def _create(request):
    """(the response, the roadmap made or None)."""
    if not ownership.room_for_another(request.user):
        return _new_page(request, [ownership.too_many_message()], status=400), None
    wait = ownership.wait_before_new_roadmap(request.user)
    if wait:
        message = _("You made many roadmaps in the last hour. Please try again later.")
        response = _new_page(request, [message], status=429)
        response["Retry-After"] = str(wait)
        return response, None
    try:
        roadmap = editing.create_roadmap(
            request.user, request.POST.get("title", ""), request.POST.get("summary", "")
        )
    except ContentError as error:
        problems = [problem.message for problem in error.problems]
        return _new_page(request, problems, status=400), None
    return redirect("own:edit", slug=roadmap.slug), roadmap


def _new_page(request, problems=(), status=200):
    context = {
        "form_id": once.new_form_id(),
        "problems": list(problems),
        "values": request.POST if request.method == "POST" else {},
    }
    return render(request, NEW_PAGE, context, status=status)


def _render(request, roadmap, step_key=None, failure=None, status=200):
    if step_key is None:
        page, template = editor_page(roadmap, failure), EDITOR
    else:
        page, template = step_editor_page(roadmap, step_key, failure), STEP_EDITOR
        if page is None:
            raise Http404
    if request.htmx:
        template += "#body"
    return render(request, template, {"page": page, "roadmap": roadmap}, status=status)


def _apply(request, roadmap, change, form, anchor, step_key=None, values=None):
    """Make one edit and answer it: the page's body for htmx, else back to `anchor` (a
    string, or a function of what the edit returned) on the page it came from."""
    try:
        result = editing.apply(roadmap, change)
    except editing.Stale:
        raise Http404 from None
    except ContentError as error:
        problems = [describe(problem, error.data) for problem in error.problems]
        failure = Failure(form, problems, dict(values or {}))
        return _render(request, roadmap, step_key, failure, status=form_error_status(request))
    if request.htmx:
        return _render(request, roadmap, step_key)
    if step_key is None:
        url = reverse("own:edit", args=[roadmap.slug])
    else:
        url = reverse("own:edit-step", args=[roadmap.slug, step_key])
    return redirect(f"{url}#{anchor(result) if callable(anchor) else anchor}")


def _fresh(request, roadmap):
    """Whether the form was made from the roadmap as it is now (else an add may be a repeat)."""
    return request.POST.get("version") == str(roadmap.content_version)


def _texts(request, *names):
    return {name: request.POST.get(name, "") for name in names}


def _move(request):
    return MOVES.get(request.POST.get("action"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, slug):
    """The editor page; a POST saves the roadmap's title, summary and description."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    if request.method != "POST":
        return _render(request, roadmap)
    values = _texts(request, "title", "summary", "description")
    return _apply(
        request, roadmap, editing.set_details(**values), "details", "details", None, values
    )


@login_required
@require_POST
def add_phase(request, slug):
    roadmap = access.roadmap_for_owner(request.user, slug)
    values = _texts(request, "title")
    change = editing.add_phase(values["title"], _fresh(request, roadmap))
    return _apply(request, roadmap, change, "add-phase", lambda key: f"phase-{key}", None, values)


@login_required
@require_POST
def phase(request, slug, key):
    """Save, move up or down, or remove a phase (`action`)."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    action = request.POST.get("action")
    values = _texts(request, "title", "summary")
    if action == "save":
        change = editing.edit_phase(key, **values)
    elif action in MOVES:
        change = editing.move_phase(key, _move(request))
    elif action == "remove":
        change = editing.remove_phase(key)
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    anchor = "phases" if action == "remove" else f"phase-{key}"
    return _apply(request, roadmap, change, f"phase-{key}", anchor, None, values)


@login_required
@require_POST
def add_step(request, slug, key):
    roadmap = access.roadmap_for_owner(request.user, slug)
    values = _texts(request, "title", "hours")
    change = editing.add_step(key, values["title"], values["hours"], _fresh(request, roadmap))
    anchor = lambda step_key: f"step-{step_key}"  # noqa: E731
    return _apply(request, roadmap, change, f"add-step-{key}", anchor, None, values)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, slug, key):
    """A step's editor page; a POST saves its title, summary and hours, or (from the
    roadmap's editor) moves or removes it."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    if request.method != "POST":
        return _render(request, roadmap, key)
    action = request.POST.get("action")
    if action == "save":
        values = _texts(request, "title", "summary", "hours")
        change = editing.edit_step(key, **values)
        return _apply(request, roadmap, change, "step", "details", key, values)
    if action in MOVES:
        change, anchor = editing.move_step(key, _move(request)), f"step-{key}"
    elif action == "remove":
        change, anchor = editing.remove_step(key), "phases"
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _apply(request, roadmap, change, f"step-{key}", anchor)


@login_required
@require_POST
def add_milestone(request, slug, key):
    roadmap = access.roadmap_for_owner(request.user, slug)
    values = _texts(request, "title")
    change = editing.add_milestone(key, values["title"], _fresh(request, roadmap))
    return _apply(request, roadmap, change, "add-milestone", "milestones", key, values)


@login_required
@require_POST
def milestone(request, slug, key, milestone):
    roadmap = access.roadmap_for_owner(request.user, slug)
    action = request.POST.get("action")
    values = _texts(request, "title")
    if action == "save":
        change = editing.edit_milestone(key, milestone, values["title"])
    elif action in MOVES:
        change = editing.move_milestone(key, milestone, _move(request))
    elif action == "remove":
        change = editing.remove_milestone(key, milestone)
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _apply(request, roadmap, change, f"milestone-{milestone}", "milestones", key, values)


def _resource_fields(request):
    values = {**_texts(request, "title", "url", "kind"), "free": request.POST.get("free") == "1"}
    return editing.ResourceFields(**values), values


@login_required
@require_POST
def add_resource(request, slug, key):
    roadmap = access.roadmap_for_owner(request.user, slug)
    fields, values = _resource_fields(request)
    change = editing.add_resource(key, fields, _fresh(request, roadmap))
    return _apply(request, roadmap, change, "add-resource", "resources", key, values)


@login_required
@require_POST
def resource(request, slug, key, index):
    roadmap = access.roadmap_for_owner(request.user, slug)
    action = request.POST.get("action")
    was = request.POST.get("was", "")
    fields, values = _resource_fields(request)
    if action == "save":
        change = editing.edit_resource(key, index, was, fields)
    elif action in MOVES:
        change = editing.move_resource(key, index, was, _move(request))
    elif action == "remove":
        change = editing.remove_resource(key, index, was)
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _apply(request, roadmap, change, f"resource-{index}", "resources", key, values)


@login_required
@require_POST
def step_skills(request, slug, key):
    roadmap = access.roadmap_for_owner(request.user, slug)
    values = {
        "skills": request.POST.getlist("skills"),
        **_texts(request, "new_name", "new_category"),
    }
    change = editing.set_step_skills(
        key, values["skills"], values["new_name"], values["new_category"]
    )
    return _apply(request, roadmap, change, "skills", "skills", key, values)


@login_required
@require_POST
def step_requires(request, slug, key):
    roadmap = access.roadmap_for_owner(request.user, slug)
    values = {"requires": request.POST.getlist("requires")}
    change = editing.set_requires(key, values["requires"])
    return _apply(request, roadmap, change, "requires", "requires", key, values)


@login_required
@require_POST
def skill(request, slug, skill):
    """Rename a skill (name, category) or take it out of the roadmap and its steps."""
    roadmap = access.roadmap_for_owner(request.user, slug)
    action = request.POST.get("action")
    values = _texts(request, "name", "category")
    if action == "save":
        change = editing.edit_skill(skill, **values)
    elif action == "remove":
        change = editing.remove_skill(skill)
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return _apply(request, roadmap, change, f"skill-{skill}", "skills", None, values)
