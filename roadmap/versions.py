"""The cache contract: version counters, and every cache key built from them.

Every change a learner makes raises `Enrollment.version`; every change to a roadmap's content
raises `Roadmap.content_version`; each counter goes up through functions here only
(`learner_changed`/`enrollments_changed`, `raise_enrollment_version` for a tick, which finds
the enrolment in the same statement; `content_changed`), never an inline `F() + 1`. A
raise happens after the change it follows, or in the same UPDATE or transaction, so whoever
reads a counter reads content at least as new as it. Cached things are keyed by the counters,
with keys built here only: the content cache (`content_cache_key`), whole pages (`page_key`,
from `page_versions`) and each step of a roadmap page (`step_key`), stored by
roadmap/pages.py and roadmap/fragments.py. A change makes new keys: nothing is ever deleted,
and nothing stale can be served again, on any app server, whatever the cache. Keys of
rendered HTML also name the deployment's templates and code (`release`), so a deploy never
serves HTML an older one rendered.

Learner writes raise their counter themselves, in roadmap/learning.py and roadmap/curation.py
(most use bulk queries that send no signals) and in the admin (LearnerDataAdmin). Content
changes are caught by the signals below, plus explicit calls where bulk queries change content
(loader, publishing, admin actions).
"""

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.db.models.sql import Query
from django.urls import get_script_prefix
from django.utils import timezone, translation

from roadmap.models import (
    Enrollment,
    Milestone,
    Phase,
    Resource,
    Revision,
    Roadmap,
    Skill,
    Step,
)


def enrollments_changed(enrollments, **fields):
    """Raise the version of these enrolments (a queryset), writing `fields` in the same UPDATE;
    return how many changed. The one place `Enrollment.version` goes up through the ORM
    (`raise_enrollment_version` writes the same raise in SQL)."""
    return enrollments.update(version=F("version") + 1, **fields)


def learner_changed(*enrollment_ids, **fields):
    """Raise the version of these enrolments, writing `fields` in the same UPDATE."""
    return enrollments_changed(Enrollment.objects.filter(pk__in=enrollment_ids), **fields)


# What raise_enrollment_version returns: the enrolment's columns, then what a tick needs of
# its roadmap (its URLs, and the key of the cached outline of its content).
_ENROLLMENT_FIELDS = Enrollment._meta.concrete_fields
_ROADMAP_FIELDS = [
    Roadmap._meta.get_field(name) for name in ("slug", "created_at", "content_version")
]
_RAISE_SQL = """
    UPDATE {enrollment} SET version = version + 1
    WHERE user_id = %s AND status <> %s AND roadmap_id = (
        SELECT r.id FROM {roadmap} r
        WHERE r.slug = %s AND ((r.owner_id IS NULL AND r.status = %s) OR r.owner_id = %s)
    )
    RETURNING {columns}, {roadmap_columns}
"""


def raise_enrollment_version(user, slug):
    """Find the user's enrolment in the roadmap with this slug and raise its version, in one
    statement; return it, with its roadmap's slug, creation time and content version loaded
    (its other fields deferred), or None if there is none they may change.

    For a change written next in the same transaction: the UPDATE locks the enrolment's row
    until commit on PostgreSQL (SQLite's IMMEDIATE transactions hold the write lock from
    BEGIN), so finding, locking and raising cost one round trip instead of two. It applies
    the rules of roadmap/access.py's `enrollment_for_user` (the queryset methods
    `trackable_by` and `current`) through the models' status constants, as `page_versions`
    does. UPDATE ... RETURNING (SQLite 3.35+, PostgreSQL) has no ORM API, hence the SQL;
    RETURNING may not name a joined table on SQLite, so the roadmap's columns are subqueries.
    """
    quote = connection.ops.quote_name
    enrollment_table = quote(Enrollment._meta.db_table)
    roadmap_table = quote(Roadmap._meta.db_table)
    sql = _RAISE_SQL.format(
        enrollment=enrollment_table,
        roadmap=roadmap_table,
        columns=", ".join(quote(field.column) for field in _ENROLLMENT_FIELDS),
        roadmap_columns=", ".join(
            f"(SELECT r.{quote(field.column)} FROM {roadmap_table} r"
            f" WHERE r.id = {enrollment_table}.roadmap_id)"
            for field in _ROADMAP_FIELDS
        ),
    )
    params = [user.pk, Enrollment.Status.LEFT, slug, Roadmap.Status.PUBLISHED, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    values = _converted(rows[0], [*_ENROLLMENT_FIELDS, *_ROADMAP_FIELDS])
    split = len(_ENROLLMENT_FIELDS)
    enrollment = Enrollment.from_db(
        connection.alias, [field.attname for field in _ENROLLMENT_FIELDS], values[:split]
    )
    enrollment.roadmap = Roadmap.from_db(
        connection.alias,
        ["id", *(field.attname for field in _ROADMAP_FIELDS)],
        [enrollment.roadmap_id, *values[split:]],
    )
    return enrollment


def _converted(row, fields):
    """A row of raw SQL as the ORM would load it into these fields (SQLite's dates are text),
    by the same converters a raw() queryset applies."""
    compiler = Query(Enrollment).get_compiler(connection=connection)
    converters = compiler.get_converters(
        [field.get_col(field.model._meta.db_table) for field in fields]
    )
    return list(next(compiler.apply_converters([row], converters)))


def content_changed(*roadmap_ids, **fields):
    """Raise the content version of these roadmaps, writing `fields` in the same UPDATE. The
    one place `Roadmap.content_version` goes up."""
    roadmaps = Roadmap.objects.filter(pk__in=roadmap_ids)
    return roadmaps.update(content_version=F("content_version") + 1, **fields)


def content_key(roadmap):
    """One version of a roadmap's content, for cache keys: the roadmap's id and creation time
    (a database reset under a long-lived cache cannot meet old entries) and content version."""
    return (roadmap.pk, roadmap.created_at.timestamp(), roadmap.content_version)


def content_cache_key(kind, roadmap):
    """The cache key of what is worked out from one version of a roadmap's content only."""
    return f"{kind}:" + ":".join(map(str, content_key(roadmap)))


@dataclass(frozen=True)
class PageVersions:
    """What a page of one published roadmap, seen by one user, was rendered from."""

    roadmap_id: int
    enrollment_id: int | None  # None: not enrolled (or left), or not logged in
    # ids, creation times and version counters of the roadmap and the enrolment; for a copy,
    # also its original's latest revision number (the copy's page says what changed since)
    key: tuple
    # the enrolment's row as of this read, so a page rendered after a change (a cache miss)
    # need not read it again; not part of the key (its version counter is)
    enrollment: Enrollment | None = field(default=None, compare=False, repr=False)

    @property
    def roadmap_version(self):
        """The roadmap's id, creation time and content version, as read (a process's key for
        what depends on the roadmap's row and content alone)."""
        return self.key[:3]


_PAGE_VERSIONS_SQL = """
    SELECT r.id, r.created_at, r.content_version, e.id, e.created_at, e.version,
        (SELECT MAX(v.number) FROM {revision} v WHERE v.roadmap_id = r.origin_id), {columns}
    FROM {roadmap} r
    LEFT JOIN {enrollment} e ON e.roadmap_id = r.id AND e.user_id = %s AND e.status <> %s
    WHERE r.slug = %s AND ((r.owner_id IS NULL AND r.status = %s) OR r.owner_id = %s)
"""


def page_versions(slug, user):
    """The versions a page of this roadmap depends on for this user, or None if there is no
    such roadmap they may see. Written in SQL: it runs on every view of a cached page, where
    building the query with the ORM took longer than running it. It applies the rules of
    roadmap/access.py (`roadmap_for_visitor`, `enrollment_for_user`, i.e. the querysets
    `trackable_by` and `current`): published curated roadmaps and the user's own, and
    enrolments not left, through the models' status constants. A copy of a curated roadmap
    (roadmap/copies.py) shows what its original changed since: its key holds the original's
    latest revision number, and the copy's own bookkeeping of those changes raises its content
    version."""
    quote = connection.ops.quote_name
    fields = _ENROLLMENT_FIELDS
    sql = _PAGE_VERSIONS_SQL.format(
        roadmap=quote(Roadmap._meta.db_table),
        enrollment=quote(Enrollment._meta.db_table),
        revision=quote(Revision._meta.db_table),
        columns=", ".join(f"e.{quote(field.column)}" for field in fields),
    )
    params = [user.pk, Enrollment.Status.LEFT, slug, Roadmap.Status.PUBLISHED, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    key, columns = tuple(row[:7]), row[7:]
    enrollment = None
    if key[3] is not None:
        converted = _converted(columns, fields)
        enrollment = Enrollment.from_db(connection.alias, [f.attname for f in fields], converted)
    return PageVersions(roadmap_id=row[0], enrollment_id=row[3], key=key, enrollment=enrollment)


# Key kinds, renamed when what is stored changes shape (now: a page kept compressed only,
# config/encoding.py: Deflated, or its plain segments; NUL placeholders; roadmap/fragments.py),
# so a shared cache never hands a new server an old entry.
PAGE, STEP, HISTORY, FRAME = "page:3", "step:3", "history:1", "frame:1"
DAY = "learner-day:1"
LIVE, ACTIVITY, CHARTS = "dashboard-live:1", "dashboard-activity:1", "dashboard-charts:1"


def rendering():
    """What every key adds to what a fragment is rendered from: the language and time zone."""
    return translation.get_language(), timezone.get_current_timezone_name()


# What renders cached HTML: the templates and static files (whose hashed names pages link to),
# translations, and the code that fills the templates; folders of the project (BASE_DIR).
RELEASE_SOURCES = (
    "templates",
    "static",
    "locale",
    "config",
    "accounts",
    "roadmap",
    "reminders",
    "sharing",
)


@functools.cache
def release():
    """A digest of this deployment's RELEASE_SOURCES, worked out once per process.

    Every key of rendered HTML holds it (`_digest`): a key names what a fragment is rendered
    from, and the templates and code are part of that. So a deploy that changes a partial's
    markup, or the code that fills it, never meets the fragments an older deploy left in a
    shared cache (Redis outlives app servers), and during a rolling deploy each server serves
    its own release's. Each process's own stores (roadmap/kept.py) start empty with the new
    code, so their keys do not need it."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    files = (
        path
        for folder in RELEASE_SOURCES
        for path in (root / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _digest(kind, parts):
    parts = [*parts, *rendering(), release()]
    return f"{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def page_key(parts):
    """The cache key of a whole rendered page: `parts` are what it was rendered from (the
    versions of `page_versions` and whatever else it shows), plus the language and time zone."""
    return _digest(PAGE, parts)


def frame_key(frame):
    """The cache key of a page's frame (roadmap/fragments.py: render_framed): the frame
    object its template reads outside the holes (pages.RoadmapFrame), whole, so the two
    cannot drift; it names the roadmap's content version too."""
    return _digest(FRAME, [frame])


def step_key(roadmap, line):
    """The cache key of one step's line in a roadmap page's outline (roadmap/fragments.py).

    `line` is the pages.StepLine the line's template reads, and nothing else: the key is made
    of everything the line shows (its state, tally, prerequisites still pending, whether it is
    the next step...), so the two cannot drift, and learners whose lines look the same share
    them. The roadmap's content version comes first, as in every key of its content.
    """
    return _digest(STEP, [*content_key(roadmap), line])


def learner_day_key(kind, enrollment, today, zone):
    """The cache key of what is worked out from a learner's log up to the day before
    yesterday, on their day `today` in `zone` (roadmap/dashboards.py: past_ticked_days).

    The log is append-only and each entry is written at the moment it happens, so those days
    never change again: the key names the enrolment (by id and creation time, which a copy's
    takeover of an enrolment's history changes, roadmap/copies.py) and the learner's day and
    zone, and a new day or zone makes a new key. Yesterday is left to the live query: a tick
    written just before midnight may commit just after it.
    """
    parts = [kind, enrollment.pk, enrollment.created_at.timestamp(), today.isoformat(), str(zone)]
    return f"{DAY}:" + ":".join(map(str, parts))


def dashboard_keys(inputs, here):
    """{part: cache key} of the roadmap dashboard's cached parts, each made of what the part
    is worked out from (dashboards.DashboardInputs), so that a part is neither worked out
    nor rendered while those stay the same: "live", the figures that follow progress and
    goals (all of the inputs, and `here`, the page its forms come back to); "activity",
    the heatmap (the days before yesterday, yesterday's and today's counts, today);
    "charts", the phases, skills and next steps (the content and the learner's marks)."""
    charts = [inputs.content, inputs.slug, inputs.done, inputs.skipped, get_script_prefix()]
    return {
        "live": _digest(LIVE, [inputs, here]),
        "activity": _digest(ACTIVITY, [inputs.past, inputs.recent, inputs.today]),
        "charts": _digest(CHARTS, charts),
    }


def history_key(entry):
    """The cache key of one history entry's HTML (roadmap/history.py): the entry itself (its
    id, kind, time and the titles it shows) with the language and time zone."""
    return _digest(HISTORY, [entry])


def shared_roadmap_parts(share):
    """What a shared link's roadmap-only page (sharing/pages.py: shared_roadmap_page) is
    rendered from, for `page_key`: what the link shows (so a page of one choice is never
    served for the other), whether search engines may list it, and the roadmap's content
    version. Nothing of the learner's is on that page; the share itself is looked up (and a
    revoked link refused) before the cache is asked."""
    roadmap = share.enrollment.roadmap
    return ["shared", share.shows, share.allow_indexing, *content_key(roadmap)]


def _roadmap_id(instance):
    if isinstance(instance, Roadmap):
        return instance.pk
    if isinstance(instance, Resource):
        return Step.objects.filter(pk=instance.step_id).values_list("roadmap_id", flat=True).first()
    return instance.roadmap_id


def _content_saved(sender, instance, **kwargs):
    if isinstance(instance, Skill):  # shared by roadmaps: every roadmap that uses it changes
        used_by = Step.objects.filter(skills=instance).values_list("roadmap_id", flat=True)
        content_changed(*set(used_by))
    else:
        content_changed(_roadmap_id(instance))


def _step_links_changed(sender, instance, action, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Step):
        content_changed(instance.roadmap_id)
    else:  # changed from the other side (a skill, or a required step)
        steps = Step.objects.filter(pk__in=pk_set or ()).values_list("roadmap_id", flat=True)
        content_changed(*set(steps))


def connect():
    for model in (Roadmap, Phase, Step, Milestone, Resource, Skill, Revision):
        post_save.connect(_content_saved, sender=model, dispatch_uid=f"content-{model.__name__}")
        post_delete.connect(_content_saved, sender=model, dispatch_uid=f"content-{model.__name__}")
    for through in (Step.skills.through, Step.requires.through):
        m2m_changed.connect(_step_links_changed, sender=through, dispatch_uid=f"m2m-{through}")
