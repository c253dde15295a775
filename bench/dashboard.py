"""Dashboard benchmark: query counts and render times, as ratios to a plain Django view.

Run from the project folder:  .venv/bin/python bench/dashboard.py [--days 365] [--runs 30]

It builds a throwaway SQLite database (or uses DATABASE_URL if set: it must be an empty
database you can write to), loads the shipped ML roadmap, seeds one learner with a year of
daily activity, then times each dashboard against a plain view that returns the same number
of bytes through the same middleware. The machine is shared and noisy, so only the ratios
measured in one run mean anything.

Pages are cached (README, "Cached pages"), so repeated views are cache hits. With --miss each
timed view follows a change to the learner's progress (as after a tick: the page is rendered
again, from the cached roadmap content and unchanged steps), and an htmx tick is timed too.
Query counts leave out BEGIN and COMMIT, as issue 15 counts them (SQLite's BEGIN IMMEDIATE
passes through Django's cursor; psycopg sends PostgreSQL's BEGIN unseen).

Each run of a view is followed by a run of the plain view, so that both meet the same load on
a busy machine. The ratio is to the plain view timed alone, in a series of its own (warm
caches: the stricter measure); its time between the views is shown as well.
"""

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROADMAP_PAGE = "/roadmaps/machine-learning-engineer/"
FORM = "application/x-www-form-urlencoded"  # as htmx posts a form (the test client: multipart)
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--miss", action="store_true", help="time views after a change")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time by the process's CPU time, steadier than wall time on a busy machine",
    )
    parser.add_argument(
        "--profile",
        metavar="URL",
        help="profile views of URL (or 'tick', or 'loop': tick, then page) with cProfile instead",
    )
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter

    folder = tempfile.mkdtemp(prefix="waypoint-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "0123456789abcdef" * 3)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # plain http here
    # Static URLs without collectstatic's manifest; the pages render the same otherwise.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path
    from django.utils import timezone

    import config.urls
    from roadmap import learning
    from roadmap.content import load_files
    from roadmap.models import Milestone, Roadmap
    from roadmap.versions import learner_changed

    call_command("migrate", verbosity=0)
    load_files([ROOT / "content" / "roadmaps" / "machine-learning-engineer.yaml"])
    roadmap = Roadmap.objects.get(slug="machine-learning-engineer")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench", "bench@example.com", "bench-password")
    enrollment, __ = learning.enrol(user, roadmap)
    milestones = list(Milestone.objects.filter(roadmap=roadmap).order_by("step__phase__position"))
    start = timezone.now() - timedelta(days=args.days)
    for day in range(args.days):  # tick and untick every day: a year of log entries
        milestone = milestones[day % len(milestones)]
        when = start + timedelta(days=day, hours=12)
        learning.set_milestone(enrollment, milestone, True, now=when)
        if day % 3 == 0:
            learning.set_milestone(enrollment, milestone, False, now=when)

    body = {}

    def plain(request):
        return HttpResponse(body["bytes"])

    config.urls.urlpatterns.append(path("bench/plain/", plain))
    clear_url_caches()
    client = Client()
    client.force_login(user)

    def change():
        if args.miss:
            learner_changed(enrollment.pk)

    change.enrollment = enrollment

    def paired(view, runs, before=lambda: None):
        """Median times of `view(run)` (after `before()`, not timed) and of the plain view,
        each run of one followed by a run of the other: both meet the same load on a busy
        machine, so their ratio is steadier than that of two series timed one after the
        other."""
        times, plain_times = [], []
        for run in range(runs):
            before()
            began = clock()
            response = view(run)
            times.append(clock() - began)
            assert response.status_code == 200, response.status_code
            began = clock()
            client.get("/bench/plain/")
            plain_times.append(clock() - began)
        return statistics.median(times), statistics.median(plain_times)

    def queries_of(view):
        queries = []
        with connection.execute_wrapper(counter(queries)):
            response = view()
        assert response.status_code == 200, response.status_code
        return response, len(queries)

    def alone(runs):
        """Median time of the plain view in a series of its own: warm caches, the strictest
        measure to compare with."""
        times = []
        for __ in range(runs):
            began = clock()
            client.get("/bench/plain/")
            times.append(clock() - began)
        return statistics.median(times)

    def row(label, size, queries, median, plain_queries, between):
        """The view's line, its ratio to the plain view alone (the stricter one), and the
        plain view's both ways."""
        strict = alone(args.runs)
        print(f"{label:<46}{size:>8}{queries:>9}{median * 1000:>11.1f}{median / strict:>7.1f}x")
        for words, plain in (("alone", strict), ("between the views", between)):
            label = f"  plain view, same bytes, {words}"
            ratio = plain / strict
            print(f"{label:<46}{size:>8}{plain_queries:>9}{plain * 1000:>11.1f}{ratio:>7.1f}x")

    if args.profile:
        return profile(args, client, change, milestones, ROADMAP_PAGE)

    cache = "after a change (cache miss)" if args.miss else "cache hits"
    timing = "CPU time" if args.cpu else "wall time"
    print(f"{args.days} days of activity, {args.runs} runs each, {cache}, {connection.vendor}")
    print(f"median {timing} of the process running the test client and the views")
    print("ratios to the plain view timed alone; also timed between the views, as it meets them")
    print(f"{'page':<46}{'bytes':>8}{'queries':>9}{'median ms':>11}{'ratio':>8}")
    pages = ("/dashboard/", "/dashboard/machine-learning-engineer/", ROADMAP_PAGE)
    for url in pages:
        client.get(url)  # warm up
        change()
        response, queries = queries_of(lambda url=url: client.get(url))
        body["bytes"] = response.content
        __, plain_queries = queries_of(lambda: client.get("/bench/plain/"))

        median, plain_median = paired(lambda run, url=url: client.get(url), args.runs, change)
        row(url, len(response.content), queries, median, plain_queries, plain_median)
    if args.miss:
        milestone = milestones[-1]
        url = f"{ROADMAP_PAGE}milestones/{milestone.pk}/"

        def tick(run):
            done = "1" if run % 2 == 0 else "0"
            return client.post(url, f"done={done}", content_type=FORM, HTTP_HX_REQUEST="true")

        tick(0)  # warm up
        response, queries = queries_of(lambda: tick(1))
        body["bytes"] = response.content
        __, plain_queries = queries_of(lambda: client.get("/bench/plain/"))
        median, plain_median = paired(tick, args.runs)
        row("htmx tick (POST)", len(response.content), queries, median, plain_queries, plain_median)
        loop = learner_loop(client, enrollment)
        loop(0)  # warm up
        response, queries = queries_of(lambda: loop(1))
        body["bytes"] = response.content
        median, plain_median = paired(loop, args.runs)
        label = "a learner's loop: tick, then the page (gzip)"
        row(label, len(response.content), queries, median / 2, plain_queries, plain_median)


def learner_loop(client, enrollment):
    """What bench/active.py's learners do, in this process: tick the next milestone not done
    (in roadmap order), or untick one done, in turns; then open the roadmap page as browsers
    ask for it (gzip). Each loop changes the learner's progress for real, so the ticked step's
    line and phase, and the map's box, are drawn again, as for a learner. Returns the page's
    response (whose query count counts the tick's too)."""
    from roadmap.models import Milestone
    from roadmap.pages import learner_marks

    done = set(learner_marks(enrollment)[0])
    order = list(
        Milestone.objects.filter(roadmap=enrollment.roadmap_id)
        .order_by("step__phase__position", "step__position", "position")
        .values_list("pk", flat=True)
    )

    def loop(run):
        undone = [pk for pk in order if pk not in done]
        tick = bool(undone) and (run % 2 == 0 or not done)
        pk = undone[0] if tick else sorted(done)[run // 2 % len(done)]
        url = f"{ROADMAP_PAGE}milestones/{pk}/"
        answer = client.post(url, f"done={int(tick)}", content_type=FORM, HTTP_HX_REQUEST="true")
        assert answer.status_code == 200, answer.status_code
        (done.add if tick else done.discard)(pk)
        return client.get(ROADMAP_PAGE, HTTP_ACCEPT_ENCODING="gzip")

    return loop


def counter(queries):
    """An execute wrapper that appends each statement but BEGIN and COMMIT to `queries`."""

    def count(run, sql, *rest):
        if sql.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT"):
            queries.append(sql)
        return run(sql, *rest)

    return count


def profile(args, client, change, milestones, page):
    """Print the functions that take the most time over --runs views of one page (or ticks)."""
    import cProfile
    import pstats

    url = f"{page}milestones/{milestones[-1].pk}/"

    loop = learner_loop(client, change.enrollment)

    def view(run):
        if args.profile == "loop":
            return loop(run)
        change()
        if args.profile == "tick":
            done = "1" if run % 2 == 0 else "0"
            return client.post(url, f"done={done}", content_type=FORM, HTTP_HX_REQUEST="true")
        return client.get(args.profile)

    view(1)  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    for run in range(args.runs):
        view(run)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
