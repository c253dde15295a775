"""A learner's read-only link to a roadmap: their progress on it, or, for a roadmap they own,
the roadmap alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmap.models import Enrollment


class Share(models.Model):
    """The secret link to one enrolment's roadmap; deleting the row revokes it.

    Only the SHA-256 of the link's token is kept (sharing/links.py). One live link per
    enrolment: making a new one replaces the fingerprint, so the old link stops working. What
    the link shows (`shows`) is the learner's progress, or for their own roadmap the roadmap
    only; changing it keeps the link.
    """

    class Shows(models.TextChoices):
        PROGRESS = "progress", _("the roadmap with my progress")
        ROADMAP = "roadmap", _("the roadmap only")

    enrollment = models.OneToOneField(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="share",
        verbose_name=_("enrolment"),
    )
    token_hash = models.CharField(_("token fingerprint"), max_length=64, unique=True)
    allow_indexing = models.BooleanField(
        _("search engines may list it"),
        default=False,
        help_text=_("Off: the shared page asks search engines not to index it."),
    )
    shows = models.CharField(
        _("what the link shows"),
        max_length=8,
        choices=Shows.choices,
        default=Shows.PROGRESS,
        help_text=_("The roadmap only is for the learner's own roadmaps (sharing/links.py)."),
    )
    created_at = models.DateTimeField(_("link made"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared link")
        verbose_name_plural = _("shared links")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shows__in=["progress", "roadmap"]),
                name="share_shows_known",
            ),
        ]

    def __str__(self):
        return str(self.enrollment)

    @property
    def shows_progress(self):
        return self.shows == self.Shows.PROGRESS
