"""What an enrolled learner does on a roadmap page: enrol, tick, skip, reset, pause, leave.

Each POST answers htmx with the page's named partials and anyone else with a redirect back
to the same place on the roadmap page.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from roadmap import access, curation, history, learning, pages, partials, plan, undo
from roadmap.forms import EnrolForm, SeenRevisionForm
from roadmap.models import Enrollment, Step
from roadmap.views.next_url import safe_next
from roadmap.views.public import hides_finished

TEMPLATE = partials.ROADMAP_PAGE
CONFIRM_PAGE = "roadmap/confirm.html"
PROGRESS_CHANGED = "progress-changed"  # htmx event: parts of the page that follow progress refresh


def _partial(request, template, context):
    """Render a shared fragment for htmx and tell the page that progress changed."""
    response = render(request, template, context)
    return trigger_client_event(response, PROGRESS_CHANGED)


def _desired(request, field):
    """The state the request asks for: '1' or '0', never a toggle."""
    value = request.POST.get(field)
    return None if value not in ("0", "1") else value == "1"


def _back(request, slug, anchor=""):
    """Back where the form was posted from (a step page or the roadmap page), at the anchor."""
    url = safe_next(request) or reverse("roadmap:roadmap-detail", args=[slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
def enrol(request, slug):
    roadmap = access.roadmap_for_visitor(request.user, slug)
    if not request.user.is_authenticated:
        back = safe_next(request) or roadmap.get_absolute_url() + "#enrol"
        return redirect_to_login(back, login_url=reverse("accounts:signup"))
    form = EnrolForm(request.POST)
    if not form.is_valid():
        page = pages.roadmap_page(roadmap, request.user)
        frame = pages.roadmap_frame(page, request.user)
        context = {"frame": frame, "roadmap": roadmap, "page": page, "enrol_form": form}
        return render(request, TEMPLATE, context, status=400)
    enrollment, created = learning.enrol(request.user, roadmap, **form.cleaned_data)
    if created:
        messages.success(request, _("You are enrolled. Tick milestones as you learn them."))
        enrollment.user = request.user
        today = timezone.localdate()
        stated = enrollment.weekly_hours or request.user.weekly_hours_goal
        warning = plan.goal_warning(plan.weekly_plan(enrollment, today=today), stated)
        if warning:
            messages.warning(request, warning.message)
    return _back(request, slug)


@login_required
@require_POST
def set_status(request, slug, status):
    enrollment = access.enrollment_for_user(request.user, slug)
    learning.set_status(enrollment, status)
    if status == Enrollment.Status.PAUSED:
        messages.info(request, _("Paused. Your progress is kept; resume whenever you like."))
    return _back(request, slug)


def _confirmed(request):
    return request.method == "POST" and request.POST.get("confirm") == "1"


def _ask(request, confirm):
    """Ask before a change that loses progress: a fragment in place with htmx, else a page."""
    confirm.setdefault("next", safe_next(request) or "")
    template = partials.CONFIRM if request.htmx else CONFIRM_PAGE
    return render(request, template, {"confirm": confirm})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request, slug):
    enrollment = access.enrollment_for_user(request.user, slug)
    if not _confirmed(request):
        return _ask(
            request,
            {
                "action": reverse("roadmap:leave", args=[slug]),
                "question": _("Leave %s?") % enrollment.roadmap.title,
                "detail": _(
                    "The roadmap disappears from your dashboard. If you enrol again later, "
                    "you pick up where you left off."
                ),
                "button": _("Leave the roadmap"),
                "cancel": enrollment.roadmap.get_absolute_url(),
                "cancel_label": _("Stay enrolled"),
                "erase": True,
            },
        )
    erase = request.POST.get("erase") == "1"
    record = learning.leave(enrollment, erase=erase)
    if erase:
        messages.success(request, _("You left the roadmap and your history was erased."))
    else:
        messages.success(request, _("You left the roadmap. Enrol again to pick up where you were."))
        undo.offer(request, enrollment.roadmap, undo.LEAVE, enrollment.roadmap.title, record)
    return redirect("roadmap:catalogue")


@login_required
@require_POST
def tick(request, slug, milestone_id):
    done = _desired(request, "done")
    if done is None:  # before any write; says nothing about the roadmap or the enrolment
        return HttpResponseBadRequest(_("Say done=1 or done=0."))
    with transaction.atomic():
        enrollment = access.enrollment_to_change(request.user, slug)  # locked until commit
        milestone = access.milestone_for_learner(enrollment, milestone_id)
        marks = learning.mark_milestone(enrollment, milestone, done)
    if request.htmx and request.POST.get("card") == "continue":
        context = {
            "card": pages.continue_card(request.user),
            "ticked": milestone,
            "here": safe_next(request),
        }
        return _partial(request, partials.CONTINUE_CARD, context)
    if request.htmx:
        page = pages.step_progress(enrollment, milestone.pk, marks)  # what the response shows
        context = {
            "page": page,
            "phase": page.phase,
            "step": page.step,
            "milestone": page.milestone,
            "here": safe_next(request),
        }
        if request.POST.get("fragment") == "milestone":  # the dashboard refreshes the rest
            return _partial(request, partials.MILESTONE, context)
        return _partial(request, partials.TICK_RESPONSE, context)
    return _back(request, slug, f"milestone-{milestone.key}")


@login_required
@require_POST
def skip_step(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    step = access.step_for_learner(enrollment, key)
    wanted = _desired(request, "skipped")
    if wanted is None:
        return HttpResponseBadRequest(_("Say skipped=1 or skipped=0."))
    learning.set_skipped(enrollment, [step], wanted)
    if not request.htmx:
        return _back(request, slug, f"step-{key}")
    shown = access.found(pages.step_page(enrollment.roadmap, key, request.user))
    context = {
        "page": shown.page,
        "phase": shown.phase,
        "step": shown.step,
        "here": safe_next(request),
    }
    return _partial(request, partials.STEP_RESPONSE, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reset_step(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    step = access.step_for_learner(enrollment, key)
    if not _confirmed(request):
        return _ask(
            request,
            {
                "action": reverse("roadmap:step-reset", args=[slug, key]),
                "question": _("Reset “%s” for revision?") % step.title,
                "detail": _(
                    "Its milestones go back to not done. Your history is kept, and you can "
                    "undo this afterwards."
                ),
                "button": _("Reset the step"),
                "cancel": reverse("roadmap:step-detail", args=[slug, key]),
            },
        )
    record = learning.reset(enrollment, [step])
    _offer_undo(request, enrollment, undo.RESET_STEP, step.title, record)
    return _back(request, slug, f"step-{key}")


@login_required
@require_POST
def skip_phase(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    phase = access.phase_for_learner(enrollment, key)
    wanted = _desired(request, "skipped")
    if wanted is None:
        return HttpResponseBadRequest(_("Say skipped=1 or skipped=0."))
    learning.set_skipped(
        enrollment, list(Step.objects.live().filter(phase=phase)), wanted, phase=phase
    )
    if not request.htmx:
        return _back(request, slug, f"phase-{key}")
    page = pages.roadmap_page(enrollment.roadmap, request.user, with_history=False)
    phase = access.found(page.locate_phase(key))
    here = safe_next(request)
    # The phase as the page the form came from shows it: without finished steps, if it hid them.
    hide_finished = bool(here) and hides_finished(QueryDict(urlsplit(here).query))
    context = {"page": page, "phase": phase, "here": here, "hide_finished": hide_finished}
    return _partial(request, partials.PHASE_RESPONSE, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reset_phase(request, slug, key):
    enrollment = access.enrollment_for_user(request.user, slug)
    phase = access.phase_for_learner(enrollment, key)
    if not _confirmed(request):
        return _ask(
            request,
            {
                "action": reverse("roadmap:phase-reset", args=[slug, key]),
                "question": _("Reset the phase “%s” for revision?") % phase.title,
                "detail": _(
                    "Every milestone in it goes back to not done and its skips are removed. "
                    "Your history is kept, and you can undo this afterwards."
                ),
                "button": _("Reset the phase"),
                "cancel": f"{reverse('roadmap:roadmap-detail', args=[slug])}#phase-{key}",
            },
        )
    record = learning.reset(enrollment, list(Step.objects.live().filter(phase=phase)), phase=phase)
    _offer_undo(request, enrollment, undo.RESET_PHASE, phase.title, record)
    return _back(request, slug, f"phase-{key}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reset_roadmap(request, slug):
    enrollment = access.enrollment_for_user(request.user, slug)
    if not _confirmed(request):
        return _ask(
            request,
            {
                "action": reverse("roadmap:roadmap-reset", args=[slug]),
                "question": _("Reset the whole roadmap for revision?"),
                "detail": _(
                    "Every milestone goes back to not done and every skip is removed. Your "
                    "history is kept, and you can undo this afterwards."
                ),
                "button": _("Reset the whole roadmap"),
                "cancel": enrollment.roadmap.get_absolute_url(),
            },
        )
    record = learning.reset(
        enrollment, list(Step.objects.live().filter(roadmap=enrollment.roadmap))
    )
    _offer_undo(request, enrollment, undo.RESET_ROADMAP, enrollment.roadmap.title, record)
    return _back(request, slug)


def _offer_undo(request, enrollment, kind, title, record):
    if record["steps"]:
        undo.offer(request, enrollment.roadmap, kind, title, record)
    else:
        messages.info(request, _("Nothing to reset: no milestone there was done or skipped."))


@login_required
@require_safe
def history_list(request, slug):
    """The latest entries of my activity log on this roadmap (an htmx partial)."""
    enrollment = access.enrollment_for_user(request.user, slug)
    context = {"roadmap": enrollment.roadmap, "entries": history.recent_activity(enrollment)}
    return render(request, partials.HISTORY_LIST, context)


@login_required
@require_POST
def dismiss_changes(request, slug):
    """Hide the "what changed" notice up to the revision the learner was shown."""
    enrollment = access.enrollment_for_user(request.user, slug)
    form = SeenRevisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say which revision you have seen."))
    curation.mark_seen(enrollment, form.cleaned_data["revision"])
    if request.htmx:
        return HttpResponse("")
    return _back(request, slug)
