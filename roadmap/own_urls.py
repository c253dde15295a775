"""URLs of a learner's own roadmaps (namespace "own"), listed in the README.

Every view here finds its roadmap through roadmap/access.py (`roadmap_for_owner`, or
`curated_roadmap_for_copy` for a copy), so anyone but the owner gets a 404.
"""

from django.urls import path

from roadmap.views import copies, editor, own

app_name = "own"

# `mine` prefixes the URLs of one own roadmap.
mine = "<slug:slug>/"

urlpatterns = [
    # Own roadmaps: the list, new, upload, download, delete (roadmap/views/own.py).
    path("", own.own_list, name="list"),
    path("upload/", own.upload, name="upload"),
    path(f"{mine}upload/", own.replace, name="replace"),
    path(f"{mine}download/", own.download, name="download"),
    path(f"{mine}delete/", own.delete, name="delete"),
    # The editor (roadmap/views/editor.py).
    path("new/", editor.new_roadmap, name="new"),
    path(f"{mine}edit/", editor.edit, name="edit"),
    path(f"{mine}edit/phases/", editor.add_phase, name="edit-phase-add"),
    path(f"{mine}edit/phases/<slug:key>/", editor.phase, name="edit-phase"),
    path(f"{mine}edit/phases/<slug:key>/steps/", editor.add_step, name="edit-step-add"),
    path(f"{mine}edit/steps/<slug:key>/", editor.step, name="edit-step"),
    path(
        f"{mine}edit/steps/<slug:key>/milestones/", editor.add_milestone, name="edit-milestone-add"
    ),
    path(
        f"{mine}edit/steps/<slug:key>/milestones/<slug:milestone>/",
        editor.milestone,
        name="edit-milestone",
    ),
    path(f"{mine}edit/steps/<slug:key>/resources/", editor.add_resource, name="edit-resource-add"),
    path(
        f"{mine}edit/steps/<slug:key>/resources/<int:index>/",
        editor.resource,
        name="edit-resource",
    ),
    path(f"{mine}edit/steps/<slug:key>/skills/", editor.step_skills, name="edit-step-skills"),
    path(f"{mine}edit/steps/<slug:key>/requires/", editor.step_requires, name="edit-step-requires"),
    path(f"{mine}edit/skills/<slug:skill>/", editor.skill, name="edit-skill"),
    # Copies of curated roadmaps and their original's changes (roadmap/views/copies.py).
    path("copy/<slug:slug>/", copies.copy, name="copy"),
    path(f"{mine}changes/", copies.changes, name="changes"),
    path(f"{mine}changes/apply/", copies.apply, name="change-apply"),
    path(f"{mine}changes/dismiss/", copies.dismiss, name="change-dismiss"),
]
