"""The learner's dashboards: every enrolment at a glance, and one roadmap in depth."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from roadmap import curation, dashboards, fragments, pages
from roadmap.models import Enrollment, Roadmap
from roadmap.versions import page_versions

TEMPLATE = "roadmap/dashboards/roadmap.html"


@login_required
@require_safe
def overview(request):
    context = {
        "overview": dashboards.overview(request.user),
        "card": pages.continue_card(request.user),
        "here": request.path,
    }
    return render(request, "roadmap/dashboards/overview.html", context)


@login_required
@require_safe
def roadmap_dashboard(request, slug):
    versions = page_versions(slug, request.user)
    if versions is None:
        raise Http404
    if versions.enrollment_id is None:
        context = {"roadmap": Roadmap.objects.get(pk=versions.roadmap_id)}
        return render(request, "roadmap/dashboards/not_enrolled.html", context, status=404)
    user = request.user
    key = [
        "dashboard",
        *versions.key,
        user.weekly_hours_goal,
        # Streaks, "this week" and the heatmap move on with the learner's day (their zone is
        # active: accounts.middleware.time_zone).
        timezone.localdate(),
    ]

    def context():
        enrollment = Enrollment.objects.select_related("roadmap").get(pk=versions.enrollment_id)
        enrollment.user = user
        return {
            "dashboard": dashboards.roadmap_dashboard(enrollment),
            "roadmap": enrollment.roadmap,
            "changes": curation.changes_since_seen(enrollment),
        }

    # Times read on the learner's own clock (accounts.middleware.time_zone), like the heatmap.
    return fragments.render_page(request, TEMPLATE, context, key)
