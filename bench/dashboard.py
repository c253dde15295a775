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
        "--profile", metavar="URL", help="profile views of URL (or 'tick') with cProfile instead"
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

    def measure(url):
        client.get(url)  # warm up
        change()
        queries = []

        with connection.execute_wrapper(counter(queries)):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for __ in range(args.runs):
            change()
            began = clock()
            client.get(url)
            times.append(clock() - began)
        return response, len(queries), statistics.median(times)

    if args.profile:
        return profile(args, client, change, milestones, ROADMAP_PAGE)

    cache = "after a change (cache miss)" if args.miss else "cache hits"
    timing = "CPU time" if args.cpu else "wall time"
    print(f"{args.days} days of activity, {args.runs} runs each, {cache}, {connection.vendor}")
    print(f"median {timing} of the process running the test client and the views")
    print(f"{'page':<40}{'bytes':>8}{'queries':>9}{'median ms':>11}{'ratio':>8}")
    pages = ("/dashboard/", "/dashboard/machine-learning-engineer/", ROADMAP_PAGE)
    for url in pages:
        response, queries, median = measure(url)
        body["bytes"] = response.content
        __, plain_queries, plain_median = measure("/bench/plain/")
        size = len(response.content)
        print(f"{url:<40}{size:>8}{queries:>9}{median * 1000:>11.1f}{median / plain_median:>7.1f}x")
        plain = "  plain view, same bytes"
        print(f"{plain:<40}{size:>8}{plain_queries:>9}{plain_median * 1000:>11.1f}{1:>7.1f}x")
    if args.miss:
        milestone = milestones[-1]
        url = f"{ROADMAP_PAGE}milestones/{milestone.pk}/"

        def tick(run):
            done = "1" if run % 2 == 0 else "0"
            return client.post(url, f"done={done}", content_type=FORM, HTTP_HX_REQUEST="true")

        tick(0)  # warm up
        queries = []
        with connection.execute_wrapper(counter(queries)):
            response = tick(1)
        body["bytes"] = response.content
        plain_queries = []
        with connection.execute_wrapper(counter(plain_queries)):
            client.get("/bench/plain/")
        # Each tick is followed by a plain view, so that both meet the same load on a busy
        # machine: their ratio is steadier than that of two series timed one after the other.
        times, plain_times = [], []
        for run in range(args.runs):
            began = clock()
            response = tick(run)
            times.append(clock() - began)
            assert response.status_code == 200, response.status_code
            began = time.perf_counter()
            client.get("/bench/plain/")
            plain_times.append(time.perf_counter() - began)
        median, plain_median = statistics.median(times), statistics.median(plain_times)
        plain_queries = len(plain_queries)
        size, label = len(response.content), "htmx tick (POST)"
        ratio = median / plain_median
        print(f"{label:<40}{size:>8}{len(queries):>9}{median * 1000:>11.1f}{ratio:>7.1f}x")
        plain = "  plain view, same bytes"
        print(f"{plain:<40}{size:>8}{plain_queries:>9}{plain_median * 1000:>11.1f}{1:>7.1f}x")


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

    def view(run):
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
