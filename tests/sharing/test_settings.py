"""The learner's share controls: make, show once, replace, turn off, indexing, limits."""

import json

import pytest
from django.urls import reverse

from roadmap import learning
from sharing import links
from sharing.models import Share
from tests.roadmap.helpers import HTMX, enrolled_learner
from tests.sharing.helpers import LINK, badge_url, make_link, page_url, settings_url

pytestmark = pytest.mark.django_db


def test_progress_is_private_until_a_link_is_made(client):
    enrolled_learner(client)

    response = client.get(settings_url())

    assert response.status_code == 200
    assert "Your progress is private: no link is on." in response.content.decode()
    assert not Share.objects.exists()


def test_making_a_link_stores_only_its_fingerprint_and_shows_it_once(client):
    enrollment = enrolled_learner(client)

    token = make_link(client)

    share = Share.objects.get(enrollment=enrollment)
    assert share.token_hash == links.fingerprint(token)
    assert token not in share.token_hash
    assert len(token) >= 43
    assert client.get(page_url(token)).status_code == 200
    again = client.get(settings_url()).content.decode()
    assert token not in again
    assert "Your link is on" in again


def test_the_page_the_link_is_made_on_shows_the_badge_markdown(client):
    enrolled_learner(client)

    response = client.post(settings_url(), {"action": "new"}, follow=True)

    page = response.content.decode()
    token = LINK.search(page).group(1)
    assert f"{badge_url(token)})]" in page.replace("&#x27;", "'")
    assert "Copy it now" in page


def test_a_new_link_replaces_the_old_one(client):
    enrolled_learner(client)
    old = make_link(client)

    new = make_link(client)

    assert new != old
    assert Share.objects.count() == 1
    assert client.get(page_url(old)).status_code == 404
    assert client.get(page_url(new)).status_code == 200


def test_turning_the_link_off_makes_it_a_404(client):
    enrolled_learner(client)
    token = make_link(client)

    response = client.post(settings_url(), {"action": "revoke"})

    assert response.status_code == 302
    assert not Share.objects.exists()
    assert client.get(page_url(token)).status_code == 404
    assert client.get(badge_url(token)).status_code == 404


def test_a_link_made_again_after_turning_it_off_works_and_the_old_does_not(client):
    enrolled_learner(client)
    old = make_link(client)
    client.post(settings_url(), {"action": "revoke"})

    new = make_link(client)

    assert client.get(page_url(old)).status_code == 404
    assert client.get(page_url(new)).status_code == 200


def test_with_htmx_the_controls_are_swapped_in_place_with_the_new_link(client):
    enrolled_learner(client)

    response = client.post(settings_url(), {"action": "new"}, **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") or 'id="share-controls"' in page
    assert "<html" not in page
    token = LINK.search(page).group(1)
    assert Share.objects.get().token_hash == links.fingerprint(token)
    revoked = client.post(settings_url(), {"action": "revoke"}, **HTMX).content.decode()
    assert "Your link is turned off" in revoked
    assert not Share.objects.exists()


def test_search_engines_may_be_allowed_and_forbidden_again(client):
    enrolled_learner(client)
    make_link(client)

    client.post(settings_url(), {"action": "indexing", "allow_indexing": ["0", "1"]})
    assert Share.objects.get().allow_indexing is True
    client.post(settings_url(), {"action": "indexing", "allow_indexing": "0"})
    assert Share.objects.get().allow_indexing is False


def test_indexing_without_a_link_or_an_unknown_action_is_a_400(client):
    enrolled_learner(client)

    no_link = client.post(settings_url(), {"action": "indexing", "allow_indexing": "1"})
    unknown = client.post(settings_url(), {"action": "publish-everything"})
    bad_value = client.post(settings_url(), {"action": "indexing", "allow_indexing": "yes"})

    assert no_link.status_code == unknown.status_code == bad_value.status_code == 400
    assert not Share.objects.exists()


def test_making_links_is_throttled_per_learner(client, settings):
    enrollment = enrolled_learner(client)
    for __ in range(links.LINKS_PER_HOUR):
        make_link(client)
    before = Share.objects.get().token_hash

    response = client.post(settings_url(), {"action": "new"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Share.objects.get(enrollment=enrollment).token_hash == before


def test_a_new_link_raises_the_enrolment_version(client):
    enrollment = enrolled_learner(client)

    make_link(client)

    enrollment.refresh_from_db()
    assert enrollment.version > 0


def test_leaving_the_roadmap_turns_the_link_off_even_after_an_undo(client):
    enrollment = enrolled_learner(client)
    token = make_link(client)

    record = learning.leave(enrollment, erase=False)
    learning.undo_leave(enrollment, record)

    assert not Share.objects.exists()
    assert client.get(page_url(token)).status_code == 404


def test_deleting_the_account_deletes_the_link(client):
    enrollment = enrolled_learner(client)
    make_link(client)

    client.post(reverse("accounts:delete"), {"password": "correct horse 42"})

    assert not type(enrollment.user).objects.exists()
    assert not Share.objects.exists()


def test_the_export_says_whether_a_link_is_on_but_not_the_link(client):
    enrolled_learner(client)
    before = json.loads(client.post(reverse("accounts:export")).content)
    token = make_link(client)

    response = client.post(reverse("accounts:export"))

    assert before["enrolments"][0]["shared_link"] is None
    document = json.loads(response.content)
    shared = document["enrolments"][0]["shared_link"]
    assert shared["search_engines_may_list"] is False
    assert shared["made_at"]
    assert token not in response.content.decode()
    assert Share.objects.get().token_hash not in response.content.decode()


def test_a_link_replaced_in_another_tab_meanwhile_is_not_shown_as_live(client):
    enrollment = enrolled_learner(client)
    client.post(settings_url(), {"action": "new"})  # not followed: the link waits in the session
    links.issue(enrollment)  # another tab makes a new one

    page = client.get(settings_url()).content.decode()

    assert LINK.search(page) is None
    assert "Your link is on" in page
