"""The queries of a tick and of each page after one, pinned: the same exact count on the
shipped ML roadmap and on a generated 500-step roadmap (issue 15).

Counts are of the Django test client's request, so they include the session and the user,
and, since each test runs in a transaction, a tick's atomic block shows as a SAVEPOINT and a
RELEASE (outside tests these are BEGIN and COMMIT, which Django does not count).
"""

import pytest
from django.urls import reverse

from roadmap import learning
from roadmap.models import Milestone, Step
from tests.factories import bulk_roadmap, enrol, make_user
from tests.roadmap.helpers import HTMX

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"  # as htmx posts


@pytest.fixture(params=["shipped", "500 steps"])
def learner(request, client):
    """A learner with some history on the shipped roadmap or on a 500-step one; returns
    (enrollment, the milestones in roadmap order)."""
    if request.param == "shipped":
        roadmap = request.getfixturevalue("ml_roadmap")
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)
        assert Step.objects.filter(roadmap=roadmap).count() == 500
    user = make_user()
    enrollment = enrol(user, roadmap)
    milestones = list(
        Milestone.objects.filter(roadmap=roadmap).order_by(
            "step__phase__position", "step__position", "position"
        )
    )
    for milestone in milestones[:10:2]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, [milestones[-1].step], True)
    client.force_login(user)
    return enrollment, milestones


def tick(client, milestone, done, extra=""):
    url = reverse("roadmap:milestone-tick", args=[milestone.roadmap.slug, milestone.pk])
    return client.post(url, f"done={done}{extra}", content_type=FORM, **HTMX)


@pytest.fixture
def ticking(learner, client):
    """The learner, after a first tick: the roadmap's outline is cached from here on, as it
    is for every tick but the first after a content change."""
    enrollment, milestones = learner
    for milestone in milestones:
        milestone.roadmap = enrollment.roadmap
    assert tick(client, milestones[-2], "1").status_code == 200
    return enrollment, milestones


# Session, user, the enrolment (with its roadmap); in the atomic block the lock (the version
# raise), the progress row (one upsert), the log entry; then the learner's done milestones
# and skips for the response (roadmap/pages.py: step_progress).
TICK_QUERIES = 9


@pytest.mark.parametrize("done", ["1", "0"])
def test_a_tick_runs_the_same_few_queries_whatever_the_roadmaps_size(
    ticking, client, done, django_assert_num_queries
):
    __, milestones = ticking
    target = milestones[0 if done == "0" else 1]  # a real change either way
    with django_assert_num_queries(TICK_QUERIES):
        response = tick(client, target, done)
    assert response.status_code == 200
    assert f'aria-pressed="{"true" if done == "1" else "false"}"' in response.content.decode()


def test_a_tick_that_changes_nothing_writes_no_log_entry(
    ticking, client, django_assert_num_queries
):
    __, milestones = ticking
    with django_assert_num_queries(TICK_QUERIES - 1):
        response = tick(client, milestones[0], "1")  # already done
    assert response.status_code == 200


def test_a_tick_from_the_step_page_runs_the_same_queries(
    ticking, client, django_assert_num_queries
):
    __, milestones = ticking
    with django_assert_num_queries(TICK_QUERIES):
        response = tick(client, milestones[1], "1", "&fragment=milestone")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<li class="milestone"')


def pages_of(enrollment, milestone):
    slug = enrollment.roadmap.slug
    return {
        "roadmap page": reverse("roadmap:roadmap-detail", args=[slug]),
        "step page": reverse("roadmap:step-detail", args=[slug, milestone.step.key]),
        "roadmap dashboard": reverse("roadmap:dashboard-roadmap", args=[slug]),
        "map": reverse("roadmap:roadmap-map", args=[slug]),
    }


# After a tick, each page is a cache miss: rendered again from the cached roadmap content.
# Session, user and the page's versions (roadmap/versions.py: page_versions, which also reads
# the learner's enrolment; the roadmap's row and its revisions are kept per content version),
# then:
PAGE_QUERIES = {
    # the learner's done milestones and skips (one query) and the history (the outline shows
    # no notes)
    "roadmap page": 5,
    # done milestones and skips, this step's note and links
    "step page": 6,
    # in one query the learner's done milestones, skips, ticks since yesterday or the pace
    # window, and history (dashboards.learner_rows); the content comes from the process
    # (pages.page_content), the days before yesterday from the cache (roadmap/dashboards.py)
    "roadmap dashboard": 4,
    # done milestones and skips
    "map": 4,
}


@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_each_page_after_a_tick_runs_the_same_queries_whatever_the_roadmaps_size(
    ticking, client, page, django_assert_num_queries
):
    enrollment, milestones = ticking
    url = pages_of(enrollment, milestones[3])[page]
    assert client.get(url).status_code == 200  # the content is cached from here on
    assert tick(client, milestones[3], "1").status_code == 200
    with django_assert_num_queries(PAGE_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(3):  # session, user, versions: the page is cached again
        assert client.get(url).status_code == 200
