"""A learner's private notes and links on a step, edited in place or on their own page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.responses import form_error_status
from roadmap import access, learning, partials
from roadmap.forms import LinkForm, NoteForm
from roadmap.models import LINKS_PER_STEP, PersonalLink, StepNote

NOTES_PAGE = "roadmap/step_notes.html"


def _respond(request, enrollment, step, note_form=None, link_form=None, status=200, notice=""):
    """The notes partial for htmx, the notes page without it, or back to the roadmap."""
    if status == 200 and request.method == "POST" and not request.htmx:
        if notice:
            messages.success(request, notice)
        url = reverse("roadmap:step-detail", args=[enrollment.roadmap.slug, step.key])
        return redirect(f"{url}#step-{step.key}-notes")
    note = StepNote.objects.filter(enrollment=enrollment, step=step).first()
    step.note = note.text if note else ""
    step.links = list(PersonalLink.objects.filter(enrollment=enrollment, step=step))
    context = {
        "roadmap": enrollment.roadmap,
        "step": step,
        "note_form": note_form,
        "link_form": link_form,
        "links_left": LINKS_PER_STEP - len(step.links),
        "notice": notice,
    }
    template = partials.STEP_NOTES if request.htmx else NOTES_PAGE
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step_notes(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    step = access.step_for_learner(enrollment, key)
    if request.method != "POST":
        return _respond(request, enrollment, step)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _respond(
            request, enrollment, step, note_form=form, status=form_error_status(request)
        )
    learning.save_note(enrollment, step, form.cleaned_data["text"])
    return _respond(request, enrollment, step, notice=_("Note saved."))


@login_required
@require_POST
def add_link(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    step = access.step_for_learner(enrollment, key)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            learning.add_link(enrollment, step, **form.cleaned_data)
        except learning.TooManyLinks:
            form.add_error(
                None, _("You can keep up to %d links on a step. Remove one first.") % LINKS_PER_STEP
            )
    if form.errors:
        return _respond(
            request, enrollment, step, link_form=form, status=form_error_status(request)
        )
    return _respond(request, enrollment, step, notice=_("Link added."))


@login_required
@require_POST
def delete_link(request, slug, key, link_id):
    enrollment = access.enrollment_for_user(request.user, slug)
    step = access.step_for_learner(enrollment, key)
    link = access.link_for_learner(enrollment, step, link_id)
    learning.remove_link(enrollment, link)
    return _respond(request, enrollment, step, notice=_("Link removed."))
