"""The page and badge a share link opens: states and percents, nothing personal."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from roadmap import learning
from roadmap.models import Enrollment, Milestone, Step
from sharing import links
from tests.factories import bulk_roadmap, enrol, make_user
from tests.roadmap.helpers import enrolled_learner
from tests.sharing.helpers import badge_url, make_link, page_url

pytestmark = pytest.mark.django_db

NOTE = "zebra-note-7431 my private thoughts"
LINK_TITLE = "okapi-link-9921"
LINK_URL = "https://private.example/okapi-9921"


@pytest.fixture
def shared(client):
    """A learner with some of everything (ticks, a skip, a note, a link) and a live link,
    and a visitor's client."""
    enrollment = enrolled_learner(client, username="wombat-5521")
    step = Step.objects.get(key="step-0-0")
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-0-m0"), True)
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-0-m1"), True)
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-1-m0"), True)
    learning.set_skipped(enrollment, [Step.objects.get(key="step-1-0")], True)
    learning.save_note(enrollment, step, NOTE)
    learning.add_link(enrollment, step, LINK_TITLE, LINK_URL)
    token = make_link(client)
    return enrollment, token, Client()


def test_the_shared_page_shows_each_steps_state_and_the_percents(shared):
    __, token, visitor = shared

    response = visitor.get(page_url(token))

    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    # 3 done + 2 skipped of 8 milestones.
    assert '<span class="percent" id="shared-percent">62%</span>' in page
    assert "3 done · 2 skipped · 3 to go" in page
    assert "75% · 3 done, 0 skipped of 4 milestones" in page  # phase 1
    assert "50% · 0 done, 2 skipped of 4 milestones" in page  # phase 2
    assert re.search(r'class="outline__step step--done".*?Done', page)
    assert "step--in-progress" in page
    assert "step--skipped" in page
    assert "step--not-started" in page
    assert "Map of Roadmap test-roadmap" in page
    assert "map__node--done" in page


def test_the_shared_page_never_shows_notes_links_or_who_it_is(shared):
    enrollment, token, visitor = shared
    user = enrollment.user
    user.display_name = "Quokka Displayname"
    user.save()

    page = visitor.get(page_url(token)).content.decode()

    for secret in (NOTE, "zebra-note", LINK_TITLE, LINK_URL, "okapi", user.username, user.email):
        assert secret not in page, secret
    assert "Quokka" not in page


def test_the_shared_page_shows_no_time_of_any_activity(shared):
    __, token, visitor = shared
    today = timezone.localdate()

    page = visitor.get(page_url(token)).content.decode()

    assert "<time" not in page
    assert str(today.year) not in page.split('<footer class="site-footer">')[0]
    assert today.strftime("%B") not in page


def test_the_shared_page_is_noindex_by_default_and_indexable_when_allowed(shared, client):
    enrollment, token, visitor = shared

    private = visitor.get(page_url(token))
    client.post(
        f"/dashboard/{enrollment.roadmap.slug}/share/",
        {"action": "indexing", "allow_indexing": "1"},
    )
    listed = visitor.get(page_url(token))

    assert private["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in private.content.decode()
    assert "X-Robots-Tag" not in listed
    assert 'name="robots"' not in listed.content.decode()


def test_the_shared_page_and_badge_send_no_referrer_and_are_not_kept_stale(shared):
    __, token, visitor = shared

    page = visitor.get(page_url(token))
    badge = visitor.get(badge_url(token))

    assert page["Referrer-Policy"] == badge["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in page.content.decode()
    assert page["Cache-Control"] == "private, no-cache"
    assert badge["Cache-Control"] == "public, max-age=300"


def test_the_badge_is_an_svg_with_the_title_and_percent(shared):
    __, token, visitor = shared

    response = visitor.get(badge_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg xmlns=")
    assert "Roadmap test-roadmap: 62% complete" in svg
    assert ">62%</text>" in svg
    assert "<script" not in svg


def test_the_badge_escapes_the_roadmap_title(shared):
    enrollment, token, visitor = shared
    enrollment.roadmap.title = '<script>alert("x")</script> & co'
    enrollment.roadmap.save()

    svg = visitor.get(badge_url(token)).content.decode()

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&amp; co" in svg


def test_a_left_roadmap_or_a_deactivated_account_makes_the_link_a_404(shared):
    enrollment, token, visitor = shared
    share = enrollment.share

    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.LEFT)
    left = visitor.get(page_url(token)).status_code
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.ACTIVE)
    type(enrollment.user).objects.filter(pk=enrollment.user.pk).update(is_active=False)
    inactive = visitor.get(page_url(token)).status_code

    assert share.pk
    assert left == inactive == 404


def test_a_wrong_or_over_long_token_is_a_404(shared):
    __, token, visitor = shared

    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x", "A" * 500, "..%2F"):
        assert visitor.get(page_url(wrong)).status_code == 404, wrong
        assert visitor.get(badge_url(wrong)).status_code == 404, wrong


def _share(roadmap, username):
    user = make_user(username)
    enrollment = enrol(user, roadmap)
    for milestone in Milestone.objects.filter(roadmap=roadmap).order_by("pk")[:40]:
        learning.set_milestone(enrollment, milestone, True)
    return links.issue(enrollment)


@pytest.mark.parametrize("size", ["shipped", "large"])
def test_the_shared_page_runs_a_constant_number_of_queries(
    size, request, django_assert_max_num_queries
):
    if size == "shipped":
        roadmap = request.getfixturevalue("ml_roadmap")
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=3)  # 500 steps
    token = _share(roadmap, f"learner-{size}")
    visitor = Client()

    # Uncached: the share, the roadmap's content (cached per content version afterwards),
    # then what the learner did and skipped.
    with django_assert_max_num_queries(9):
        first = visitor.get(page_url(token))
    with django_assert_max_num_queries(3):
        cached = visitor.get(page_url(token))
    with django_assert_max_num_queries(4):
        badge = visitor.get(badge_url(token))

    assert first.status_code == cached.status_code == badge.status_code == 200
    assert b'id="shared-percent"' in cached.content


def test_the_shared_percents_are_the_learners_own(ml_roadmap, client):
    user = make_user("hopper")
    enrollment = enrol(user, ml_roadmap)
    for milestone in Milestone.objects.filter(roadmap=ml_roadmap).order_by("-pk")[:17]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, list(Step.objects.filter(roadmap=ml_roadmap)[:3]), True)
    client.force_login(user)
    token = make_link(client, slug=ml_roadmap.slug)

    own = client.get(f"/dashboard/{ml_roadmap.slug}/").content.decode()
    shared = Client().get(page_url(token)).content.decode()

    percent = re.search(r'id="dashboard-percent">(\d+)%', own).group(1)
    assert f'id="shared-percent">{percent}%' in shared
    assert int(percent) > 0
