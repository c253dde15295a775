"""URLs of a learner's own roadmaps (namespace "own"), listed in the README.

Every view here finds its roadmap through roadmap/access.py (`roadmap_for_owner`, or
`curated_roadmap_for_copy` for a copy), so anyone but the owner gets a 404.
"""

from django.urls import path

from roadmap.views import copies, own

app_name = "own"

# Each helper adds `from django.urls import path` and its views; `mine` prefixes a roadmap.
mine = "<slug:slug>/"

urlpatterns = [
    # Own roadmaps: the list, new, upload, download, delete (roadmap/views/own.py).
    path("", own.own_list, name="list"),
    path("upload/", own.upload, name="upload"),
    path(f"{mine}upload/", own.replace, name="replace"),
    path(f"{mine}download/", own.download, name="download"),
    path(f"{mine}delete/", own.delete, name="delete"),
    # The editor (roadmap/views/editor.py).
    # Copies of curated roadmaps and their original's changes (roadmap/views/copies.py).
    path("copy/<slug:slug>/", copies.copy, name="copy"),
    path(f"{mine}changes/", copies.changes, name="changes"),
    path(f"{mine}changes/apply/", copies.apply, name="change-apply"),
    path(f"{mine}changes/dismiss/", copies.dismiss, name="change-dismiss"),
]
