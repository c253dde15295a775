from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Roadmaps")

    def ready(self):
        from roadmap import versions

        versions.connect()
        versions.release()  # read the sources once, at start-up, not on a first request
