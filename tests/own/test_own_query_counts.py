"""Own roadmaps keep the pages' query counts: the same on a small own roadmap as on one at the
own roadmaps' step limit, and no more than a curated roadmap's (issue 16)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.content import validate
from roadmap.models import Milestone
from roadmap.ownership import STEPS_PER_ROADMAP, create_own_roadmap
from tests.factories import make_user, roadmap_data
from tests.roadmap.test_query_counts import PAGE_QUERIES, tick

pytestmark = pytest.mark.django_db

SIZES = {"small": (1, 3, 2), "at the limit": (10, STEPS_PER_ROADMAP // 10, 3)}


def counts_after_a_tick(client, size):
    phases, steps, milestones = SIZES[size]
    owner = make_user(f"owner-{size.replace(' ', '-')}")
    data = roadmap_data(slug="mine", phases=phases, steps=steps, milestones=milestones)
    roadmap = create_own_roadmap(owner, validate(data))
    assert roadmap.steps.count() == phases * steps
    client.force_login(owner)
    ticked = list(Milestone.objects.filter(roadmap=roadmap).order_by("pk")[:2])
    for milestone in ticked:
        milestone.roadmap = roadmap
    slug = roadmap.slug
    urls = {
        "roadmap page": reverse("roadmap:roadmap-detail", args=[slug]),
        "step page": reverse("roadmap:step-detail", args=[slug, ticked[1].step.key]),
        "roadmap dashboard": reverse("roadmap:dashboard-roadmap", args=[slug]),
        "map": reverse("roadmap:roadmap-map", args=[slug]),
    }
    assert tick(client, ticked[0], "1").status_code == 200  # outline cached from here on
    counts = {}
    for page, url in urls.items():
        assert client.get(url).status_code == 200  # content cached from here on
        assert tick(client, ticked[1], "1" if page != "step page" else "0").status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[page] = len(queries)
    return counts


def test_the_pages_of_an_own_roadmap_run_as_many_queries_whatever_its_size(client):
    small = counts_after_a_tick(client, "small")
    large = counts_after_a_tick(client, "at the limit")
    assert small == large
    for page, count in large.items():
        assert count <= PAGE_QUERIES[page], page
