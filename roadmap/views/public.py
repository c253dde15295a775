"""Public roadmap pages: landing, catalogue, the roadmap itself, and the health check."""

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roadmap import commitment, fragments, insight, pages
from roadmap.forms import EnrolForm
from roadmap.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, Roadmap
from roadmap.versions import page_versions

TEMPLATE = "roadmap/roadmap_detail.html"
COMMITMENT = "roadmap/partials/commitment.html"
DEFAULT_PACE = 10  # hours a week, for visitors without a weekly goal of their own


def commitment_pace(request):
    """The weekly hours the "what it takes" figures use: the visitor's choice (?pace=, whole
    hours 1..80), else their weekly goal, else DEFAULT_PACE."""
    chosen = request.GET.get("pace", "")
    if chosen.isdigit() and WEEKLY_HOURS_MIN <= int(chosen) <= WEEKLY_HOURS_MAX:
        return int(chosen)
    goal = getattr(request.user, "weekly_hours_goal", 0)
    return goal if goal and WEEKLY_HOURS_MIN <= goal <= WEEKLY_HOURS_MAX else DEFAULT_PACE


@require_safe
def home(request):
    return render(request, "roadmap/home.html", {"roadmaps": pages.published_roadmaps()[:3]})


@require_safe
def catalogue(request):
    return render(request, "roadmap/catalogue.html", {"roadmaps": pages.published_roadmaps()})


@require_safe
def roadmap_detail(request, slug):
    versions = page_versions(slug, request.user)
    if versions is None:
        raise Http404
    weekly_hours = commitment_pace(request)
    key = ["roadmap", *versions.key, request.user.is_authenticated, weekly_hours]

    def context():
        page = pages.roadmap_page(slug, request.user)
        fragments.prerender_steps(request, page, f"{TEMPLATE}#step")
        enrol_form = None if page.enrollment else EnrolForm()
        what_it_takes = (
            None if page.enrollment else commitment.commitment(page.phases, weekly_hours)
        )
        return {
            "roadmap": page.roadmap,
            "page": page,
            "enrol_form": enrol_form,
            "commitment": what_it_takes,
            "commitment_template": COMMITMENT,
        }

    return fragments.render_page(request, TEMPLATE, context, key)


@never_cache
@require_safe
def roadmap_preview(request, slug):
    """A draft (or published) roadmap as a learner would see it, for curators only."""
    if not request.user.has_perm("roadmap.view_roadmap"):
        raise Http404
    page = pages.roadmap_page(slug, request.user, preview=True)
    context = {"roadmap": page.roadmap, "page": page, "preview": True}
    return render(request, TEMPLATE, context)


@require_safe
def roadmap_insight(request, slug):
    """Where learners stall on a roadmap: for staff who curate it, a 404 for anyone else."""
    if not (request.user.is_staff and request.user.has_perm("roadmap.view_roadmap")):
        raise Http404
    roadmap = get_object_or_404(Roadmap, slug=slug)
    context = {"roadmap": roadmap, "insight": insight.roadmap_insight(roadmap)}
    return render(request, "roadmap/insight.html", context)


@never_cache
@require_safe
def healthz(request):
    """Liveness and database check for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
