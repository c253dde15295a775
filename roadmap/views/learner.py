"""What an enrolled learner does on a roadmap page: enrol, tick, skip, reset, pause, leave.

Each POST answers htmx with the page's named partials and anyone else with a redirect back
to the same place on the roadmap page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from roadmap import curation, history, learning, pages, plan
from roadmap.forms import EnrolForm
from roadmap.models import Enrollment, Phase, Roadmap, Step

TEMPLATE = "roadmap/roadmap_detail.html"
PROGRESS_CHANGED = "progress-changed"  # htmx event: parts of the page that follow progress refresh


def _partial(request, name, context):
    """Render a named partial of the roadmap page and tell the page that progress changed."""
    response = render(request, f"{TEMPLATE}#{name}", context)
    return trigger_client_event(response, PROGRESS_CHANGED)


def enrollment_or_404(user, slug):
    """The user's enrolment in this published roadmap; anyone else's is a 404."""
    return get_object_or_404(
        Enrollment.objects.select_related("roadmap").exclude(status=Enrollment.Status.LEFT),
        user=user,
        roadmap__slug=slug,
        roadmap__status=Roadmap.Status.PUBLISHED,
    )


def _desired(request, field):
    """The state the request asks for: '1' or '0', never a toggle."""
    value = request.POST.get(field)
    return None if value not in ("0", "1") else value == "1"


def _back(slug, anchor=""):
    url = reverse("roadmap:roadmap-detail", args=[slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
def enrol(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug, status=Roadmap.Status.PUBLISHED)
    if not request.user.is_authenticated:
        return redirect_to_login(
            roadmap.get_absolute_url() + "#enrol", login_url=reverse("accounts:signup")
        )
    form = EnrolForm(request.POST)
    if not form.is_valid():
        page = pages.roadmap_page(slug, request.user)
        context = {"roadmap": roadmap, "page": page, "enrol_form": form}
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
    return _back(slug)


@login_required
@require_POST
def set_status(request, slug, status):
    enrollment = enrollment_or_404(request.user, slug)
    learning.set_status(enrollment, status)
    if status == Enrollment.Status.PAUSED:
        messages.info(request, _("Paused. Your progress is kept; resume whenever you like."))
    return _back(slug)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    enrollment = enrollment_or_404(request.user, slug)
    if request.method == "POST":
        erase = request.POST.get("erase") == "1"
        learning.leave(enrollment, erase=erase)
        if erase:
            messages.success(request, _("You left the roadmap and your history was erased."))
        else:
            messages.success(
                request, _("You left the roadmap. Enrol again to pick up where you were.")
            )
        return redirect("roadmap:catalogue")
    return render(request, "roadmap/leave.html", {"enrollment": enrollment})


@login_required
@require_POST
def tick(request, slug, milestone_id):
    enrollment = enrollment_or_404(request.user, slug)
    milestone = learning.live_milestone(enrollment, milestone_id)
    done = _desired(request, "done")
    if milestone is None:
        raise Http404
    if done is None:
        return HttpResponseBadRequest(_("Say done=1 or done=0."))
    learning.set_milestone(enrollment, milestone, done)
    if request.htmx:
        page = pages.roadmap_page(slug, request.user, with_history=False)
        phase, step, milestone = page.locate_milestone(milestone.pk)
        context = {"page": page, "phase": phase, "step": step, "milestone": milestone}
        if request.POST.get("fragment") == "milestone":  # the dashboard refreshes the rest
            return _partial(request, "milestone", context)
        return _partial(request, "tick-response", context)
    return _back(slug, f"milestone-{milestone.key}")


@login_required
@require_POST
def skip_step(request, slug, key):
    return _change_step(request, slug, key, "skipped", learning.set_skipped)


@login_required
@require_POST
def reset_step(request, slug, key):
    return _change_step(request, slug, key, None, learning.reset)


def _change_step(request, slug, key, field, change):
    enrollment = enrollment_or_404(request.user, slug)
    step = get_object_or_404(
        Step.objects.live(),
        roadmap=enrollment.roadmap,
        key=key,
        phase__archived_at__isnull=True,
    )
    if field is None:
        change(enrollment, [step])
    else:
        wanted = _desired(request, field)
        if wanted is None:
            return HttpResponseBadRequest(_("Say %s=1 or %s=0.") % (field, field))
        change(enrollment, [step], wanted)
    if not request.htmx:
        return _back(slug, f"step-{key}")
    page = pages.roadmap_page(slug, request.user, with_history=False)
    phase, step = page.locate_step(key)
    context = {"page": page, "phase": phase, "step": step}
    return _partial(request, "step-response", context)


@login_required
@require_POST
def skip_phase(request, slug, key):
    return _change_phase(request, slug, key, "skipped", learning.set_skipped)


@login_required
@require_POST
def reset_phase(request, slug, key):
    return _change_phase(request, slug, key, None, learning.reset)


def _change_phase(request, slug, key, field, change):
    enrollment = enrollment_or_404(request.user, slug)
    phase = get_object_or_404(Phase.objects.live(), roadmap=enrollment.roadmap, key=key)
    steps = list(Step.objects.live().filter(phase=phase))
    if field is None:
        change(enrollment, steps, phase=phase)
    else:
        wanted = _desired(request, field)
        if wanted is None:
            return HttpResponseBadRequest(_("Say %s=1 or %s=0.") % (field, field))
        change(enrollment, steps, wanted, phase=phase)
    if not request.htmx:
        return _back(slug, f"phase-{key}")
    page = pages.roadmap_page(slug, request.user, with_history=False)
    context = {"page": page, "phase": page.locate_phase(key)}
    return _partial(request, "phase-response", context)


@login_required
@require_POST
def reset_roadmap(request, slug):
    enrollment = enrollment_or_404(request.user, slug)
    learning.reset(enrollment, list(Step.objects.live().filter(roadmap=enrollment.roadmap)))
    messages.success(request, _("Every step is back to not done. Your history is kept."))
    return _back(slug)


@login_required
@require_safe
def history_list(request, slug):
    """The latest entries of my activity log on this roadmap (an htmx partial)."""
    enrollment = enrollment_or_404(request.user, slug)
    context = {"roadmap": enrollment.roadmap, "entries": history.recent_activity(enrollment)}
    return render(request, f"{TEMPLATE}#history-list", context)


@login_required
@require_POST
def dismiss_changes(request, slug):
    """Hide the "what changed" notice up to the revision the learner was shown."""
    enrollment = enrollment_or_404(request.user, slug)
    try:
        number = int(request.POST.get("revision", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Say which revision you have seen."))
    curation.mark_seen(enrollment, number)
    if request.htmx:
        return HttpResponse("")
    return _back(slug)
