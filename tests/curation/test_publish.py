"""Draft → preview → publish, revisions, and the "what changed" notice for learners."""

import copy
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from roadmap import curation, learning
from roadmap.content import ContentError, write_roadmap
from roadmap.content.schema import validate
from roadmap.models import Milestone, MilestoneProgress, Revision, Roadmap, Step
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import milestone, tick_url

pytestmark = pytest.mark.django_db

PAGE = "/roadmaps/test-roadmap/"
PREVIEW = "/roadmaps/test-roadmap/preview/"


def curator(username="curator"):
    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def update(data, change):
    data = copy.deepcopy(data)
    change(data)
    write_roadmap(validate(data))
    return data


def test_a_draft_is_invisible_to_learners_and_visitors_but_a_curator_can_preview_it():
    load_roadmap(roadmap_data(status="draft"))
    learner = logged_in(make_user())

    for client in (Client(), learner):
        assert client.get(PAGE).status_code == 404
        assert client.get(PREVIEW).status_code == 404
        assert "Roadmap test-roadmap" not in client.get("/roadmaps/").content.decode()
        assert client.post("/roadmaps/test-roadmap/enrol/").status_code in (302, 404)
    preview = logged_in(curator()).get(PREVIEW)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Preview of a draft" in html
    assert "Milestone 0 of step-0-0" in html
    assert 'id="enrol"' not in html


def test_publishing_records_a_revision_and_opens_the_roadmap_to_learners():
    roadmap = load_roadmap(roadmap_data(status="draft"))
    user = curator()

    revision = curation.publish(roadmap, user)

    assert Roadmap.objects.get().status == "published"
    assert (revision.number, revision.created_by, revision.source) == (1, user, "admin")
    assert {change["what"] for change in revision.changes} == {"phase", "step", "milestone"}
    assert Client().get(PAGE).status_code == 200
    assert curation.publish(roadmap, user) is None  # nothing changed: no new revision


@pytest.mark.parametrize("problem", ["no milestones", "cycle"])
def test_publishing_invalid_content_is_refused_and_changes_nothing(problem):
    roadmap = load_roadmap(roadmap_data(status="draft"))
    if problem == "no milestones":
        Milestone.objects.filter(step__key="step-0-1").update(archived_at=timezone.now())
    else:
        first, second = Step.objects.get(key="step-0-0"), Step.objects.get(key="step-0-1")
        first.requires.add(second)  # step-0-1 already requires step-0-0

    with pytest.raises(ContentError) as error:
        curation.publish(roadmap)

    message = str(error.value)
    assert ("milestones" if problem == "no milestones" else "cycle") in message
    assert "phases[0].steps[" in message
    assert Roadmap.objects.get().status == "draft"
    assert not Revision.objects.exists()


def test_the_admin_publish_action_reports_a_refusal():
    load_roadmap(roadmap_data(status="draft"))
    Milestone.objects.filter(step__key="step-0-1").update(archived_at=timezone.now())
    client = logged_in(curator())

    response = client.post(
        reverse("admin:roadmap_roadmap_changelist"),
        {"action": "publish", "_selected_action": [Roadmap.objects.get().pk]},
        follow=True,
    )

    assert "was not published" in response.content.decode()
    assert Roadmap.objects.get().status == "draft"


def test_the_admin_publish_action_publishes():
    load_roadmap(roadmap_data(status="draft"))
    client = logged_in(curator())

    response = client.post(
        reverse("admin:roadmap_roadmap_changelist"),
        {"action": "publish", "_selected_action": [Roadmap.objects.get().pk]},
        follow=True,
    )

    assert "is published as revision 1" in response.content.decode()
    assert Roadmap.objects.get().status == "published"


def test_loading_an_updated_file_records_a_revision_and_reloading_it_does_not():
    data = roadmap_data()
    load_roadmap(data)
    assert Revision.objects.count() == 1

    new = update(
        data,
        lambda d: d["phases"][0]["steps"][0]["milestones"].append(
            {"key": "fresh", "title": "Something new"}
        ),
    )
    update(new, lambda d: None)

    assert list(Revision.objects.values_list("number", "source")) == [(2, "file"), (1, "file")]
    assert Revision.objects.get(number=2).changes == [
        {
            "what": "milestone",
            "kind": "added",
            "key": "fresh",
            "title": "Something new",
            "phase": "Phase 0",
        }
    ]


def test_an_enrolled_learner_sees_what_changed_keeps_progress_and_can_dismiss_it():
    data = roadmap_data(phases=1, steps=1, milestones=2)
    roadmap = load_roadmap(data)
    user = make_user()
    enrollment = enrol(user, roadmap)
    client = logged_in(user)
    for key in ("step-0-0-m0", "step-0-0-m1"):
        client.post(tick_url(milestone(key)), {"done": "1"})
    assert "What changed" not in client.get(PAGE).content.decode()
    assert "100%" in client.get(PAGE).content.decode()

    def change(d):
        d["phases"][0]["steps"][0]["title"] = "Renamed step"
        d["phases"][0]["steps"][0]["milestones"].append({"key": "fresh", "title": "New one"})

    update(data, change)
    html = client.get(PAGE).content.decode()

    assert "What changed since you last looked" in html
    assert "1 milestone added in Phase 0" in html
    assert "1 step renamed in Phase 0" in html
    assert '<span class="percent">66%</span>' in html  # 2 of 3: progress kept, new one not done
    assert (
        MilestoneProgress.objects.filter(enrollment=enrollment, done_at__isnull=False).count() == 2
    )

    response = client.post("/roadmaps/test-roadmap/changes/seen/", {"revision": "2"})
    assert response.status_code == 302
    assert "What changed" not in client.get(PAGE).content.decode()


def test_a_learner_who_enrolled_after_a_change_is_not_told_about_it():
    data = roadmap_data()
    load_roadmap(data)
    update(data, lambda d: d["phases"][0]["steps"][0]["milestones"].pop())
    Revision.objects.update(created_at=timezone.now() - timedelta(days=1))
    user = make_user()
    enrol(user, Roadmap.objects.get())

    assert "What changed" not in logged_in(user).get(PAGE).content.decode()


def test_dismissing_is_per_learner_and_checks_its_input():
    data = roadmap_data()
    roadmap = load_roadmap(data)
    Revision.objects.update(created_at=timezone.now() - timedelta(days=1))
    mine, theirs = make_user("mine"), make_user("theirs")
    enrol(mine, roadmap), enrol(theirs, roadmap)
    update(data, lambda d: d["phases"][1]["steps"].pop())
    me, them = logged_in(mine), logged_in(theirs)

    assert me.post("/roadmaps/test-roadmap/changes/seen/", {"revision": "x"}).status_code == 400
    me.post("/roadmaps/test-roadmap/changes/seen/", {"revision": "2"})

    assert "What changed" not in me.get(PAGE).content.decode()
    assert "1 step removed from Phase 1" in them.get(PAGE).content.decode()
    stranger = logged_in(make_user("stranger"))
    assert (
        stranger.post("/roadmaps/test-roadmap/changes/seen/", {"revision": "2"}).status_code == 404
    )


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_notice_costs_a_constant_number_of_queries(size, django_assert_max_num_queries):
    roadmap = bulk_roadmap(phases=1, steps=5) if size == "small" else bulk_roadmap()
    curation.record_revision(roadmap)
    Revision.objects.update(created_at=timezone.now() - timedelta(days=1))
    user = make_user()
    enrol(user, roadmap)
    Step.objects.filter(roadmap=roadmap, position=0).update(title="Renamed")
    curation.record_revision(roadmap)
    client = logged_in(user)

    with django_assert_max_num_queries(18):  # uncached: the cache key's versions, then the page
        response = client.get(roadmap.get_absolute_url())
    assert "What changed since you last looked" in response.content.decode()


def test_curators_edit_content_but_not_users():
    client = logged_in(curator())

    assert client.get(reverse("admin:roadmap_step_changelist")).status_code == 200
    assert client.get(reverse("admin:roadmap_roadmap_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert logged_in(make_user()).get(reverse("admin:index")).status_code == 302


def test_deleting_content_with_progress_is_refused_with_a_pointer_to_archiving():
    roadmap = load_roadmap(roadmap_data())
    user = make_user()
    client = logged_in(user)
    enrol(user, roadmap)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    step = Step.objects.get(key="step-0-0")
    admin = logged_in(curator())

    response = admin.post(reverse("admin:roadmap_step_delete", args=[step.pk]), {"post": "yes"})

    assert Step.objects.filter(pk=step.pk).exists()
    assert "Use the “Archive” action" in response.content.decode()
    admin.post(
        reverse("admin:roadmap_step_changelist"),
        {"action": "archive", "_selected_action": [step.pk]},
    )
    step.refresh_from_db()
    assert step.archived_at is not None
    assert "Step 0.0" not in Client().get(PAGE).content.decode()


def test_a_roadmap_edited_like_the_admin_does_exports_and_loads_back_unchanged():
    from roadmap.content import export_roadmap, parse_text

    roadmap = load_roadmap(roadmap_data())
    step = Step.objects.get(key="step-0-1")
    step.title = "Edited in the admin"
    step.save()
    Milestone.objects.create(roadmap=roadmap, step=step, key="admin-added", title="New", position=5)
    curation.renumber(roadmap)  # what every admin save does
    curation.record_revision(roadmap)
    before = Revision.objects.count()

    report = write_roadmap(parse_text(export_roadmap("test-roadmap")))

    assert not report.changed
    assert Revision.objects.count() == before


def test_removing_a_completed_milestone_archives_it_and_the_export_keeps_it():
    from accounts.export import export

    data = roadmap_data()
    roadmap = load_roadmap(data)
    user = make_user()
    enrollment = enrol(user, roadmap)
    learning.set_milestone(enrollment, Milestone.objects.get(key="step-0-0-m1"), True)

    update(data, lambda d: d["phases"][0]["steps"][0]["milestones"].pop())

    gone = Milestone.objects.get(key="step-0-0-m1")
    assert gone.archived_at is not None
    document = export(user)
    keys = [row["milestone"] for row in document["enrolments"][0]["progress"]]
    assert "step-0-0-m1" in keys
    assert any(entry["milestone"] == "step-0-0-m1" for entry in document["activity"])


def test_the_migration_and_curators_group_agree_on_permissions():
    made_by_migration = set(Group.objects.get(name="Curators").permissions.all())

    assert set(curation.curators_group().permissions.all()) == made_by_migration
    assert len(made_by_migration) == 25
