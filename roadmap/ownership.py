"""Learners' own roadmaps: made from a spec (the editor, an upload or a copy), written by the
same loader as curated content, and tracked like any roadmap (the owner is enrolled at once).

An own roadmap's URL slug is its key, "_" and a random suffix: keys are unique per owner only
(two learners may both have "rust"), curated keys never hold "_" (the YAML key rule), and the
suffix keeps one owner's URLs from telling anything about another's.
"""

import secrets

from django.db import IntegrityError, transaction

from roadmap.content.loader import write_roadmap
from roadmap.models import Roadmap

SLUG_SUFFIX_BYTES = 4  # eight hex digits


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

    `fields` are set on the new row before it is written (the copy's origin and revision).
    """
    from roadmap.learning import enrol  # learning builds on the models this module writes

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
