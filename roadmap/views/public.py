"""Public roadmap pages: landing, catalogue, the roadmap itself, and the health check."""

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roadmap import fragments, insight, pages
from roadmap.forms import EnrolForm
from roadmap.models import Roadmap
from roadmap.versions import page_versions

TEMPLATE = "roadmap/roadmap_detail.html"
STEP_TEMPLATE = "roadmap/step_detail.html"
HIDE_FINISHED = "finished"  # ?finished=hide: the outline without the steps already done


@require_safe
def home(request):
    percents = pages.enrolled_percents(request.user)
    context = {
        "roadmaps": [(r, percents.get(r.pk)) for r in pages.published_roadmaps()[:3]],
        "card": pages.continue_card(request.user),
        "here": request.path,
    }
    return render(request, "roadmap/home.html", context)


@require_safe
def catalogue(request):
    percents = pages.enrolled_percents(request.user)
    context = {"roadmaps": [(r, percents.get(r.pk)) for r in pages.published_roadmaps()]}
    return render(request, "roadmap/catalogue.html", context)


@require_safe
def roadmap_detail(request, slug):
    versions = page_versions(slug, request.user)
    if versions is None:
        raise Http404
    hide_finished = request.GET.get(HIDE_FINISHED) == "hide"
    key = ["roadmap", *versions.key, request.user.is_authenticated, hide_finished]

    def context():
        page = pages.roadmap_page(slug, request.user)
        fragments.prerender_steps(request, page, f"{TEMPLATE}#step")
        enrol_form = None if page.enrollment else EnrolForm()
        here = page.roadmap.get_absolute_url() + ("?finished=hide" if hide_finished else "")
        return {
            "roadmap": page.roadmap,
            "page": page,
            "enrol_form": enrol_form,
            "hide_finished": hide_finished,
            "here": here,
        }

    return fragments.render_page(request, TEMPLATE, context, key)


@require_safe
def step_detail(request, slug, key):
    """One step: what to tick, read and keep, and where it sits among the others."""
    versions = page_versions(slug, request.user)
    if versions is None:
        raise Http404
    cache_key = ["step", *versions.key, key, request.user.is_authenticated]

    def context():
        step_page = pages.step_page(slug, key, request.user)
        return {
            "roadmap": step_page.page.roadmap,
            "page": step_page.page,
            "phase": step_page.phase,
            "step": step_page.step,
            "step_page": step_page,
            "here": request.path,
        }

    return fragments.render_page(request, STEP_TEMPLATE, context, cache_key)


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
