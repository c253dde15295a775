"""Public roadmap pages: landing, catalogue, the roadmap itself, and the health check."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roadmap import access, commitment, copies, fragments, insight, pages, partials
from roadmap.forms import EnrolForm
from roadmap.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN
from roadmap.versions import page_versions

TEMPLATE = partials.ROADMAP_PAGE
STEP_TEMPLATE = "roadmap/step_detail.html"
HIDE_FINISHED = "finished"  # ?finished=hide: the outline without the steps already done
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


def hides_finished(query):
    """Whether a roadmap page's query (a QueryDict) asks for the outline without its
    finished steps."""
    return query.get(HIDE_FINISHED) == "hide"


@require_safe
def roadmap_detail(request, slug):
    versions = access.found(page_versions(slug, request.user))
    weekly_hours = commitment_pace(request)
    hide_finished = hides_finished(request.GET)
    key = ["roadmap", *versions.key, request.user.is_authenticated, weekly_hours, hide_finished]

    def context():
        roadmap = access.roadmap_for_page(versions)
        page = pages.roadmap_page(roadmap, request.user, enrollment=versions.enrollment)
        fragments.prerender_steps(page, partials.OUTLINE_STEP)
        enrol_form = None if page.enrollment else EnrolForm()
        what_it_takes = (
            None if page.enrollment else commitment.commitment(page.phases, weekly_hours)
        )
        here = page.roadmap.get_absolute_url() + ("?finished=hide" if hide_finished else "")
        extra = {"here": here, "hide_finished": hide_finished}
        fragments.prerender_phases(page, partials.OUTLINE_PHASE, extra)
        return {
            "frame": pages.roadmap_frame(page, request.user, hide_finished),
            "roadmap": page.roadmap,
            "page": page,
            "enrol_form": enrol_form,
            "commitment": what_it_takes,
            "commitment_template": partials.COMMITMENT,
            "hide_finished": hide_finished,
            "here": here,
            "copy_changes": copies.notice_count(page.roadmap),
        }

    return fragments.render_page(request, TEMPLATE, context, key)


@require_safe
def roadmap_map(request, slug):
    """The roadmap's map alone: the roadmap page's map refreshes itself from here (htmx) when
    the learner's progress changes. Cached like the page, under the same versions."""
    versions = access.found(page_versions(slug, request.user))
    key = ["map", *versions.key, request.user.is_authenticated]

    def context():
        roadmap = access.roadmap_for_page(versions)
        page = pages.roadmap_page(
            roadmap, request.user, with_history=False, enrollment=versions.enrollment
        )
        return {"map": page.map}

    return fragments.render_page(request, partials.MAP_RESPONSE, context, key)


@require_safe
def step_detail(request, slug, key):
    """One step: what to tick, read and keep, and where it sits among the others."""
    versions = access.found(page_versions(slug, request.user))
    cache_key = ["step", *versions.key, key, request.user.is_authenticated]

    def context():
        roadmap = access.roadmap_for_page(versions)
        step_page = pages.step_page(roadmap, key, request.user, enrollment=versions.enrollment)
        step_page = access.found(step_page)
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
    roadmap = access.roadmap_for_curator(request.user, slug)
    page = pages.roadmap_page(roadmap, request.user, preview=True)
    frame = pages.roadmap_frame(page, request.user, preview=True)
    context = {"frame": frame, "roadmap": page.roadmap, "page": page, "preview": True}
    return render(request, TEMPLATE, context)


@require_safe
def roadmap_insight(request, slug):
    """Where learners stall on a roadmap: for curators, a 404 for anyone else."""
    roadmap = access.roadmap_for_curator(request.user, slug)
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
