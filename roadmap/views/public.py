"""Public roadmap pages: landing, catalogue, the roadmap itself, and the health check."""

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roadmap import access, fragments, insight, pages
from roadmap.forms import EnrolForm
from roadmap.models import Roadmap
from roadmap.versions import page_versions

TEMPLATE = "roadmap/roadmap_detail.html"


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
    key = ["roadmap", *versions.key, request.user.is_authenticated]

    def context():
        page = pages.roadmap_page(slug, request.user)
        fragments.prerender_steps(request, page, f"{TEMPLATE}#step")
        enrol_form = None if page.enrollment else EnrolForm()
        return {"roadmap": page.roadmap, "page": page, "enrol_form": enrol_form}

    return fragments.render_page(request, TEMPLATE, context, key)


@require_safe
def roadmap_map(request, slug):
    """The roadmap's map alone: the roadmap page's map refreshes itself from here (htmx) when
    the learner's progress changes. Cached like the page, under the same versions."""
    versions = page_versions(slug, request.user)
    if versions is None:
        raise Http404
    key = ["map", *versions.key, request.user.is_authenticated]

    def context():
        return {"map": pages.roadmap_page(slug, request.user, with_history=False).map}

    return fragments.render_page(request, pages.RoadmapMap.template, context, key)


@never_cache
@require_safe
def roadmap_preview(request, slug):
    """A draft (or published) roadmap as a learner would see it, for curators only."""
    if not access.is_curator(request.user):
        raise Http404
    page = pages.roadmap_page(slug, request.user, preview=True)
    context = {"roadmap": page.roadmap, "page": page, "preview": True}
    return render(request, TEMPLATE, context)


@require_safe
def roadmap_insight(request, slug):
    """Where learners stall on a roadmap: for curators, a 404 for anyone else."""
    if not access.is_curator(request.user):
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
