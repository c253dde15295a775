"""Who may see what: one function per kind of thing, so each rule lives in one place."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap.models import Enrollment, Roadmap
from sharing.links import live_share


def is_curator(user):
    """Whether the user may see curator pages: draft previews, insight and the admin.

    The admin lets in only active staff (AdminSite.has_permission); curating needs the
    roadmap permissions the Curators group grants (a superuser has every permission). The
    preview and insight pages use this same rule, so none of the three shows more than another.
    """
    return user.is_active and user.is_staff and user.has_perm("roadmap.view_roadmap")


def enrollment_for_user(user, slug):
    """The user's enrolment in this published roadmap, unless they left it; else a 404.

    (The same name and rule as the access module of the structure refactor, so that the two
    merge into one function.)
    """
    return get_object_or_404(
        Enrollment.objects.select_related("roadmap").exclude(status=Enrollment.Status.LEFT),
        user=user,
        roadmap__slug=slug,
        roadmap__status=Roadmap.Status.PUBLISHED,
    )


def share_for_token(token):
    """The shared progress link this secret opens (sharing/links.py), else a 404: a wrong,
    revoked or over-long token, a roadmap the learner left, an unpublished roadmap or a
    deactivated account all look the same."""
    share = live_share(token)
    if share is None:
        raise Http404
    return share
