"""A learner's read-only link to their progress on one roadmap."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmap.models import Enrollment


class Share(models.Model):
    """The secret link to one enrolment's progress; deleting the row revokes it.

    Only the SHA-256 of the link's token is kept (sharing/links.py). One live link per
    enrolment: making a new one replaces the fingerprint, so the old link stops working. A
    share of a learner's own roadmap (issue 16) would be a nullable `roadmap` beside a nullable
    `enrollment`, with a check that exactly one is set, found through the same token lookup.
    """

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
    created_at = models.DateTimeField(_("link made"), auto_now_add=True)

    class Meta:
        verbose_name = _("shared progress link")
        verbose_name_plural = _("shared progress links")

    def __str__(self):
        return str(self.enrollment)
