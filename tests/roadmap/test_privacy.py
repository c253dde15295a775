"""Nobody reads or changes another learner's progress, notes or links: every URL is a 404."""

import pytest
from django.urls import reverse

from roadmap.models import Enrollment, MilestoneProgress, PersonalLink, StepNote, StepSkip
from tests.factories import make_user
from tests.roadmap.helpers import enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_data(client):
    enrollment = enrolled_learner(client, username="owner")
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    client.post("/roadmaps/test-roadmap/steps/step-0-0/notes/", {"text": "Owner's secret note"})
    client.post(
        "/roadmaps/test-roadmap/steps/step-0-0/links/",
        {"title": "Owner's link", "url": "https://owner.example.com/"},
    )
    client.logout()
    return enrollment


def snapshot():
    return (
        list(MilestoneProgress.objects.values_list("enrollment", "milestone", "done_at")),
        list(StepNote.objects.values_list("enrollment", "text")),
        list(PersonalLink.objects.values_list("enrollment", "title")),
        list(StepSkip.objects.values_list("enrollment", "step")),
        list(Enrollment.objects.values_list("user", "status")),
    )


def test_another_learner_gets_404_on_every_learner_url(client, owner_data):
    client.force_login(make_user("intruder"))
    link = PersonalLink.objects.get()
    slug, step = "test-roadmap", "step-0-0"
    before = snapshot()
    posts = [
        (tick_url(milestone("step-0-0-m0")), {"done": "0"}),
        (reverse("roadmap:step-skip", args=[slug, step]), {"skipped": "1"}),
        (reverse("roadmap:step-reset", args=[slug, step]), {}),
        (reverse("roadmap:phase-skip", args=[slug, "phase-0"]), {"skipped": "1"}),
        (reverse("roadmap:phase-reset", args=[slug, "phase-0"]), {}),
        (reverse("roadmap:roadmap-reset", args=[slug]), {}),
        (reverse("roadmap:pause", args=[slug]), {}),
        (reverse("roadmap:resume", args=[slug]), {}),
        (reverse("roadmap:leave", args=[slug]), {"erase": "1"}),
        (reverse("roadmap:step-notes", args=[slug, step]), {"text": "overwritten"}),
        (reverse("roadmap:link-add", args=[slug, step]), {"title": "x", "url": "https://x.y/"}),
        (reverse("roadmap:link-delete", args=[slug, step, link.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    for url in (
        reverse("roadmap:step-notes", args=[slug, step]),
        reverse("roadmap:leave", args=[slug]),
    ):
        assert client.get(url).status_code == 404, url
    assert snapshot() == before


def test_another_learner_never_sees_my_progress_or_notes_on_the_page(client, owner_data):
    intruder = make_user("intruder")
    client.force_login(intruder)
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "Owner's secret note" not in page
    assert "owner.example.com" not in page
    assert 'aria-pressed="true"' not in page
    client.post("/roadmaps/test-roadmap/enrol/")
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "Owner's secret note" not in page
    assert 'aria-pressed="true"' not in page
    assert '<span class="percent">0%</span>' in page


def test_deleting_my_link_through_my_own_roadmap_cannot_reach_theirs(client, owner_data):
    enrolled = make_user("other")
    client.force_login(enrolled)
    client.post("/roadmaps/test-roadmap/enrol/")
    link = PersonalLink.objects.get()
    url = reverse("roadmap:link-delete", args=["test-roadmap", "step-0-0", link.pk])
    assert client.post(url).status_code == 404
    assert PersonalLink.objects.filter(pk=link.pk).exists()
