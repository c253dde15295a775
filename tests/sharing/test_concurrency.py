"""Two tabs making a link at the same moment: one share, the last link wins, no 500."""

import pytest

from sharing import links
from sharing.models import Share
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.test_concurrency import TABS, post_at_once


@pytest.fixture
def learner(transactional_db):
    roadmap = load_roadmap(roadmap_data())
    user = make_user()
    return user, enrol(user, roadmap)


def test_making_links_from_several_tabs_at_once_keeps_one_share(learner):
    user, enrollment = learner

    statuses = post_at_once(user, "/dashboard/test-roadmap/share/", {"action": "new"})

    assert statuses == [302] * TABS
    assert Share.objects.filter(enrollment=enrollment).count() == 1


def test_turning_the_link_off_from_several_tabs_at_once_is_harmless(learner):
    user, enrollment = learner
    links.issue(enrollment)

    statuses = post_at_once(user, "/dashboard/test-roadmap/share/", {"action": "revoke"})

    assert statuses == [302] * TABS
    assert not Share.objects.exists()
