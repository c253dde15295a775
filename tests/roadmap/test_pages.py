import pytest
from django.db import DatabaseError
from django.urls import reverse

from roadmap.models import Roadmap
from tests.factories import bulk_roadmap, load_roadmap, roadmap_data

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_roadmaps_with_their_size(client):
    load_roadmap(roadmap_data(phases=2, steps=3, milestones=2))
    load_roadmap(roadmap_data(slug="secret-draft", status="draft"))

    response = client.get("/roadmaps/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Roadmap test-roadmap" in page
    assert "2 phases · 6 steps · 12 milestones · about 60 hours" in " ".join(page.split())
    assert "secret-draft" not in page


def test_catalogue_counts_ignore_archived_content(client):
    roadmap = load_roadmap(roadmap_data(phases=2, steps=1, milestones=2))
    from django.utils import timezone

    roadmap.phases.filter(key="phase-1").update(archived_at=timezone.now())
    roadmap.steps.filter(key="step-1-0").update(archived_at=timezone.now())
    roadmap.milestones.filter(step__key="step-1-0").update(archived_at=timezone.now())

    page = " ".join(client.get("/roadmaps/").content.decode().split())

    assert "1 phase · 1 step · 2 milestones · about 10 hours" in page


def test_catalogue_counts_no_milestones_of_an_archived_phase_whose_steps_are_live(client):
    # The admin's Archive action on a phase archives the phase alone; its steps stay live.
    roadmap = load_roadmap(roadmap_data(phases=2, steps=1, milestones=2))
    from django.utils import timezone

    roadmap.phases.filter(key="phase-1").update(archived_at=timezone.now())

    page = " ".join(client.get("/roadmaps/").content.decode().split())

    assert "1 phase · 1 step · 2 milestones · about 10 hours" in page


def test_empty_catalogue_says_so(client):
    assert "No roadmaps are published yet" in client.get("/roadmaps/").content.decode()


def test_roadmap_page_outlines_numbered_phases_and_steps_linking_to_step_pages(client):
    load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))

    response = client.get("/roadmaps/test-roadmap/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 id="roadmap-title">Roadmap test-roadmap</h1>' in page
    assert "Phase 2</span> Phase 1" in page
    assert '<span class="step__number">2.2</span>' in page
    assert 'href="/roadmaps/test-roadmap/steps/step-1-1/">Step 1.1</a>' in page


def test_step_page_shows_milestones_resources_and_prerequisites(client):
    load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))

    page = client.get("/roadmaps/test-roadmap/steps/step-1-1/").content.decode()

    assert '<h1 id="step-title">Step 1.1</h1>' in page
    assert "Step 2.2" in page
    assert "Milestone 1 of step-1-1" in page
    assert '<a href="https://example.com/docs" rel="noopener">Docs</a>' in page
    assert '<a href="/roadmaps/test-roadmap/steps/step-1-0/">2.1 Step 1.0</a>' in page


def test_roadmap_page_escapes_content(client):
    data = roadmap_data()
    data["phases"][0]["steps"][0]["summary"] = "<script>alert(1)</script>"
    load_roadmap(data)
    page = client.get("/roadmaps/test-roadmap/steps/step-0-0/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_draft_roadmap_is_not_found(client):
    load_roadmap(roadmap_data(status="draft"))
    assert client.get("/roadmaps/test-roadmap/").status_code == 404


def test_unknown_roadmap_is_a_friendly_404(client):
    response = client.get("/roadmaps/no-such-roadmap/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_roadmap_page_refuses_posts(client):
    load_roadmap(roadmap_data())
    assert client.post("/roadmaps/test-roadmap/").status_code in (403, 405)


@pytest.mark.parametrize("size", ["small", "large"])
def test_roadmap_page_runs_a_constant_number_of_queries(
    size, client, django_assert_max_num_queries
):
    if size == "small":
        roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)  # 500 steps
    # An uncached view: the cache key's versions, then the page's own queries.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("roadmap:roadmap-detail", args=[roadmap.slug]))
    assert response.status_code == 200


def test_shipped_roadmap_page_runs_the_same_queries(
    ml_roadmap, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/roadmaps/machine-learning-engineer/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_catalogue_runs_one_query_whatever_the_number_of_roadmaps(
    count, client, django_assert_num_queries
):
    for index in range(count):
        load_roadmap(roadmap_data(slug=f"roadmap-{index}"))
    with django_assert_num_queries(1):
        client.get("/roadmaps/")


def test_landing_page_introduces_waypoint_and_teases_the_catalogue(client):
    load_roadmap(roadmap_data())
    page = client.get("/").content.decode()
    assert "Learn a whole field, one milestone at a time" in page
    assert 'href="/roadmaps/test-roadmap/"' in page


def test_pages_have_landmarks_and_load_htmx_locally(client):
    page = client.get("/").content.decode()
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in page
    assert "https://" not in page.split("<body")[0]  # nothing from a CDN


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_failure(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def fail(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_admin_lists_roadmaps_for_staff(admin_client):
    load_roadmap(roadmap_data())
    response = admin_client.get("/admin/roadmap/roadmap/")
    assert response.status_code == 200
    assert "Roadmap test-roadmap" in response.content.decode()
    roadmap = Roadmap.objects.get()
    assert admin_client.get(f"/admin/roadmap/roadmap/{roadmap.pk}/change/").status_code == 200
    step = roadmap.steps.first()
    assert admin_client.get(f"/admin/roadmap/step/{step.pk}/change/").status_code == 200
