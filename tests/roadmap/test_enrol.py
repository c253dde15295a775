import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap.models import Activity, Enrollment, MilestoneProgress
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap():
    return load_roadmap(roadmap_data())


def test_enrolling_creates_one_enrolment_and_returns_to_the_roadmap(client, roadmap):
    user = make_user()
    client.force_login(user)
    target = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()

    response = client.post(
        "/roadmaps/test-roadmap/enrol/", {"target_date": target, "weekly_hours": "6"}
    )
    client.post("/roadmaps/test-roadmap/enrol/", {})  # a double click

    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/test-roadmap/"
    enrollment = Enrollment.objects.get()
    assert (enrollment.user, enrollment.weekly_hours) == (user, 6)
    assert enrollment.target_date.isoformat() == target


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekly_hours": "81"}, "less than or equal to 80"),
        ({"weekly_hours": "-1"}, "greater than or equal to 1"),
        ({"weekly_hours": "0"}, "greater than or equal to 1"),
        ({"weekly_hours": "99999999999999999999"}, "less than or equal to 80"),
        ({"weekly_hours": "1.5"}, "Enter a whole number"),
        ({"target_date": "2001-01-01"}, "not in the past"),
        ({"target_date": "someday"}, "Enter a valid date"),
    ],
)
def test_bad_enrolment_details_re_render_with_errors(client, roadmap, data, message):
    client.force_login(make_user())
    response = client.post("/roadmaps/test-roadmap/enrol/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrollment.objects.exists()


def test_anonymous_enrol_goes_to_sign_up_and_comes_back(client, roadmap):
    response = client.post("/roadmaps/test-roadmap/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:signup"))
    assert "next=/roadmaps/test-roadmap/" in response["Location"].replace("%2F", "/")
    assert not Enrollment.objects.exists()


def test_enrolling_in_a_draft_is_a_404(client):
    load_roadmap(roadmap_data(status="draft"))
    client.force_login(make_user())
    assert client.post("/roadmaps/test-roadmap/enrol/").status_code == 404
    assert not Enrollment.objects.exists()


def test_the_page_offers_enrolment_then_tick_boxes(client, roadmap):
    client.force_login(make_user())
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "Enrol in this roadmap" in page
    assert 'class="tick"' not in page
    client.post("/roadmaps/test-roadmap/enrol/")
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "Enrol in this roadmap" not in page
    # The roadmap page keeps the next step's milestones tickable; each step page has its own.
    assert page.count('class="tick"') == 2
    assert "Next up:" in page
    step_page = client.get("/roadmaps/test-roadmap/steps/step-1-1/").content.decode()
    assert step_page.count('class="tick"') == 2


def test_pause_and_resume(client):
    enrollment = enrolled_learner(client)
    client.post("/roadmaps/test-roadmap/pause/")
    enrollment.refresh_from_db()
    assert enrollment.status == "paused"
    assert "This roadmap is paused" in client.get("/roadmaps/test-roadmap/").content.decode()
    client.post("/roadmaps/test-roadmap/resume/")
    enrollment.refresh_from_db()
    assert enrollment.status == "active"


def test_leaving_asks_for_confirmation_first(client):
    enrolled_learner(client)
    response = client.get("/roadmaps/test-roadmap/leave/")
    assert response.status_code == 200
    assert "Also erase my progress" in response.content.decode()
    assert Enrollment.objects.get().status == "active"


def test_leaving_keeps_history_and_coming_back_restores_it(client):
    enrollment = enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})

    client.post("/roadmaps/test-roadmap/leave/", {"confirm": "1"})

    enrollment.refresh_from_db()
    assert enrollment.status == "left"
    assert MilestoneProgress.objects.filter(enrollment=enrollment).exists()
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "Enrol in this roadmap" in page
    assert client.post(tick_url(milestone("step-0-0-m1")), {"done": "1"}).status_code == 404

    client.post("/roadmaps/test-roadmap/enrol/")

    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    assert (
        '<span class="percent">12%</span>' in client.get("/roadmaps/test-roadmap/").content.decode()
    )


def test_leaving_and_erasing_removes_everything(client):
    enrollment = enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    client.post("/roadmaps/test-roadmap/leave/", {"erase": "1", "confirm": "1"})
    assert not Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert not Activity.objects.exists()
    assert not MilestoneProgress.objects.exists()


@pytest.mark.parametrize("size", ["small", "large"])
def test_enrolled_roadmap_page_runs_a_constant_number_of_queries(
    size, client, django_assert_max_num_queries
):
    if size == "small":
        roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)
    user = make_user()
    enrollment = enrol(user, roadmap)
    client.force_login(user)
    for target in roadmap.milestones.all()[:40]:
        client.post(tick_url(target), {"done": "1"})
    assert MilestoneProgress.objects.filter(enrollment=enrollment).exists()
    with django_assert_max_num_queries(17):
        response = client.get(roadmap.get_absolute_url())
    assert response.status_code == 200


def test_shipped_roadmap_page_for_a_learner_runs_the_same_queries(
    ml_roadmap, client, django_assert_max_num_queries
):
    user = make_user()
    enrol(user, ml_roadmap)
    client.force_login(user)
    with django_assert_max_num_queries(17):
        assert client.get(ml_roadmap.get_absolute_url()).status_code == 200
