import copy

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from roadmap.content import export_roadmap, load_files, parse_text, validate, write_roadmap
from roadmap.models import Activity, Milestone, MilestoneProgress, Phase, Resource, Step, StepSkip
from tests.factories import enrol, load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db


def write_yaml(tmp_path, data, name="roadmap.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_loading_creates_the_whole_tree(tmp_path):
    [report] = load_files([write_yaml(tmp_path, roadmap_data(phases=2, steps=3, milestones=2))])

    assert report.created
    assert Phase.objects.count() == 2
    assert Step.objects.count() == 6
    assert Milestone.objects.count() == 12
    assert Resource.objects.count() == 6
    step = Step.objects.get(key="step-1-2")
    assert [s.key for s in step.requires.all()] == ["step-1-1"]
    assert [s.slug for s in step.skills.all()] == ["testing"]
    assert step.phase.key == "phase-1"
    assert list(step.milestones.values_list("key", flat=True)) == [
        "step-1-2-m0",
        "step-1-2-m1",
    ]


def test_loading_twice_writes_nothing_the_second_time(tmp_path):
    path = write_yaml(tmp_path, roadmap_data(phases=2, steps=3, milestones=2))
    load_files([path])

    with CaptureQueriesContext(connection) as queries:
        [report] = load_files([path])

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert not report.changed


def test_command_reports_created_then_unchanged(tmp_path, capsys):
    path = write_yaml(tmp_path, roadmap_data())
    call_command("loadroadmap", str(path))
    call_command("loadroadmap", str(tmp_path))  # a folder loads every *.yaml in it
    out = capsys.readouterr().out.splitlines()
    assert out == ["test-roadmap: created", "test-roadmap: unchanged"]


def test_updating_keeps_progress_on_milestones_whose_key_survives(tmp_path):
    data = roadmap_data(phases=2, steps=2, milestones=2)
    load_files([write_yaml(tmp_path, data)])
    enrollment = enrol(make_user(), Phase.objects.first().roadmap)
    kept = Milestone.objects.get(key="step-0-0-m0")
    MilestoneProgress.objects.create(enrollment=enrollment, milestone=kept, done_at=timezone.now())

    # The curator renames the step, moves it to the other phase, retitles the milestone
    # and reorders the phases.
    updated = copy.deepcopy(data)
    step = updated["phases"][0]["steps"].pop(0)
    step["title"] = "Renamed step"
    step["milestones"][0]["title"] = "Reworded milestone"
    updated["phases"][1]["steps"].append(step)
    updated["phases"].reverse()
    [report] = load_files([write_yaml(tmp_path, updated)])

    progress = MilestoneProgress.objects.get(enrollment=enrollment)
    assert progress.milestone_id == kept.pk
    assert progress.done_at is not None
    moved = Step.objects.get(key="step-0-0")
    assert (moved.title, moved.phase.key, moved.position) == ("Renamed step", "phase-1", 2)
    assert Milestone.objects.get(pk=kept.pk).title == "Reworded milestone"
    assert list(Phase.objects.values_list("key", flat=True)) == ["phase-1", "phase-0"]
    assert report.changes["steps updated"] == 2  # the moved step, and the one that moved up


def test_removed_milestone_with_progress_is_archived_not_deleted(tmp_path):
    data = roadmap_data(phases=1, steps=1, milestones=3)
    load_files([write_yaml(tmp_path, data)])
    enrollment = enrol(make_user(), Phase.objects.first().roadmap)
    ticked = Milestone.objects.get(key="step-0-0-m2")
    MilestoneProgress.objects.create(
        enrollment=enrollment, milestone=ticked, done_at=timezone.now()
    )

    data["phases"][0]["steps"][0]["milestones"] = data["phases"][0]["steps"][0]["milestones"][:1]
    [report] = load_files([write_yaml(tmp_path, data)])

    assert report.changes["milestones archived"] == 1
    assert report.changes["milestones removed"] == 1
    assert Milestone.objects.get(pk=ticked.pk).archived_at is not None
    assert not Milestone.objects.filter(key="step-0-0-m1").exists()
    assert MilestoneProgress.objects.filter(enrollment=enrollment).count() == 1


def test_removed_step_and_phase_with_history_are_archived(tmp_path):
    data = roadmap_data(phases=2, steps=1, milestones=1)
    load_files([write_yaml(tmp_path, data)])
    enrollment = enrol(make_user(), Phase.objects.first().roadmap)
    step = Step.objects.get(key="step-1-0")
    StepSkip.objects.create(enrollment=enrollment, step=step)
    Activity.objects.create(enrollment=enrollment, kind=Activity.Kind.SKIPPED, step=step)

    data["phases"].pop()
    load_files([write_yaml(tmp_path, data)])

    assert Step.objects.get(pk=step.pk).archived_at is not None
    assert Phase.objects.get(key="phase-1").archived_at is not None
    assert list(Step.objects.live().values_list("key", flat=True)) == ["step-0-0"]


def test_restoring_an_archived_milestone_brings_its_progress_back(tmp_path):
    data = roadmap_data(phases=1, steps=1, milestones=2)
    path = write_yaml(tmp_path, data)
    load_files([path])
    enrollment = enrol(make_user(), Phase.objects.first().roadmap)
    milestone = Milestone.objects.get(key="step-0-0-m1")
    MilestoneProgress.objects.create(
        enrollment=enrollment, milestone=milestone, done_at=timezone.now()
    )
    trimmed = copy.deepcopy(data)
    trimmed["phases"][0]["steps"][0]["milestones"].pop()
    load_files([write_yaml(tmp_path, trimmed, "trimmed.yaml")])

    load_files([path])

    assert Milestone.objects.get(pk=milestone.pk).archived_at is None


def test_removed_content_without_history_is_deleted(tmp_path):
    data = roadmap_data(phases=2, steps=2, milestones=1)
    load_files([write_yaml(tmp_path, data)])
    data["phases"].pop()
    [report] = load_files([write_yaml(tmp_path, data)])
    assert report.changes["phases removed"] == 1
    assert report.changes["steps removed"] == 2
    assert Phase.objects.filter(archived_at__isnull=False).count() == 0
    assert Step.objects.count() == 2


def test_resources_are_replaced_when_they_change(tmp_path):
    data = roadmap_data(phases=1, steps=1, milestones=1)
    load_files([write_yaml(tmp_path, data)])
    data["phases"][0]["steps"][0]["resources"] = [
        {"title": "Book", "url": "https://example.org/book", "kind": "book"},
        {"title": "Course", "url": "https://example.org/course", "kind": "course", "free": True},
    ]
    load_files([write_yaml(tmp_path, data)])
    assert list(Resource.objects.values_list("title", "kind", "free")) == [
        ("Book", "book", False),
        ("Course", "course", True),
    ]


def test_export_then_load_round_trips_to_identical_data(tmp_path):
    data = roadmap_data(phases=3, steps=3, milestones=2)
    data["description"] = "A longer description."
    data["phases"][1]["summary"] = "Phase summary."
    data["phases"][2]["steps"][0]["requires"] = ["step-0-1", "step-1-2"]
    load_files([write_yaml(tmp_path, data)])

    exported = export_roadmap("test-roadmap")

    assert validate(yaml.safe_load(exported)) == validate(data)
    path = tmp_path / "exported.yaml"
    path.write_text(exported, encoding="utf-8")
    [report] = load_files([path])
    assert not report.changed
    assert export_roadmap("test-roadmap") == exported


def test_shipped_roadmap_round_trips(ml_roadmap, tmp_path):
    exported = export_roadmap(ml_roadmap.slug)
    path = tmp_path / "ml.yaml"
    path.write_text(exported, encoding="utf-8")
    original = parse_text((tmp_path / "ml.yaml").read_text(encoding="utf-8"))
    [report] = load_files([path])
    assert not report.changed
    assert original.slug == "machine-learning-engineer"


def test_exportroadmap_command_prints_yaml(capsys):
    load_roadmap(roadmap_data())
    call_command("exportroadmap", "test-roadmap")
    assert yaml.safe_load(capsys.readouterr().out)["slug"] == "test-roadmap"


def test_exportroadmap_of_an_unknown_slug_fails_clearly():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No roadmap with the slug"):
        call_command("exportroadmap", "nope")


def test_write_roadmap_is_atomic_on_a_database_error(tmp_path):
    """Anything that fails half-way (here, a constraint) leaves no partial roadmap behind."""
    data = roadmap_data(phases=1, steps=1, milestones=1)
    spec = validate(data)
    load_roadmap(roadmap_data(slug="other"))
    before = Step.objects.count()
    broken = spec.__class__(**{**spec.__dict__, "phases": spec.phases * 2})
    with pytest.raises(Exception):  # noqa: B017, PT011 - the duplicate key's IntegrityError
        write_roadmap(broken)
    assert Step.objects.count() == before
