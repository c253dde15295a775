"""One rule decides who sees curator pages: the draft preview, insight and the admin agree."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from roadmap.access import is_curator
from tests.factories import load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

PAGES = {
    "preview": "/roadmaps/test-roadmap/preview/",
    "insight": "/roadmaps/test-roadmap/insight/",
    "admin": "/admin/roadmap/roadmap/",
}
COMBINATIONS = [
    dict(zip(("is_staff", "in_curators", "is_superuser", "is_active"), values, strict=True))
    for values in itertools.product([True, False], repeat=4)
]


def account(is_staff, in_curators, is_superuser, is_active):
    user = make_user("someone", is_staff=is_staff, is_superuser=is_superuser, is_active=is_active)
    if in_curators:
        user.groups.add(Group.objects.get(name="Curators"))
    return user


def expected(is_staff, in_curators, is_superuser, is_active):
    return is_active and is_staff and (in_curators or is_superuser)


@pytest.mark.parametrize(
    "flags",
    COMBINATIONS,
    ids=["-".join(k for k, v in c.items() if v) or "none" for c in COMBINATIONS],
)
def test_preview_insight_admin_and_header_link_follow_one_rule(flags):
    load_roadmap(roadmap_data(status="draft"))
    user = account(**flags)
    client = Client()
    client.force_login(user)
    allowed = expected(**flags)

    assert is_curator(user) is allowed
    for name, url in PAGES.items():
        status = client.get(url).status_code
        assert (status == 200) is allowed, (name, status)
    assert ('href="/admin/"' in client.get("/").content.decode()) is allowed


def test_a_curators_group_member_without_staff_status_cannot_read_a_draft_preview():
    load_roadmap(roadmap_data(status="draft"))
    client = Client()
    client.force_login(
        account(is_staff=False, in_curators=True, is_superuser=False, is_active=True)
    )

    assert client.get(PAGES["preview"]).status_code == 404
