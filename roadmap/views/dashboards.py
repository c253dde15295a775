"""The learner's dashboards: every enrolment at a glance, and one roadmap in depth."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.responses import form_error_status
from roadmap import (
    access,
    curation,
    dashboards,
    fragments,
    learning,
    pace,
    pages,
    plan,
    versions,
)
from roadmap.forms import GoalsForm
from roadmap.models import Roadmap
from roadmap.versions import page_versions

TEMPLATE = "roadmap/dashboards/roadmap.html"
LIVE = f"{TEMPLATE}#live"  # the figures that follow progress and goals, swapped by htmx
# Cached under versions.dashboard_keys, like LIVE on the page:
ACTIVITY = f"{TEMPLATE}#activity"  # the heatmap
CHARTS = f"{TEMPLATE}#charts"  # phases, skills and next steps


@login_required
@require_safe
def overview(request):
    overview = dashboards.overview(request.user)
    context = {
        "overview": overview,
        "card": overview.continue_card,
        "here": request.path,
    }
    return render(request, "roadmap/dashboards/overview.html", context)


def _live(enrollment, dashboard, here, **extra):
    """What the live figures (LIVE) read of one enrolment; `here`: the page their forms
    come back to without JavaScript."""
    return {
        "dashboard": dashboard,
        "roadmap": enrollment.roadmap,
        "goals_form": GoalsForm(
            initial={"weekly_hours": enrollment.weekly_hours, "target_date": enrollment.target_date}
        ),
        "pace_rule": {"ticks": pace.BURST_TICKS, "minutes": pace.BURST_MINUTES},
        "tick_page": {"enrollment": enrollment, "roadmap": enrollment.roadmap},
        "here": here,
        **extra,
    }


def _page(enrollment, here, live=None):
    """What the roadmap dashboard shows of one enrolment (its `user` already set): its parts
    cached under keys made of what they are worked out from (versions.dashboard_keys), so
    only the parts whose inputs changed are worked out and rendered. `live`: the live
    figures' HTML, when they are not the cached ones (a form with errors)."""
    inputs = dashboards.dashboard_inputs(enrollment)
    board = functools.cache(lambda: dashboards.roadmap_dashboard(enrollment, inputs=inputs))
    keys = versions.dashboard_keys(inputs, here)
    parts = {
        keys["activity"]: (ACTIVITY, lambda: {"year": board().activity}),
        keys["charts"]: (CHARTS, lambda: {"charts": board().charts}),
    }
    if live is None:
        placeholder = {"csrf_token": fragments.CSRF_PLACEHOLDER}
        parts[keys["live"]] = (LIVE, lambda: {**_live(enrollment, board(), here), **placeholder})
    html = fragments.cached_fragments(parts)
    return {
        "frame": pages.dashboard_frame(enrollment.roadmap, enrollment.user),
        "roadmap": enrollment.roadmap,
        "changes": curation.changes_since_seen(enrollment),
        "live_panel": live or html[keys["live"]],
        "activity_panel": html[keys["activity"]],
        "progress_charts": html[keys["charts"]],
        "recent": inputs.loaded["history"],
    }


@login_required
@require_safe
def roadmap_dashboard(request, slug):
    versions = access.found(page_versions(slug, request.user))
    if versions.enrollment_id is None:
        context = {"roadmap": Roadmap.objects.get(pk=versions.roadmap_id)}
        return render(request, "roadmap/dashboards/not_enrolled.html", context, status=404)
    user = request.user
    key = [
        "dashboard",
        *versions.key,
        user.weekly_hours_goal,
        # Streaks, "this week", the pace and the heatmap move on with the learner's day (their
        # zone is active: accounts.middleware.time_zone).
        timezone.localdate(),
    ]

    def context():
        enrollment = versions.enrollment  # read with the versions
        enrollment.roadmap = access.roadmap_for_page(versions)
        enrollment.user = user
        return _page(enrollment, request.path)

    # Times read on the learner's own clock (accounts.middleware.time_zone), like the heatmap.
    return fragments.render_page(request, TEMPLATE, context, key)


@login_required
@require_POST
def goals(request, slug):
    """Change the weekly hours and target date; a target they miss is kept, with a warning."""
    enrollment = access.enrollment_for_user(request.user, slug)
    enrollment.user = request.user
    form = GoalsForm(request.POST)
    here = reverse("roadmap:dashboard-roadmap", args=[slug])
    if not form.is_valid():
        context = _live(enrollment, dashboards.roadmap_dashboard(enrollment), here, goals_form=form)
        status = form_error_status(request)
        if request.htmx:
            return render(request, LIVE, context, status=status)
        live = render_to_string(LIVE, context, request)
        return render(request, TEMPLATE, _page(enrollment, here, live), status=status)
    learning.set_goals(enrollment, **form.cleaned_data)
    stated = enrollment.weekly_hours or request.user.weekly_hours_goal
    saved = _("Your goals are saved.")
    if request.htmx:
        context = _live(enrollment, dashboards.roadmap_dashboard(enrollment), here)
        context["goals_notice"] = saved
        context["goals_warning"] = plan.goal_warning(context["dashboard"].plan, stated)
        return render(request, LIVE, context)
    warning = plan.goal_warning(plan.weekly_plan(enrollment, today=timezone.localdate()), stated)
    messages.success(request, saved)
    if warning:
        messages.warning(request, warning.message)
    return redirect(here + "#goals")
