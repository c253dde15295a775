"""Copies of curated roadmaps: the learner's progress moves onto the copy, and the copy takes
the original's later changes one by one, only when its owner applies them."""

import copy

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap import copies, learning, ownership, pages
from roadmap.content import validate, write_roadmap
from roadmap.content.exporter import roadmap_to_data
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Roadmap,
    Step,
    StepNote,
    StepSkip,
)
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db

DATA = roadmap_data(slug="curated", phases=2, steps=2, milestones=2)


def original(data=DATA):
    return load_roadmap(data)


def percent(roadmap, user):
    return pages.roadmap_page(roadmap, user).progress.overall.percent


def post_copy(client, roadmap):
    return client.post(reverse("own:copy", args=[roadmap.slug]))


def the_copy(user):
    return Roadmap.objects.get(owner=user, origin__isnull=False)


def republish(data):
    """The curators change the original: load the changed file, as `loadroadmap` does (it
    records a revision)."""
    write_roadmap(validate(copy.deepcopy(data)))


def changed(**edits):
    data = copy.deepcopy(DATA)
    for edit in edits.values():
        edit(data)
    return data


def add_step(data):
    data["phases"][0]["steps"].insert(
        1,
        {
            "key": "new-step",
            "title": "A new step",
            "summary": "New.",
            "hours": 3,
            "skills": ["testing"],
            "requires": ["step-0-0"],
            "milestones": [{"key": "new-step-m0", "title": "Do the new thing"}],
        },
    )


def test_copying_moves_progress_skips_notes_links_and_history_and_keeps_the_percent(client):
    curated = original()
    user = make_user()
    enrollment = enrol(user, curated)
    milestones = list(Milestone.objects.filter(roadmap=curated).order_by("step__phase", "key"))
    learning.set_milestone(enrollment, milestones[0], True)
    learning.set_milestone(enrollment, milestones[1], True)
    learning.set_milestone(enrollment, milestones[1], False)
    learning.set_milestone(enrollment, milestones[2], True)
    skipped = Step.objects.get(roadmap=curated, key="step-1-1")
    learning.set_skipped(enrollment, [skipped], True)
    noted = Step.objects.get(roadmap=curated, key="step-0-0")
    learning.save_note(enrollment, noted, "My note")
    learning.add_link(enrollment, noted, "Mine", "https://example.com/mine")
    before = percent(curated, user)
    history = Activity.objects.filter(enrollment=enrollment).count()
    client.force_login(user)

    response = post_copy(client, curated)

    made = the_copy(user)
    assert response.status_code == 302
    assert response.url == made.get_absolute_url()
    assert (made.origin, made.origin_revision) == (curated, 1)
    assert made.key == "curated"
    assert percent(made, user) == before == 50
    new = Enrollment.objects.get(user=user, roadmap=made)
    done = MilestoneProgress.objects.filter(enrollment=new, done_at__isnull=False)
    assert sorted(done.values_list("milestone__key", flat=True)) == sorted(
        [milestones[0].key, milestones[2].key]
    )
    assert set(done.values_list("milestone__roadmap", flat=True)) == {made.pk}
    assert StepSkip.objects.get(enrollment=new).step.key == "step-1-1"
    assert StepNote.objects.get(enrollment=new).step.roadmap == made
    assert PersonalLink.objects.get(enrollment=new).title == "Mine"
    assert Activity.objects.filter(enrollment=new).count() == history
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.LEFT
    assert not MilestoneProgress.objects.filter(enrollment=enrollment).exists()
    dashboard = client.get(reverse("roadmap:dashboard")).content.decode()
    assert made.get_absolute_url() in dashboard
    assert curated.get_absolute_url() not in dashboard
    page = client.get(made.get_absolute_url()).content.decode()
    assert "50%" in page


def test_a_learner_not_enrolled_gets_a_copy_to_track_from_nothing(client):
    curated = original()
    user = make_user()
    client.force_login(user)
    post_copy(client, curated)
    made = the_copy(user)
    assert Enrollment.objects.get(user=made.owner, roadmap=made).status == Enrollment.Status.ACTIVE
    assert not Enrollment.objects.filter(user=user, roadmap=curated).exists()


def test_two_posts_make_one_copy(client):
    curated = original()
    user = make_user()
    client.force_login(user)
    first, second = post_copy(client, curated), post_copy(client, curated)
    assert Roadmap.objects.filter(owner=user).count() == 1
    assert first.url == second.url == the_copy(user).get_absolute_url()


def test_the_database_keeps_one_copy_per_original_and_learner(copied):
    made, user = copied
    with pytest.raises(IntegrityError), transaction.atomic():
        Roadmap.objects.create(
            owner=user, origin=made.origin, key="again", slug="again_0", title="T", summary="S"
        )


def test_the_confirmation_page_says_what_happens_and_finds_an_existing_copy(client):
    curated = original()
    user = make_user()
    enrol(user, curated)
    client.force_login(user)
    page = client.get(reverse("own:copy", args=[curated.slug])).content.decode()
    assert "move to the copy" in page
    post_copy(client, curated)
    page = client.get(reverse("own:copy", args=[curated.slug])).content.decode()
    assert "You already have a copy" in page
    assert the_copy(user).get_absolute_url() in page


def test_the_roadmap_page_offers_a_copy_to_every_logged_in_viewer_and_a_way_in_to_others(client):
    curated = original()
    copy_url = reverse("own:copy", args=[curated.slug])
    anonymous = client.get(curated.get_absolute_url()).content.decode()
    assert f'href="{copy_url}"' in anonymous
    assert f'action="{copy_url}"' not in anonymous
    for name in ("first", "second"):  # the cached page serves both: no one's data in it
        client.force_login(make_user(name))
        page = client.get(curated.get_absolute_url()).content.decode()
        assert f'action="{copy_url}"' in page
    response = client.post(copy_url)
    assert response.url == the_copy(get_user("second")).get_absolute_url()


def get_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_copying_is_refused_over_the_limit_with_a_message(client, monkeypatch):
    monkeypatch.setattr(ownership, "ROADMAPS_PER_USER", 0)
    curated = original()
    user = make_user()
    enrollment = enrol(user, curated)
    client.force_login(user)
    response = post_copy(client, curated)
    assert response.status_code == 400
    assert "You can have up to 0 roadmaps" in response.content.decode()
    assert not Roadmap.objects.filter(owner=user).exists()
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.ACTIVE


def test_copying_a_roadmap_over_the_own_limits_is_refused_and_writes_nothing(client, monkeypatch):
    monkeypatch.setattr(ownership, "STEPS_PER_ROADMAP", 3)
    curated = original()
    client.force_login(make_user())
    response = post_copy(client, curated)
    assert response.status_code == 400
    assert "at most 3 steps" in response.content.decode()
    assert Roadmap.objects.filter(owner__isnull=False).count() == 0


@pytest.mark.parametrize("kind", ["draft", "own", "missing"])
def test_only_published_curated_roadmaps_can_be_copied(client, kind):
    if kind == "draft":
        slug = load_roadmap(roadmap_data(slug="drafty", status="draft")).slug
    elif kind == "own":
        slug = ownership.create_own_roadmap(make_user("owner"), validate(DATA)).slug
    else:
        slug = "nothing-here"
    client.force_login(make_user())
    url = reverse("own:copy", args=[slug])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Roadmap.objects.filter(origin__isnull=False).count() == 0


def test_copying_needs_a_login_like_a_missing_roadmap(client):
    curated = original()
    response = post_copy(client, curated)
    missing = client.post(reverse("own:copy", args=["nothing-here"]))
    assert response.status_code == missing.status_code == 302
    assert response.url == missing.url.replace("nothing-here", curated.slug)
    assert "/accounts/login/" in response.url
    assert not Roadmap.objects.filter(owner__isnull=False).exists()


# Keeping the copy in step.


@pytest.fixture
def copied(client):
    """A learner's copy of the curated roadmap, the learner logged in; returns (copy, user)."""
    curated = original()
    user = make_user()
    client.force_login(user)
    made, created = copies.make_copy(user, curated)
    assert created
    return made, user


def change_urls(made):
    return [
        ("get", reverse("own:changes", args=[made.slug])),
        ("post", reverse("own:change-apply", args=[made.slug])),
        ("post", reverse("own:change-dismiss", args=[made.slug])),
    ]


def named(change):
    return {"what": change[0], "kind": change[1], "key": change[2]}


def pending(made):
    made.refresh_from_db()
    return [(c.what, c.kind, c.key) for c in copies.pending_changes(made).changes]


def test_the_copy_lists_what_changed_in_the_original(client, copied):
    made, __ = copied
    assert pending(made) == []
    republish(changed(step=add_step))
    # The new step's milestone comes with it: one change, not two.
    assert pending(made) == [("step", "added", "new-step")]
    page = client.get(reverse("own:changes", args=[made.slug])).content.decode()
    assert "A new step" in page
    assert "1 step added in Phase 0" in page
    assert "Together with 1 step or milestone in it." in page
    assert page.count('name="kind" value="added"') == 2  # apply and dismiss


@pytest.mark.parametrize("who", ["anonymous", "other", "curator"])
def test_nobody_else_sees_or_settles_a_copys_changes(client, copied, who):
    made, __ = copied
    republish(changed(step=add_step))
    client.logout()
    if who == "other":
        client.force_login(make_user("other"))
    elif who == "curator":
        client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    change = ("step", "added", "new-step")
    for method, url in change_urls(made):
        data = named(change) if method == "post" else None
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            missing_url = url.replace(made.slug, "curated_00000000")
            missing = getattr(client, method)(missing_url, data)
            assert response.status_code == missing.status_code == 302
            assert response.url == missing.url.replace("curated_00000000", made.slug)
        else:
            assert response.status_code == 404, url
    assert pending(made) == [change]
    assert not made.steps.filter(key="new-step").exists()


def test_a_roadmap_that_is_not_a_copy_has_no_changes_page(client):
    user = make_user()
    own = ownership.create_own_roadmap(user, validate(DATA))
    client.force_login(user)
    assert client.get(reverse("own:changes", args=[own.slug])).status_code == 404


def test_nothing_changes_in_the_copy_without_the_owner(copied):
    made, __ = copied
    before = roadmap_to_data(made)
    republish(changed(step=add_step))
    made.refresh_from_db()
    assert roadmap_to_data(made) == before


def apply(client, made, change, action="own:change-apply", **extra):
    return client.post(reverse(action, args=[made.slug]), named(change), **extra)


def copy_keys(made):
    return [
        (phase["key"], [step["key"] for step in phase["steps"]])
        for phase in roadmap_to_data(made)["phases"]
    ]


def test_applying_an_added_step_puts_it_where_the_original_has_it(client, copied):
    made, __ = copied
    republish(changed(step=add_step))
    response = apply(client, made, ("step", "added", "new-step"))
    assert response.status_code == 302
    assert copy_keys(made)[0] == ("phase-0", ["step-0-0", "new-step", "step-0-1"])
    assert roadmap_to_data(made)["phases"][0]["steps"][1]["milestones"] == [
        {"key": "new-step-m0", "title": "Do the new thing"}
    ]
    made.refresh_from_db()
    assert (made.origin_revision, made.settled_changes) == (2, [])
    assert Enrollment.objects.get(user=made.owner, roadmap=made).status == Enrollment.Status.ACTIVE


def test_applying_an_added_phase_and_milestone(client, copied):
    made, __ = copied

    def add_phase(data):
        data["phases"].append(
            {
                "key": "phase-new",
                "title": "Phase new",
                "steps": [
                    {
                        "key": "late",
                        "title": "Late",
                        "summary": "Later.",
                        "hours": 1,
                        "milestones": [{"key": "late-m", "title": "Late one"}],
                    },
                    {
                        "key": "later",
                        "title": "Later",
                        "summary": "After late.",
                        "hours": 1,
                        "requires": ["late", "step-0-0"],
                        "milestones": [{"key": "later-m", "title": "Later one"}],
                    },
                ],
            }
        )

    def add_milestone(data):
        data["phases"][1]["steps"][0]["milestones"].insert(
            0, {"key": "first-m", "title": "First things first"}
        )

    republish(changed(phase=add_phase, milestone=add_milestone))
    assert apply(client, made, ("phase", "added", "phase-new")).status_code == 302
    assert apply(client, made, ("milestone", "added", "first-m")).status_code == 302
    assert copy_keys(made)[-1] == ("phase-new", ["late", "later"])
    assert sorted(roadmap_to_data(made)["phases"][-1]["steps"][1]["requires"]) == [
        "late",
        "step-0-0",
    ]
    step = roadmap_to_data(made)["phases"][1]["steps"][0]
    assert [m["key"] for m in step["milestones"]] == ["first-m", "step-1-0-m0", "step-1-0-m1"]


def test_applying_a_removal_a_rename_and_moves(client, copied):
    made, __ = copied

    def remove(data):
        del data["phases"][1]["steps"][1]  # step-1-1 (nothing requires it)

    def rename(data):
        data["phases"][0]["steps"][0]["title"] = "Renamed step"

    def move(data):
        step = data["phases"][0]["steps"].pop(1)  # step-0-1 to phase 1
        data["phases"][1]["steps"].append(step)
        milestone = data["phases"][0]["steps"][0]["milestones"].pop(1)  # to step-1-0
        data["phases"][1]["steps"][0]["milestones"].append(milestone)

    republish(changed(remove=remove, rename=rename, move=move))
    for change in [
        ("step", "removed", "step-1-1"),
        ("step", "renamed", "step-0-0"),
        ("step", "moved", "step-0-1"),
        ("milestone", "moved", "step-0-0-m1"),
    ]:
        assert apply(client, made, change).status_code == 302, change
    assert roadmap_to_data(made)["phases"] == roadmap_to_data(made.origin)["phases"]
    made.refresh_from_db()
    assert made.origin_revision == 2
    assert pending(made) == []


def test_dismissing_keeps_the_copy_and_hides_the_change(client, copied):
    made, __ = copied
    before = roadmap_to_data(made)

    def rename(data):
        data["phases"][0]["title"] = "New name"

    republish(changed(step=add_step, rename=rename))
    for change in [("phase", "renamed", "phase-0"), ("step", "added", "new-step")]:
        response = apply(client, made, change, action="own:change-dismiss")
        assert response.status_code == 302
    assert roadmap_to_data(made) == before
    made.refresh_from_db()
    assert (made.origin_revision, made.settled_changes) == (2, [])
    # A later rename of the same phase is a new change.
    newer = changed(step=add_step, rename=lambda data: data["phases"][0].update(title="Newer"))
    republish(newer)
    assert pending(made) == [("phase", "renamed", "phase-0")]


def test_a_change_to_a_step_the_learner_removed_cannot_apply_and_can_be_dismissed(client, copied):
    made, __ = copied
    mine = roadmap_to_data(made)
    del mine["phases"][1]["steps"][0]
    mine["phases"][1]["steps"][0]["requires"] = []
    write_roadmap(validate(mine), owner=made.owner, roadmap=made)

    def add_milestone(data):
        data["phases"][1]["steps"][0]["milestones"].append({"key": "extra", "title": "Extra"})

    republish(changed(milestone=add_milestone))
    page = client.get(reverse("own:changes", args=[made.slug])).content.decode()
    assert "is not in your copy" in page
    before = roadmap_to_data(made)
    response = apply(client, made, ("milestone", "added", "extra"))
    assert response.status_code == 400
    assert "You can dismiss this change" in response.content.decode()
    assert roadmap_to_data(made) == before
    dismiss = apply(client, made, ("milestone", "added", "extra"), "own:change-dismiss")
    assert dismiss.status_code == 302
    assert pending(made) == []


def test_a_change_already_so_in_the_copy_is_marked_done_without_writing(client, copied):
    made, __ = copied
    mine = roadmap_to_data(made)
    del mine["phases"][1]["steps"][1]
    write_roadmap(validate(mine), owner=made.owner, roadmap=made)
    before = roadmap_to_data(made)

    def remove(data):
        del data["phases"][1]["steps"][1]

    republish(changed(remove=remove))
    [change] = copies.pending_changes(made, with_states=True).changes
    assert (change.key, change.state) == ("step-1-1", copies.ALREADY)
    assert "Mark as done" in client.get(reverse("own:changes", args=[made.slug])).content.decode()
    assert apply(client, made, ("step", "removed", "step-1-1")).status_code == 302
    assert roadmap_to_data(made) == before
    assert pending(made) == []


def test_a_stale_apply_says_so_and_changes_nothing(client, copied):
    made, __ = copied
    republish(changed(step=add_step))
    change = ("step", "added", "new-step")
    assert apply(client, made, change).status_code == 302
    before = roadmap_to_data(made)
    again = apply(client, made, change)
    assert again.status_code == 400
    assert "no longer waiting" in again.content.decode()
    htmx = apply(client, made, change, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 422
    assert roadmap_to_data(made) == before


def test_a_change_naming_nothing_is_a_bad_request(client, copied):
    made, __ = copied
    url = reverse("own:change-apply", args=[made.slug])
    assert client.post(url, {"what": "roadmap", "kind": "added", "key": "x"}).status_code == 400
    assert client.post(url, {"what": "step", "kind": "eaten", "key": "x"}).status_code == 400


def test_htmx_apply_swaps_the_list_in_place(client, copied):
    made, __ = copied
    republish(changed(step=add_step))
    response = apply(client, made, ("step", "added", "new-step"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="copy-changes"')
    assert "Applied to your copy: A new step" in body


def test_the_cached_copy_page_shows_the_notice_when_the_original_changes(client, copied):
    made, __ = copied
    notice = "The original has changed"
    assert notice not in client.get(made.get_absolute_url()).content.decode()  # now cached
    republish(changed(step=add_step))
    page = client.get(made.get_absolute_url()).content.decode()
    assert notice in page
    assert reverse("own:changes", args=[made.slug]) in page
    apply(client, made, ("step", "added", "new-step"), action="own:change-dismiss")
    assert notice not in client.get(made.get_absolute_url()).content.decode()


def test_the_page_key_of_a_copy_follows_its_originals_revisions(copied):
    from roadmap.versions import page_versions

    made, __ = copied
    before = page_versions(made.slug, made.owner).key
    republish(changed(step=add_step))
    assert page_versions(made.slug, made.owner).key != before


def count_changes_page(client, made):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("own:changes", args=[made.slug]))
    assert response.status_code == 200
    return len(queries)


def test_the_changes_page_and_the_copy_ask_the_same_number_of_queries_for_500_steps(
    client, monkeypatch
):
    monkeypatch.setattr(ownership, "STEPS_PER_ROADMAP", 1000)
    counts = []
    for size, slug in ((1, "small"), (250, "large")):  # 2 phases: 2 or 500 steps
        data = roadmap_data(slug=slug, phases=2, steps=size, milestones=1)
        curated = load_roadmap(data)
        user = make_user(slug)
        made, __ = copies.make_copy(user, curated)
        for phase in data["phases"]:
            for step in phase["steps"]:
                step["title"] += " (new)"
        data["phases"][0]["steps"][0]["milestones"].append({"key": "more", "title": "More"})
        republish(data)
        client.force_login(user)
        assert len(copies.pending_changes(made).changes) == 2 * size + 1
        with CaptureQueriesContext(connection) as page_queries:  # the copy's page, uncached
            assert "The original has changed" in client.get(made.get_absolute_url()).text
        counts.append((count_changes_page(client, made), len(page_queries)))
    assert counts[0] == counts[1]
    assert counts[0][0] <= 12
