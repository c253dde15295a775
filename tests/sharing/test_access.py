"""Who may see or change a share: only its learner changes it, only its link shows it.

Everyone else (a visitor, another learner, a curator, the holder of a revoked link, a wrong
token) gets a 404, or for a visitor the login page on the learner's own controls, as every
learner page answers; and nothing changes.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from roadmap.models import Enrollment
from sharing.models import Share
from tests.factories import enrol, make_user
from tests.roadmap.helpers import enrolled_learner
from tests.sharing.helpers import badge_url, make_link, page_url, settings_url

pytestmark = pytest.mark.django_db

ACTIONS = [
    {"action": "new"},
    {"action": "revoke"},
    {"action": "indexing", "allow_indexing": "1"},
]


def shares():
    return list(Share.objects.order_by("pk").values())


@pytest.fixture
def owner(client):
    """A learner with a live link; returns (enrollment, live token, revoked token)."""
    enrollment = enrolled_learner(client)
    revoked = make_link(client)
    live = make_link(client)
    return enrollment, live, revoked


def _client(user=None):
    other = Client()
    if user is not None:
        other.force_login(user)
    return other


def _curator():
    user = make_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def others(owner):
    stranger = make_user("stranger")  # not enrolled in the roadmap
    return {
        "another learner": _client(stranger),
        "a curator": _client(_curator()),
    }


def test_a_visitor_is_sent_to_log_in_by_the_controls_and_changes_nothing(owner):
    before = shares()
    visitor = Client()

    assert visitor.get(settings_url()).status_code == 302
    for data in ACTIONS:
        response = visitor.post(settings_url(), data)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert shares() == before


@pytest.mark.parametrize("who", ["another learner", "a curator"])
def test_anyone_not_enrolled_gets_a_404_from_the_controls_and_changes_nothing(owner, others, who):
    before = shares()
    other = others[who]

    assert other.get(settings_url()).status_code == 404
    for data in ACTIONS:
        assert other.post(settings_url(), data).status_code == 404, data
    assert shares() == before


def test_another_learner_on_the_same_roadmap_changes_only_their_own_share(owner):
    enrollment, live, __ = owner
    before = shares()
    classmate = make_user("classmate")
    enrol(classmate, enrollment.roadmap)
    other = _client(classmate)

    page = other.get(settings_url()).content.decode()
    other.post(settings_url(), {"action": "revoke"})
    other.post(settings_url(), {"action": "indexing", "allow_indexing": "1"})

    assert "Your progress is private: no link is on." in page
    assert shares() == before
    assert Client().get(page_url(live)).status_code == 200


def test_a_learner_who_left_the_roadmap_gets_a_404_from_the_controls(owner, client):
    enrollment = owner[0]
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.LEFT)
    before = shares()

    assert client.get(settings_url()).status_code == 404
    for data in ACTIONS:
        assert client.post(settings_url(), data).status_code == 404
    assert shares() == before


@pytest.mark.parametrize("who", ["visitor", "another learner", "a curator", "the learner"])
def test_a_revoked_or_wrong_link_is_a_404_for_everyone(owner, others, client, who):
    __, live, revoked = owner
    viewer = {"visitor": Client(), "the learner": client, **others}[who]
    wrong = live[:-2] + ("AA" if not live.endswith("AA") else "BB")

    for token in (revoked, wrong, live.upper() if live.upper() != live else live.lower()):
        assert viewer.get(page_url(token)).status_code == 404, token
        assert viewer.get(badge_url(token)).status_code == 404, token
        assert viewer.head(page_url(token)).status_code == 404, token
    assert viewer.get(page_url(live)).status_code == 200


def test_the_shared_page_and_badge_refuse_posts_and_change_nothing(owner):
    __, live, __ = owner
    before = shares()
    visitor = Client()

    assert visitor.post(page_url(live), {"action": "revoke"}).status_code == 405
    assert visitor.post(badge_url(live)).status_code == 405
    assert shares() == before
