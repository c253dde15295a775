from django.urls import path, register_converter

from config.integers import IdConverter
from roadmap.models import Enrollment
from roadmap.views import dashboards, learner, notes, public, undo

app_name = "roadmap"

register_converter(IdConverter, "id")

roadmap = "roadmaps/<slug:slug>/"

urlpatterns = [
    path("", public.home, name="home"),
    path("roadmaps/", public.catalogue, name="catalogue"),
    path(roadmap, public.roadmap_detail, name="roadmap-detail"),
    path("dashboard/", dashboards.overview, name="dashboard"),
    path("dashboard/<slug:slug>/", dashboards.roadmap_dashboard, name="dashboard-roadmap"),
    path("dashboard/<slug:slug>/goals/", dashboards.goals, name="goals"),
    path(f"{roadmap}enrol/", learner.enrol, name="enrol"),
    path(
        f"{roadmap}pause/",
        learner.set_status,
        {"status": Enrollment.Status.PAUSED},
        name="pause",
    ),
    path(
        f"{roadmap}resume/",
        learner.set_status,
        {"status": Enrollment.Status.ACTIVE},
        name="resume",
    ),
    path(f"{roadmap}leave/", learner.leave, name="leave"),
    path(f"{roadmap}reset/", learner.reset_roadmap, name="roadmap-reset"),
    path(f"{roadmap}history/", learner.history_list, name="history"),
    path(f"{roadmap}changes/seen/", learner.dismiss_changes, name="changes-seen"),
    path(f"{roadmap}map/", public.roadmap_map, name="roadmap-map"),
    path(f"{roadmap}preview/", public.roadmap_preview, name="roadmap-preview"),
    path(f"{roadmap}insight/", public.roadmap_insight, name="roadmap-insight"),
    path(f"{roadmap}milestones/<id:milestone_id>/", learner.tick, name="milestone-tick"),
    path(f"{roadmap}undo/", undo.undo, name="undo"),
    path(f"{roadmap}undo/dismiss/", undo.dismiss, name="undo-dismiss"),
    path(f"{roadmap}steps/<slug:key>/", public.step_detail, name="step-detail"),
    path(f"{roadmap}steps/<slug:key>/skip/", learner.skip_step, name="step-skip"),
    path(f"{roadmap}steps/<slug:key>/reset/", learner.reset_step, name="step-reset"),
    path(f"{roadmap}steps/<slug:key>/notes/", notes.step_notes, name="step-notes"),
    path(f"{roadmap}steps/<slug:key>/links/", notes.add_link, name="link-add"),
    path(
        f"{roadmap}steps/<slug:key>/links/<id:link_id>/delete/",
        notes.delete_link,
        name="link-delete",
    ),
    path(f"{roadmap}phases/<slug:key>/skip/", learner.skip_phase, name="phase-skip"),
    path(f"{roadmap}phases/<slug:key>/reset/", learner.reset_phase, name="phase-reset"),
    path("healthz", public.healthz, name="healthz"),
]
