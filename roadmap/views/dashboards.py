"""The learner's dashboards: every enrolment at a glance, and one roadmap in depth."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from roadmap import curation, dashboards, fragments, pages

TEMPLATE = "roadmap/dashboards/roadmap.html"


@login_required
@require_safe
def overview(request):
    context = {"overview": dashboards.overview(request.user)}
    return render(request, "roadmap/dashboards/overview.html", context)


@login_required
@require_safe
def roadmap_dashboard(request, slug):
    roadmap, enrollment = pages.locate(slug, request.user)
    if enrollment is None:
        context = {"roadmap": roadmap}
        return render(request, "roadmap/dashboards/not_enrolled.html", context, status=404)
    enrollment.user = user = request.user
    zone = dashboards.learner_zone(user)
    key = [
        "dashboard",
        fragments.identity(roadmap),
        roadmap.content_version,
        fragments.identity(enrollment),
        enrollment.version,
        user.weekly_hours_goal,
        dashboards.local_today(zone),  # streaks, "this week" and the heatmap move with the day
    ]

    def context():
        return {
            "dashboard": dashboards.roadmap_dashboard(enrollment),
            "roadmap": roadmap,
            "changes": curation.changes_since_seen(enrollment),
        }

    # Log times read on the learner's own clock, like the heatmap and the streak.
    with timezone.override(zone):
        body = fragments.render(request, f"{TEMPLATE}#dashboard-body", context, key)
    return render(request, TEMPLATE, {"roadmap": roadmap, "body": body})
