"""Own roadmaps, the model and the rules: an owner, keys and skills per owner, private pages."""

import pytest
from django.urls import reverse

from roadmap.content import validate
from roadmap.content.exporter import roadmap_to_data
from roadmap.models import Enrollment, Roadmap, Skill
from roadmap.ownership import create_own_roadmap, free_key
from tests.factories import load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db


def own(user, slug="rust", **size):
    return create_own_roadmap(user, validate(roadmap_data(slug=slug, **size)))


def test_an_own_roadmap_is_private_to_its_owner_and_tracked_at_once(client):
    owner = make_user("owner")
    roadmap = own(owner)
    assert roadmap.owner == owner
    assert roadmap.key == "rust"
    assert roadmap.slug.startswith("rust_")
    assert roadmap.slug != "rust"
    assert roadmap.status == Roadmap.Status.DRAFT  # the file said published: never, for own
    assert Enrollment.objects.get(user=owner, roadmap=roadmap)
    client.force_login(owner)
    assert client.get(roadmap.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "other", "curator"])
def test_nobody_else_sees_an_own_roadmap(client, who):
    roadmap = own(make_user("owner"))
    if who == "other":
        client.force_login(make_user("other"))
    elif who == "curator":
        client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    step = roadmap.steps.first()
    for url in (
        roadmap.get_absolute_url(),
        reverse("roadmap:step-detail", args=[roadmap.slug, step.key]),
        reverse("roadmap:roadmap-map", args=[roadmap.slug]),
        reverse("roadmap:dashboard-roadmap", args=[roadmap.slug]),
        reverse("roadmap:roadmap-preview", args=[roadmap.slug]),
        reverse("roadmap:roadmap-insight", args=[roadmap.slug]),
        reverse("roadmap:history", args=[roadmap.slug]),
        reverse("sharing:settings", args=[roadmap.slug]),
    ):
        response = client.get(url)
        if who == "anonymous" and response.status_code == 302:
            # Pages that need a login send anyone logged out to log in first, whatever the
            # slug: the same answer as for a roadmap that does not exist.
            missing = client.get(url.replace(roadmap.slug, "rust_00000000"))
            assert (missing.status_code, missing.url.replace("rust_00000000", roadmap.slug)) == (
                302,
                response.url,
            )
            continue
        assert response.status_code == 404, url
    before = Enrollment.objects.values_list("pk", "status", "version", "weekly_hours").get()
    for name, data in (
        ("roadmap:enrol", {}),
        ("roadmap:goals", {"weekly_hours": "9"}),
        ("roadmap:pause", {}),
        ("roadmap:leave", {"confirm": "1"}),
        ("roadmap:roadmap-reset", {"confirm": "1"}),
        ("sharing:settings", {"action": "create"}),
    ):
        response = client.post(reverse(name, args=[roadmap.slug]), data)
        assert response.status_code in ((302, 404) if who == "anonymous" else (404,)), name
    assert Enrollment.objects.values_list("pk", "status", "version", "weekly_hours").get() == before
    assert Enrollment.objects.filter(roadmap=roadmap).count() == 1


def test_own_roadmaps_stay_out_of_the_catalogue_and_the_admin(client):
    load_roadmap(roadmap_data(slug="curated"))
    roadmap = own(make_user("owner"), slug="secret-plans")
    client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    catalogue = client.get(reverse("roadmap:catalogue")).content.decode()
    assert "Roadmap curated" in catalogue
    assert roadmap.title not in catalogue
    listing = client.get(reverse("admin:roadmap_roadmap_changelist")).content.decode()
    assert "Roadmap curated" in listing
    assert "secret-plans" not in listing
    change = reverse("admin:roadmap_roadmap_change", args=[roadmap.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
    steps = client.get(reverse("admin:roadmap_step_changelist")).content.decode()
    assert roadmap.title not in steps


def test_keys_and_skills_no_longer_collide_between_owners():
    load_roadmap(roadmap_data(slug="rust"))
    first, second = own(make_user("a")), own(make_user("b"))
    assert {first.key, second.key} == {"rust"}
    assert first.slug != second.slug
    assert Skill.objects.filter(slug="testing").count() == 3  # curated, a's, b's
    assert set(first.steps.first().skills.values_list("owner", flat=True)) == {first.owner_id}


def test_an_owner_keys_their_roadmaps_apart():
    owner = make_user("owner")
    own(owner)
    assert free_key(owner, "rust") == "rust-2"
    assert free_key(owner, "go") == "go"
    assert free_key(make_user("other"), "rust") == "rust"


def test_the_export_of_an_own_roadmap_names_its_key_not_its_url_slug():
    roadmap = own(make_user("owner"))
    assert roadmap_to_data(roadmap)["slug"] == "rust"


def test_deleting_the_account_deletes_own_roadmaps_and_their_skills(client):
    from accounts.deletion import delete_account

    owner = make_user("owner")
    roadmap = own(owner)
    delete_account(owner)
    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert not Skill.objects.filter(owner__isnull=False).exists()


def test_an_own_roadmap_over_the_limits_is_refused_and_nothing_is_written():
    from roadmap.content import ContentError
    from roadmap.ownership import MILESTONES_PER_STEP, STEPS_PER_ROADMAP

    owner = make_user("owner")
    too_long = roadmap_data(slug="long", phases=1, steps=STEPS_PER_ROADMAP + 1, milestones=1)
    with pytest.raises(ContentError, match=f"at most {STEPS_PER_ROADMAP} steps"):
        create_own_roadmap(owner, validate(too_long))
    crowded = roadmap_data(slug="crowded", phases=1, steps=1, milestones=MILESTONES_PER_STEP + 1)
    with pytest.raises(ContentError, match=r"phases\[0\]\.steps\[0\]\.milestones"):
        create_own_roadmap(owner, validate(crowded))
    assert not Roadmap.objects.owned_by(owner).exists()
    assert own(owner, phases=1, steps=STEPS_PER_ROADMAP, milestones=1).steps.count() == (
        STEPS_PER_ROADMAP
    )
