"""Scale benchmark: one learner's query time with 20,000 learners, as a ratio to an empty database.

Run from the project folder:  .venv/bin/python bench/scale.py [--learners 20000] [--keep]

It creates a throwaway PostgreSQL database (waypoint_scale_<pid> on --server), migrates it,
loads the shipped ML roadmap and measures, for a sample of learners, the database time of
what each page fetches: the page-building functions run inside CaptureQueriesContext, and
every captured statement is re-run under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) on the same
connection; a page's time is the sum of its statements' "Execution Time" (no rendering, no
Python, no network). Each sampled learner is measured first alone in the database (the
almost-empty baseline), then again after seeding all the learners, with identical data: a
learner's progress is a hash of their number, not of the run. The database is dropped at the
end unless --keep.

Seeding is set-based SQL (INSERT ... SELECT over generate_series), in the order the rows
would have been written (by time, so one learner's rows are spread over the table as in
production), as a bulk load (the big tables' secondary indexes built after the rows, foreign
key triggers off: --server must be a superuser), then VACUUM ANALYZE, as autovacuum would
have done. Caches are off: every figure is a cache miss, as is every page after a tick. The
machine is shared and noisy: read the ratios and the buffer counts, which do not depend on
the noise, more than the milliseconds.
"""

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
ROADMAP_FILE = ROOT / "content" / "roadmaps" / "machine-learning-engineer.yaml"
SLUG = "machine-learning-engineer"
sys.path.insert(0, str(ROOT))

BOUND = 2.0  # a page's query time at scale may be at most this many times the empty one
LARGE_TABLES = {
    "roadmap_milestoneprogress",
    "roadmap_activity",
    "roadmap_stepskip",
    "roadmap_stepnote",
    "roadmap_enrollment",
    "roadmap_personallink",
    "accounts_user",
}
TIME_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
]


def uniform(a, b, salt):
    """SQL for a number in [0, 1) that depends only on (a, b, salt): same data on every run."""
    return (
        f"(((hashint8extended(({a})::bigint * 1000003 + ({b})::bigint, {salt}) >> 11)"
        f" & 9007199254740991)::float8 / 9007199254740992.0)"
    )


# Seeding ---------------------------------------------------------------------------------

# One row per learner number: everything about them that is not per milestone. Learner 1 is
# the heavy one: enrolled a year ago, every milestone done, and much ticking and unticking.
LEARNERS_SQL = f"""
CREATE TEMP TABLE bench_learner AS
SELECT i, reach, age_days, tz, goal, skips, notes, links, target,
       CASE WHEN i = 1 THEN 'active'
            WHEN s < 0.05 THEN 'left'
            WHEN s < 0.13 THEN 'paused'
            WHEN reach > 0.995 THEN 'finished'
            ELSE 'active' END AS status,
       NULL::bigint AS user_id, NULL::bigint AS enrollment_id,
       NULL::timestamptz AS enrolled_at
FROM (
  SELECT i,
         CASE WHEN i = 1 THEN 1.0 ELSE sqrt({uniform("i", 0, 1)}) END AS reach,
         CASE WHEN i = 1 THEN 364 ELSE 14 + floor({uniform("i", 0, 2)} * 350) END AS age_days,
         {uniform("i", 0, 4)} AS s,
         1 + floor({uniform("i", 0, 3)} * {len(TIME_ZONES)})::int AS tz,
         (ARRAY[0, 0, 3, 5, 10, 15])[1 + floor({uniform("i", 0, 5)} * 6)::int] AS goal,
         CASE WHEN i = 1 THEN 2
              WHEN {uniform("i", 0, 6)} < 0.2 THEN 1 + floor({uniform("i", 0, 7)} * 4)::int
              ELSE 0 END AS skips,
         CASE WHEN i = 1 THEN 12
              WHEN {uniform("i", 0, 8)} < 0.08 THEN 1 + floor({uniform("i", 0, 9)} * 3)::int
              ELSE 0 END AS notes,
         CASE WHEN i = 1 THEN 6
              WHEN {uniform("i", 0, 10)} < 0.04 THEN 1 + floor({uniform("i", 0, 11)} * 2)::int
              ELSE 0 END AS links,
         {uniform("i", 0, 12)} < 0.3 AS target
  FROM generate_series(1, %(learners)s) AS i
) AS x;
ALTER TABLE bench_learner ADD PRIMARY KEY (i);
UPDATE bench_learner SET enrolled_at = %(now)s - make_interval(days => age_days::int);

CREATE TEMP TABLE bench_milestone AS
SELECT m.id, m.step_id,
       row_number() OVER (ORDER BY p.position, p.id, s.position, s.id, m.position, m.id) - 1
         AS rank,
       dense_rank() OVER (ORDER BY p.position, p.id, s.position, s.id) - 1 AS step_rank
FROM roadmap_milestone m
JOIN roadmap_step s ON s.id = m.step_id
JOIN roadmap_phase p ON p.id = s.phase_id
WHERE m.roadmap_id = %(roadmap)s AND m.archived_at IS NULL AND s.archived_at IS NULL
  AND p.archived_at IS NULL;
CREATE TEMP TABLE bench_step AS SELECT DISTINCT step_id AS id, step_rank AS rank
FROM bench_milestone;
ANALYZE bench_learner; ANALYZE bench_milestone; ANALYZE bench_step;
"""

# Learners, enrolments and everything they did, for the learners in bench_chosen.
SEED_SQL = f"""
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
  is_staff, is_active, date_joined, display_name, time_zone, weekly_hours_goal)
SELECT '!', false, 'learner' || l.i, '', '', 'learner' || l.i || '@example.com', false, true,
       l.enrolled_at - interval '1 hour', 'Learner ' || l.i,
       (%(zones)s::text[])[l.tz], l.goal
FROM bench_learner l JOIN bench_chosen USING (i)
ORDER BY l.enrolled_at;
UPDATE bench_learner l SET user_id = u.id
FROM accounts_user u, bench_chosen c
WHERE c.i = l.i AND u.username = 'learner' || l.i;

INSERT INTO roadmap_enrollment (status, target_date, weekly_hours, created_at, user_id,
  roadmap_id, seen_revision, version)
SELECT l.status,
       CASE WHEN l.target THEN (l.enrolled_at + interval '300 days')::date END,
       CASE WHEN l.target THEN 6 END,
       l.enrolled_at, l.user_id, %(roadmap)s, %(revision)s, 0
FROM bench_learner l JOIN bench_chosen USING (i)
ORDER BY l.enrolled_at;
UPDATE bench_learner l SET enrollment_id = e.id
FROM roadmap_enrollment e, bench_chosen c
WHERE c.i = l.i AND e.user_id = l.user_id AND e.roadmap_id = %(roadmap)s;

-- "I already know this": the first steps of the roadmap, before any ticking.
CREATE TEMP TABLE bench_skip AS
SELECT l.enrollment_id, s.id AS step_id, l.enrolled_at + interval '10 minutes' AS at
FROM bench_learner l JOIN bench_chosen USING (i) JOIN bench_step s ON s.rank < l.skips;

-- Milestones ticked roughly in roadmap order, as far as the learner has reached, with
-- times spread from their enrolment to now; some were unticked, some unticked and ticked
-- again the next day.
CREATE TEMP TABLE bench_progress AS
SELECT enrollment_id, milestone_id, step_id, first_at,
       CASE WHEN churn < unticked THEN NULL
            WHEN churn < reticked THEN least(first_at + interval '1 day',
                                             %(now)s - interval '1 minute')
            ELSE first_at END AS done_at,
       churn < reticked AS unticked_once
FROM (
  SELECT l.enrollment_id, m.id AS milestone_id, m.step_id,
         l.enrolled_at + (%(now)s - l.enrolled_at)
           * least(0.999, (m.rank + {uniform("l.i", "m.id", 21)})
                          / (l.reach * (%(milestones)s + 10) + 1)) AS first_at,
         {uniform("l.i", "m.id", 22)} AS churn,
         CASE WHEN l.i = 1 THEN 0.0 ELSE 0.04 END AS unticked,
         CASE WHEN l.i = 1 THEN 0.6 ELSE 0.10 END AS reticked
  FROM bench_learner l JOIN bench_chosen USING (i)
  JOIN bench_milestone m
    ON m.rank + 20 * ({uniform("l.i", "m.id", 20)} - 0.5) < l.reach * (%(milestones)s + 10)
  WHERE m.step_rank >= l.skips
) AS x;

INSERT INTO roadmap_milestoneprogress (done_at, first_done_at, enrollment_id, milestone_id)
SELECT done_at, first_at, enrollment_id, milestone_id FROM bench_progress ORDER BY first_at;

INSERT INTO roadmap_stepskip (created_at, enrollment_id, step_id)
SELECT at, enrollment_id, step_id FROM bench_skip ORDER BY at;

INSERT INTO roadmap_activity (kind, created_at, enrollment_id, milestone_id, phase_id, step_id)
SELECT kind, at, enrollment_id, milestone_id, NULL, step_id FROM (
  SELECT 'ticked' AS kind, first_at AS at, enrollment_id, milestone_id, step_id
  FROM bench_progress
  UNION ALL
  SELECT 'unticked', first_at + interval '2 hours', enrollment_id, milestone_id, step_id
  FROM bench_progress WHERE unticked_once
  UNION ALL
  SELECT 'ticked', done_at, enrollment_id, milestone_id, step_id
  FROM bench_progress WHERE unticked_once AND done_at IS NOT NULL
  UNION ALL
  SELECT 'skipped', at, enrollment_id, NULL, step_id FROM bench_skip
) AS log
ORDER BY at;

INSERT INTO roadmap_stepnote (text, updated_at, enrollment_id, step_id)
SELECT repeat('What I learnt here and what to read again. ', 1 + s.rank::int),
       l.enrolled_at + make_interval(days => s.rank::int), l.enrollment_id, s.id
FROM bench_learner l JOIN bench_chosen USING (i) JOIN bench_step s ON s.rank < l.notes;

INSERT INTO roadmap_personallink (title, url, created_at, enrollment_id, step_id)
SELECT 'A link I keep', 'https://example.com/notes/' || l.i || '/' || s.rank,
       l.enrolled_at + make_interval(days => s.rank::int), l.enrollment_id, s.id
FROM bench_learner l JOIN bench_chosen USING (i) JOIN bench_step s ON s.rank < l.links;

DROP TABLE bench_skip, bench_progress;
"""

LEARNER_TABLES = [
    "roadmap_activity",
    "roadmap_milestoneprogress",
    "roadmap_stepskip",
    "roadmap_stepnote",
    "roadmap_personallink",
    "roadmap_enrollment",
]


def seed(cursor, numbers, params):
    """Seed the learners with these numbers (None: all of them) in one transaction.

    Returns {statement's first words: seconds}. Seeding everyone is a bulk load: the big
    tables' secondary indexes are dropped first and built again after, and foreign-key
    triggers are off (the rows are consistent by construction).
    """
    from django.db import transaction

    timings = {}
    with transaction.atomic():
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("DROP TABLE IF EXISTS bench_chosen")
        if numbers is None:
            cursor.execute("CREATE TEMP TABLE bench_chosen AS SELECT i FROM bench_learner")
            cursor.execute("SET LOCAL session_replication_role = replica")
            rebuild = drop_indexes(cursor, BULK_TABLES)
        else:
            cursor.execute(
                "CREATE TEMP TABLE bench_chosen AS SELECT unnest(%s::int[]) AS i", [list(numbers)]
            )
            rebuild = []
        cursor.execute("ANALYZE bench_chosen")
        for statement in SEED_SQL.split(";\n"):
            statement = "\n".join(
                line for line in statement.splitlines() if not line.startswith("--")
            ).strip()
            if not statement:
                continue
            began = time.perf_counter()
            cursor.execute(statement, params)
            timings[" ".join(statement.split()[:3])] = time.perf_counter() - began
        began = time.perf_counter()
        for sql in rebuild:
            cursor.execute(sql)
        if rebuild:
            timings["rebuild indexes"] = time.perf_counter() - began
    return timings


BULK_TABLES = ["roadmap_activity", "roadmap_milestoneprogress"]


def drop_indexes(cursor, tables):
    """Drop the tables' indexes and unique constraints but the primary keys; return how to
    make them again."""
    cursor.execute(
        """
        SELECT t.relname, ix.relname, pg_get_indexdef(i.indexrelid), c.conname,
               pg_get_constraintdef(c.oid)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class ix ON ix.oid = i.indexrelid
        LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = t.oid
                                 AND c.contype = 'u'
        WHERE t.relname = ANY(%s) AND NOT i.indisprimary
        ORDER BY t.relname, ix.relname
        """,
        [tables],
    )
    rebuild = []
    for table, index, definition, constraint, constraint_definition in cursor.fetchall():
        if constraint:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            rebuild.append(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {constraint_definition}'
            )
        else:
            cursor.execute(f'DROP INDEX "{index}"')
            rebuild.append(definition)
    return rebuild


def unseed(cursor):
    cursor.execute(f"TRUNCATE {', '.join(LEARNER_TABLES)}")
    cursor.execute("DELETE FROM accounts_user WHERE username LIKE %s", ["learner%"])
    cursor.execute("UPDATE bench_learner SET user_id = NULL, enrollment_id = NULL")


# Measuring -------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    times: list = field(default_factory=list)  # Execution Time, ms, one per run
    buffers: int = 0  # shared blocks hit or read, the last run
    plan: dict | None = None  # the last run's JSON plan

    @property
    def median(self):
        return statistics.median(self.times)


@dataclass
class PageRun:
    """One page for one learner: its statements and the per-run sums of their times."""

    page: str
    learner: int
    statements: list
    totals: list

    @property
    def median(self):
        return statistics.median(self.totals)

    @property
    def buffers(self):
        return sum(statement.buffers for statement in self.statements)


def explain(cursor, sql, form="JSON"):
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT {form}) {sql}")
    rows = cursor.fetchall()
    if form == "JSON":
        plan = rows[0][0]
        return plan[0] if isinstance(plan, list) else plan
    return "\n".join(row[0] for row in rows)


def nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def measure_learner(number, runs):
    """Every page for one learner: [PageRun], statements timed `runs` times each."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from roadmap import dashboards, history, pages
    from roadmap.models import Enrollment

    user = get_user_model().objects.get(username=f"learner{number}")
    enrollment = Enrollment.objects.select_related("roadmap", "user").get(
        user=user, roadmap__slug=SLUG
    )
    builders = {
        "roadmap page": lambda: pages.roadmap_page(enrollment.roadmap, user),
        "roadmap dashboard": lambda: dashboards.roadmap_dashboard(enrollment),
        "overview dashboard": lambda: dashboards.overview(user),
        "recent activity": lambda: history.recent_activity(enrollment),
    }
    results = []
    with connection.cursor() as cursor:
        for page, build in builders.items():
            build()  # warm up: Python's caches, and the database's
            with CaptureQueriesContext(connection) as captured:
                build()
            statements = [Statement(query["sql"]) for query in captured.captured_queries]
            selects = [
                s for s in statements if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))
            ]
            totals = []
            for __ in range(runs):
                total = 0.0
                for statement in selects:
                    plan = explain(cursor, statement.sql)
                    statement.times.append(plan["Execution Time"])
                    statement.plan = plan
                    top = plan["Plan"]
                    statement.buffers = top.get("Shared Hit Blocks", 0) + top.get(
                        "Shared Read Blocks", 0
                    )
                    total += plan["Execution Time"]
                totals.append(total)
            results.append(PageRun(page, number, selects, totals))
    return results


def pick_sample(cursor, size, learners):
    """Learner 1 (the heavy one) and others at random among those still enrolled."""
    cursor.execute("SELECT i FROM bench_learner WHERE status <> 'left' AND i > 1 ORDER BY i")
    others = [row[0] for row in cursor.fetchall()]
    return [1, *sorted(random.Random(2026).sample(others, min(size - 1, len(others))))]


# Report ----------------------------------------------------------------------------------


def summarise(runs_empty, runs_scale, learners):
    """Per page: queries, medians over learners of their median times, ratio, verdict."""
    by_page = {}
    for run in runs_empty:
        by_page.setdefault(run.page, ([], []))[0].append(run)
    for run in runs_scale:
        by_page[run.page][1].append(run)
    label = f"ms at {learners:,}"
    header = (
        f"{'page':<20}{'queries':>8}{'ms empty':>10}{label:>13}{'ratio':>8}"
        f"{'worst learner':>15}{'buffers empty':>15}{'at scale':>10}  verdict"
    )
    print(header)
    print("-" * len(header))
    failed = False
    for page, (empty, scale) in by_page.items():
        queries = sorted({len(run.statements) for run in scale})
        empty_ms = statistics.median(run.median for run in empty)
        scale_ms = statistics.median(run.median for run in scale)
        ratio = scale_ms / empty_ms if empty_ms else float("inf")
        per_learner = {run.learner: run.median for run in empty}
        worst = max(run.median / per_learner[run.learner] for run in scale)
        buffers_empty = statistics.median(run.buffers for run in empty)
        buffers_scale = statistics.median(run.buffers for run in scale)
        verdict = "PASS" if ratio <= BOUND else "FAIL"
        failed |= verdict == "FAIL"
        count = "/".join(str(q) for q in queries)
        print(
            f"{page:<20}{count:>8}{empty_ms:>10.2f}{scale_ms:>13.2f}{ratio:>7.2f}x"
            f"{worst:>14.2f}x{buffers_empty:>15.0f}{buffers_scale:>10.0f}  {verdict}"
        )
    print(
        f"(medians over the sampled learners of each one's median of the runs; 'worst learner'"
        f" is the largest single learner's ratio; PASS when the ratio is at most {BOUND:g}x)"
    )
    return failed


def detail(runs_empty, runs_scale, learner):
    """Statement by statement for one learner: where the time and the buffers go."""
    empty = {run.page: run for run in runs_empty if run.learner == learner}
    print(f"\nLearner {learner}, statement by statement (median ms, shared buffers):")
    print(
        f"{'page':<20}{'#':>3}{'ms empty':>10}{'at scale':>10}{'buf empty':>11}{'at scale':>10}"
        "  sql"
    )
    for run in runs_scale:
        if run.learner != learner:
            continue
        before = empty[run.page].statements
        for number, (old, new) in enumerate(zip(before, run.statements, strict=False), start=1):
            print(
                f"{run.page:<20}{number:>3}{old.median:>10.3f}{new.median:>10.3f}"
                f"{old.buffers:>11}{new.buffers:>10}  {' '.join(new.sql.split())[:60]}"
            )


LARGE_ROWS = 10_000  # below this a sequential scan is what the planner should choose


def large_tables(cursor):
    """The learner tables that hold enough rows for a sequential scan to matter."""
    cursor.execute(
        "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples >= %s",
        [sorted(LARGE_TABLES), LARGE_ROWS],
    )
    return {name for (name,) in cursor.fetchall()}


def seq_scans(runs, large):
    found = {}
    for run in runs:
        for number, statement in enumerate(run.statements, start=1):
            for node in nodes(statement.plan["Plan"]):
                table = node.get("Relation Name")
                if node["Node Type"] == "Seq Scan" and table in large:
                    found.setdefault((run.page, number, table), statement.sql)
    return found


def shorten(sql, limit=600):
    return sql if len(sql) <= limit else sql[:limit] + " …"


# Main ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20000)
    parser.add_argument("--sample", type=int, default=20, help="learners measured (default 20)")
    parser.add_argument("--runs", type=int, default=5, help="EXPLAIN runs per statement")
    parser.add_argument(
        "--server",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server to create the throwaway database on",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.learners < 1:
        parser.error("--learners must be at least 1")

    import psycopg

    name = f"waypoint_scale_{os.getpid()}"
    server = urlsplit(args.server)
    admin_url = urlunsplit(server._replace(path="/postgres"))
    url = urlunsplit(server._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        failed = run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"\nKept the database: DATABASE_URL={url}")
        else:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sys.exit(1 if failed else 0)


def run(args, url):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "0123456789abcdef" * 3)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from roadmap.content import load_files
    from roadmap.models import Milestone, Revision, Roadmap

    # The database is what is measured: nothing may come from a cache.
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ).enable()

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_files([ROADMAP_FILE])
    roadmap = Roadmap.objects.get(slug=SLUG)
    revision = Revision.objects.filter(roadmap=roadmap).order_by("-number").first()
    params = {
        "learners": args.learners,
        "now": datetime.now(UTC).replace(second=0, microsecond=0),
        "roadmap": roadmap.pk,
        "revision": revision.number if revision else 0,
        "milestones": Milestone.objects.live().filter(roadmap=roadmap).count(),
        "zones": TIME_ZONES,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(LEARNERS_SQL, params)
        sample = pick_sample(cursor, args.sample, args.learners)
    print(
        f"{version}, database {url.rsplit('/', 1)[1]}; roadmap {SLUG}: "
        f"{params['milestones']} milestones; {args.learners:,} learners; sampled {len(sample)} "
        f"(learner 1 has every milestone done); {args.runs} runs per statement"
    )

    # 1. The almost-empty database: the roadmap and one learner, each sampled one in turn.
    runs_empty = []
    with connection.cursor() as cursor:
        for number in sample:
            seed(cursor, [number], params)
            cursor.execute("ANALYZE")
            runs_empty.extend(measure_learner(number, args.runs))
            unseed(cursor)
    print(f"empty database measured in {time.perf_counter() - began:.0f} s")

    # 2. Every learner, with the same data for the sampled ones.
    with connection.cursor() as cursor:
        began = time.perf_counter()
        timings = seed(cursor, None, params)
        seeded = time.perf_counter() - began
        began = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        vacuumed = time.perf_counter() - began
        counts = {}
        for table in ["accounts_user", *LEARNER_TABLES]:
            cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")
            counts[table] = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    print(f"seeded in {seeded:.0f} s, VACUUM ANALYZE in {vacuumed:.0f} s; {size / 2**20:,.0f} MiB")
    slow = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print("  slowest steps: " + ", ".join(f"{what} {seconds:.0f} s" for what, seconds in slow))
    for table, (rows, table_size) in counts.items():
        print(f"  {table:<28}{rows:>12,} rows{table_size / 2**20:>9,.0f} MiB")
    began = time.perf_counter()
    runs_scale = []
    for number in sample:
        runs_scale.extend(measure_learner(number, args.runs))
    print(f"measured at scale in {time.perf_counter() - began:.0f} s\n")

    failed = summarise(runs_empty, runs_scale, args.learners)

    detail(runs_empty, runs_scale, learner=1)

    heaviest_run, heaviest = max(
        ((run, statement) for run in runs_scale for statement in run.statements),
        key=lambda pair: pair[1].median,
    )
    print(
        f"\nHeaviest query at scale: {heaviest_run.page}, learner {heaviest_run.learner}, "
        f"median {heaviest.median:.2f} ms\n{shorten(heaviest.sql)}\n"
    )
    with connection.cursor() as cursor:
        print(explain(cursor, heaviest.sql, form="TEXT"))
        large = large_tables(cursor)

    scans = seq_scans(runs_scale, large)
    print()
    if scans:
        for (page, number, table), sql in scans.items():
            print(f"SEQ SCAN on {table}: {page}, query {number}: {shorten(sql, 300)}")
    else:
        checked = ", ".join(sorted(large)) or "none"
        print(f"No Seq Scan at scale on a table of {LARGE_ROWS:,}+ rows ({checked}).")
    return failed or bool(scans)


if __name__ == "__main__":
    main()
