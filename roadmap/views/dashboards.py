"""The learner's dashboards: every enrolment at a glance, and one roadmap in depth."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from roadmap import curation, dashboards
from roadmap.models import Enrollment, Roadmap


@login_required
@require_safe
def overview(request):
    context = {"overview": dashboards.overview(request.user)}
    return render(request, "roadmap/dashboards/overview.html", context)


@login_required
@require_safe
def roadmap_dashboard(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug, status=Roadmap.Status.PUBLISHED)
    enrollment = (
        Enrollment.objects.filter(user=request.user, roadmap=roadmap)
        .exclude(status=Enrollment.Status.LEFT)
        .select_related("roadmap", "user")
        .first()
    )
    if enrollment is None:
        context = {"roadmap": roadmap}
        return render(request, "roadmap/dashboards/not_enrolled.html", context, status=404)
    context = {
        "dashboard": dashboards.roadmap_dashboard(enrollment),
        "roadmap": roadmap,
        "changes": curation.changes_since_seen(enrollment),
    }
    # Log times read on the learner's own clock, like the heatmap and the streak.
    with timezone.override(dashboards.learner_zone(request.user)):
        return render(request, "roadmap/dashboards/roadmap.html", context)
