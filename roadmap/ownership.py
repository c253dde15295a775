"""Learners' own roadmaps: made from a spec (the editor, an upload or a copy), written by the
same loader as curated content, and tracked like any roadmap (the owner is enrolled at once).

An own roadmap's URL slug is its key, "_" and a random suffix: keys are unique per owner only
(two learners may both have "rust"), curated keys never hold "_" (the YAML key rule), and the
suffix keeps one owner's URLs from telling anything about another's.
"""

import math
import secrets
import time
from dataclasses import replace

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.throttling import count_attempt, throttle_key
from roadmap.content.loader import write_roadmap
from roadmap.content.reading import parse_text
from roadmap.content.schema import ContentError, Problem
from roadmap.models import Enrollment, Roadmap, Skill

SLUG_SUFFIX_BYTES = 4  # eight hex digits

# Limits on what one learner may own (curated content has the schema's larger ones). Checked
# on every write of an own roadmap (editor, upload, copy), after the schema's own checks.
ROADMAPS_PER_USER = 20
STEPS_PER_ROADMAP = 200  # the shipped roadmap has 46; a copy of it must fit
MILESTONES_PER_STEP = 20
UPLOAD_MAX_BYTES = 256 * 1024
# New roadmaps (created, uploaded or copied) per user per hour, counted in the cache like the
# account throttles (accounts/throttling.py).
CREATIONS_PER_HOUR = 30
THROTTLE_PERIOD = 3600
# How long a new-roadmap form's repeats (a double click, a second tab) are told apart from a
# new form, and how long a repeat waits for the first one's roadmap.
FORM_SECONDS = 60
FORM_WAIT = 5


def limit_problems(spec, source="<roadmap>"):
    """What in a valid spec is over an own roadmap's limits, as the loader's Problems."""
    problems = []
    steps = spec.steps()
    if len(steps) > STEPS_PER_ROADMAP:
        message = ngettext(
            "an own roadmap has at most %(limit)d step; this one has %(count)d",
            "an own roadmap has at most %(limit)d steps; this one has %(count)d",
            STEPS_PER_ROADMAP,
        )
        problems.append(
            Problem(source, "phases", message % {"limit": STEPS_PER_ROADMAP, "count": len(steps)})
        )
    for p, phase in enumerate(spec.phases):
        for s, step in enumerate(phase.steps):
            if len(step.milestones) > MILESTONES_PER_STEP:
                message = ngettext(
                    "a step has at most %(limit)d milestone; this one has %(count)d",
                    "a step has at most %(limit)d milestones; this one has %(count)d",
                    MILESTONES_PER_STEP,
                )
                values = {"limit": MILESTONES_PER_STEP, "count": len(step.milestones)}
                problems.append(
                    Problem(source, f"phases[{p}].steps[{s}].milestones", message % values)
                )
    return problems


def check_limits(spec, source="<roadmap>"):
    """Raise ContentError when the spec is over an own roadmap's limits."""
    problems = limit_problems(spec, source)
    if problems:
        raise ContentError(problems)


def room_for_another(owner):
    """Whether the owner may have one more roadmap (ROADMAPS_PER_USER)."""
    return Roadmap.objects.owned_by(owner).count() < ROADMAPS_PER_USER


def wait_before_new_roadmap(user):
    """Count one new own roadmap; the seconds to wait when the user made more than
    CREATIONS_PER_HOUR this hour, else 0 (if the cache is down, nothing is refused)."""
    now = time.time()
    key = throttle_key("own-roadmap", "user", str(user.pk), int(now // THROTTLE_PERIOD))
    if count_attempt(key, THROTTLE_PERIOD) <= CREATIONS_PER_HOUR:
        return 0
    return max(1, math.ceil(THROTTLE_PERIOD - now % THROTTLE_PERIOD))


def claim_form(user, form_id):
    """Whether this request is the first to answer the form `form_id` that makes a new
    roadmap (True too when the cache cannot count: nothing is refused then). A double click or
    a second tab sending the same form at the same moment is not first; it waits for the
    first one's roadmap with `made_by_form`."""
    return count_attempt(_form_key(user, form_id), FORM_SECONDS) <= 1


def form_made(user, form_id, slug):
    """Remember which roadmap the form made, for its repeats (`made_by_form`)."""
    cache.set(_form_key(user, form_id, "made"), slug, FORM_SECONDS)


def form_failed(user, form_id):
    """The form made nothing (refused): the same form may be sent again."""
    cache.delete(_form_key(user, form_id))


def made_by_form(user, form_id, wait=FORM_WAIT):
    """The slug of the roadmap the first sending of this form made, waiting up to `wait`
    seconds for it; None when it made none (refused, or not done in time)."""
    deadline = time.monotonic() + wait
    while True:
        slug = cache.get(_form_key(user, form_id, "made"))
        if slug or time.monotonic() >= deadline or cache.get(_form_key(user, form_id)) is None:
            return slug
        time.sleep(0.1)


def _form_key(user, form_id, what="claim"):
    return throttle_key(f"own-new-form-{what}", "user", f"{user.pk}:{form_id}", 0)


def too_many_message():
    return _("You can have up to %(limit)d roadmaps of your own. Delete one to make another.") % {
        "limit": ROADMAPS_PER_USER
    }


def owned_slug(key):
    return f"{key}_{secrets.token_hex(SLUG_SUFFIX_BYTES)}"


def free_key(owner, key):
    """`key`, or `key-2`, `key-3`… when the owner already has a roadmap with that key."""
    taken = set(Roadmap.objects.owned_by(owner).values_list("key", flat=True))
    if key not in taken:
        return key
    number = 2
    while f"{key}-{number}" in taken:
        number += 1
    return f"{key}-{number}"


def create_own_roadmap(owner, spec, **fields):
    """Write a new own roadmap from a validated spec and enrol its owner; returns the roadmap.

    The spec must be within the limits (`check_limits`, raised here too); the caller checks
    `room_for_another` and the throttle, and picks a `free_key` for the spec's slug.
    `fields` are set on the new row before it is written (the copy's origin and revision).
    """
    from roadmap.learning import enrol  # learning builds on the models this module writes

    check_limits(spec)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                roadmap = Roadmap(slug=owned_slug(spec.slug), **fields)
                report = write_roadmap(spec, owner=owner, roadmap=roadmap)
                enrol(owner, report.roadmap)
                return report.roadmap
        except IntegrityError:
            if Roadmap.objects.owned_by(owner).filter(key=spec.slug).exists():
                raise
    raise IntegrityError("no free slug for an own roadmap")


def read_upload(upload, source=None):
    """The spec in an uploaded YAML file (a Django UploadedFile), or ContentError naming what
    is wrong: over UPLOAD_MAX_BYTES (refused before the file is read), not UTF-8, not YAML,
    not a roadmap. The status it states is ignored: an own roadmap is never published."""
    source = source or upload.name or "<upload>"
    too_big = _("the file is larger than %(limit)d KiB, the limit for an uploaded roadmap") % {
        "limit": UPLOAD_MAX_BYTES // 1024
    }
    if upload.size is not None and upload.size > UPLOAD_MAX_BYTES:
        raise ContentError([Problem(source, "", too_big)])
    data = upload.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise ContentError([Problem(source, "", too_big)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = _("the file is not UTF-8 text (byte %(position)d)") % {
            "position": error.start + 1
        }
        raise ContentError([Problem(source, "", message)]) from None
    spec = parse_text(text, source)
    check_limits(spec, source)
    return spec


def create_with_free_key(owner, spec):
    """A new own roadmap from a spec; its slug becomes the key, or `key-2`… when the owner
    already has that key (uploading a downloaded file again makes a second one)."""
    for _attempt in range(5):
        try:
            return create_own_roadmap(owner, replace(spec, slug=free_key(owner, spec.slug)))
        except IntegrityError:  # another tab took the same free key a moment ago
            continue
    raise IntegrityError("no free key for a new own roadmap")


upload_own_roadmap = create_with_free_key


@transaction.atomic
def replace_own_roadmap(roadmap, spec):
    """Write a spec into one of the owner's roadmaps, keeping its key and URL and the owner's
    progress; content the spec drops is deleted, or archived when it has history. Returns the
    loader's report, or None when another tab deleted the roadmap a moment ago (writing into
    the row held in memory would have made it again, with nobody enrolled)."""
    check_limits(spec)
    locked = Roadmap.objects.select_for_update().filter(pk=roadmap.pk, owner=roadmap.owner)
    locked = locked.first()
    if locked is None:
        return None
    return write_roadmap(replace(spec, slug=locked.key), owner=locked.owner, roadmap=locked)


@transaction.atomic
def delete_own_roadmap(roadmap):
    """Delete an own roadmap with the enrolment data on it (progress, skips, notes, links,
    history, its share and calendar links) and the owner's skills nothing uses any more.

    Learner data goes first, as in accounts/deletion.py: progress points at content with
    PROTECT, so nothing is left to refuse the roadmap's delete. Returns whether it was there.
    """
    from accounts.deletion import LEARNER_DATA

    locked = Roadmap.objects.select_for_update().filter(pk=roadmap.pk, owner=roadmap.owner)
    if not locked.exists():  # deleted in another tab a moment ago
        return False
    enrollments = Enrollment.objects.filter(roadmap=roadmap)
    for model in LEARNER_DATA:
        model.objects.filter(enrollment__in=enrollments).delete()
    enrollments.delete()
    locked.delete()
    Skill.objects.filter(owner=roadmap.owner, steps__isnull=True).delete()
    return True
