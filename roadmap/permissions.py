"""The Curators group and its permissions, in one place.

Migration 0005 imports this module, so it must import no models (nor anything that does).
"""

CURATORS = "Curators"

CONTENT_MODELS = ("roadmap", "phase", "step", "milestone", "resource", "skill")

# Codenames of the roadmap app's permissions: edit content in the admin, read its revisions;
# nothing about users or learner data.
CURATOR_PERMISSIONS = (
    *(
        f"{action}_{model}"
        for model in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    ),
    "view_revision",
)
