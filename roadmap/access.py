"""Who may see what: one function per kind of thing, so each rule lives in one place.

Each `*_for_*` function returns the thing when the user may see or change it, and raises
Http404 otherwise: someone else's enrolment, a draft roadmap or an archived step looks the
same as one that does not exist. Views call these before anything else.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap import outline, versions
from roadmap.kept import Kept
from roadmap.models import Enrollment, Milestone, PersonalLink, Phase, Roadmap, Step
from sharing.links import live_share


def is_curator(user):
    """Whether the user may see curator pages: draft previews, insight and the admin.

    The admin lets in only active staff (AdminSite.has_permission); curating needs the
    roadmap permissions the Curators group grants (a superuser has every permission). The
    preview and insight pages use this same rule, so none of the three shows more than another.
    """
    return user.is_active and user.is_staff and user.has_perm("roadmap.view_roadmap")


_roadmaps = Kept(64)  # roadmap rows each process keeps (roadmap_for_page): per content version


def roadmap_for_page(versions):
    """The roadmap a page's versions name (roadmap/versions.py: page_versions, which applied
    the rules of roadmap_for_visitor and found it); else a 404, if it is gone meanwhile.

    Each process keeps the rows it read, by the roadmap's id, creation time and content
    version: every change to a roadmap's row raises its content version, so a kept row is
    never older than the version read, and a page rendered after a learner's change does not
    read the roadmap again. Callers get their own copy of the row."""
    key = versions.roadmap_version
    roadmap = _roadmaps.through(
        key, lambda: found(Roadmap.objects.filter(pk=versions.roadmap_id).first())
    )
    return outline.fresh(roadmap)


def roadmap_for_visitor(user, slug):
    """A roadmap this user may see and enrol in: a published curated one, or one they own.
    Someone else's own roadmap is a 404, as if it did not exist."""
    return get_object_or_404(Roadmap.objects.trackable_by(user), slug=slug)


def roadmap_for_owner(user, slug):
    """One of the user's own roadmaps, to edit, download or delete; a 404 for anyone else
    (curators included: curated roadmaps are edited in the admin)."""
    return get_object_or_404(Roadmap.objects.owned_by(user), slug=slug)


def copy_for_owner(user, slug):
    """One of the user's own roadmaps that is a copy of a curated one (roadmap/copies.py), to
    review and apply its original's changes; a 404 for anyone else, and for other roadmaps."""
    return get_object_or_404(Roadmap.objects.owned_by(user).filter(origin__isnull=False), slug=slug)


def curated_roadmap_for_copy(user, slug):
    """A published curated roadmap a logged-in learner may copy."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Roadmap.objects.published(), slug=slug)


def roadmap_for_curator(user, slug):
    """Any curated roadmap, drafts included, for a curator (preview, insight); a 404 for anyone
    else, and for learners' own roadmaps, which curators do not see."""
    if not is_curator(user):
        raise Http404
    return get_object_or_404(Roadmap.objects.curated(), slug=slug)


def enrollment_for_user(user, slug):
    """The user's enrolment in this roadmap (published, or their own), unless they left it;
    else a 404."""
    return get_object_or_404(
        Enrollment.objects.current().select_related("roadmap"),
        user=user,
        roadmap__in=Roadmap.objects.trackable_by(user).filter(slug=slug),
    )


def enrollment_to_change(user, slug):
    """The enrolment `enrollment_for_user` would return, locked for a change the caller writes
    next in the same transaction (call it inside `transaction.atomic`): it is found by raising
    its version, in one statement (roadmap/versions.py: raise_enrollment_version), so the
    cached pages it keys are fresh once the change commits. A 404 leaves nothing raised."""
    enrollment = versions.raise_enrollment_version(user, slug)
    if enrollment is None:
        raise Http404
    return enrollment


def enrollment_for_undo(user, slug, enrollment_id):
    """The user's enrolment an undo offer names, even one they left (undo brings it back)."""
    return get_object_or_404(
        Enrollment.objects.select_related("roadmap"),
        pk=enrollment_id,
        user=user,
        roadmap__slug=slug,
    )


def phase_for_learner(enrollment, key):
    """A live phase of the enrolment's roadmap."""
    return get_object_or_404(Phase.objects.live(), roadmap=enrollment.roadmap, key=key)


def step_for_learner(enrollment, key):
    """A step of the enrolment's roadmap that learners see (live, in a live phase)."""
    return get_object_or_404(Step.objects.shown(), roadmap=enrollment.roadmap, key=key)


def milestone_for_learner(enrollment, milestone_id):
    """A milestone of the enrolment's roadmap that learners may tick (live, on a live step in
    a live phase), as an unsaved Milestone with its id, key, title and step. Read from the
    roadmap's cached outline (roadmap/outline.py), so a tick asks the database nothing here."""
    found = outline.roadmap_outline(enrollment.roadmap).milestones.get(milestone_id)
    if found is None:
        raise Http404
    return Milestone(
        pk=found.pk,
        roadmap_id=enrollment.roadmap_id,
        step_id=found.step_id,
        key=found.key,
        title=found.title,
    )


def link_for_learner(enrollment, step, link_id):
    """One of the learner's own links on this step."""
    return get_object_or_404(PersonalLink, pk=link_id, enrollment=enrollment, step=step)


def found(thing):
    """What a page's `locate_*` found on it (roadmap/pages.py), or a 404 when it found nothing."""
    if thing is None:
        raise Http404
    return thing


def share_for_token(token):
    """The shared progress link this secret opens (sharing/links.py), else a 404: a wrong,
    revoked or over-long token, a roadmap the learner left, an unpublished roadmap or a
    deactivated account all look the same."""
    share = live_share(token)
    if share is None:
        raise Http404
    return share
