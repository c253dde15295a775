"""Every kind of broken content file is refused with its place named, and nothing changes."""

import copy

import pytest
import yaml
from django.core.management import CommandError, call_command

from roadmap.content import ContentError, load_files, parse_text
from roadmap.models import Milestone, Phase, Resource, Roadmap, Skill, Step
from tests.factories import load_roadmap, roadmap_data

pytestmark = pytest.mark.django_db


def broken(change):
    data = roadmap_data(phases=3, steps=2, milestones=2)
    change(data)
    return data


def step(data, phase=0, index=0):
    return data["phases"][phase]["steps"][index]


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Roadmap, Phase, Step, Milestone, Resource, Skill)
    ]


CASES = {
    "missing required field": (
        lambda d: step(d, 1).pop("summary"),
        "phases[1].steps[0].summary",
        "is required",
    ),
    "unknown field": (
        lambda d: step(d, 0, 1).update(colour="blue"),
        "phases[0].steps[1].colour",
        "unknown field",
    ),
    "javascript url": (
        lambda d: step(d, 2)["resources"][0].update(url="javascript:alert(1)"),
        "phases[2].steps[0].resources[0].url",
        "not an http or https address",
    ),
    "ftp url": (
        lambda d: step(d, 2)["resources"][0].update(url="ftp://example.com/file"),
        "phases[2].steps[0].resources[0].url",
        "not an http or https address",
    ),
    "duplicate step key": (
        lambda d: step(d, 2, 1).update(key="step-0-0"),
        "phases[2].steps[1].key",
        "duplicate step key “step-0-0” (first used at phases[0].steps[0].key)",
    ),
    "duplicate milestone key across steps": (
        lambda d: step(d, 1)["milestones"][1].update(key="step-0-0-m0"),
        "phases[1].steps[0].milestones[1].key",
        "duplicate milestone key",
    ),
    "duplicate phase key": (
        lambda d: d["phases"][2].update(key="phase-0"),
        "phases[2].key",
        "duplicate phase key",
    ),
    "dangling requires": (
        lambda d: step(d, 1, 1).update(requires=["no-such-step"]),
        "phases[1].steps[1].requires[0]",
        "unknown step “no-such-step”",
    ),
    "dangling skill": (
        lambda d: step(d, 0).update(skills=["testing", "juggling"]),
        "phases[0].steps[0].skills[1]",
        "unknown skill “juggling”",
    ),
    "requires cycle": (
        lambda d: (
            step(d, 0).update(requires=["step-2-1"]) or step(d, 2).update(requires=["step-0-1"])
        ),
        "phases[0].steps[0].requires",
        "prerequisites form a cycle: step-0-0 → step-2-1 → step-2-0 → step-0-1 → step-0-0",
    ),
    "step requires itself": (
        lambda d: step(d, 1).update(requires=["step-1-0"]),
        "phases[1].steps[0].requires[0]",
        "a step cannot require itself",
    ),
    "step without milestones": (
        lambda d: step(d, 2, 1).update(milestones=[]),
        "phases[2].steps[1].milestones",
        "must not be empty",
    ),
    "phase without steps": (
        lambda d: d["phases"][1].update(steps=[]),
        "phases[1].steps",
        "must not be empty",
    ),
    "over-long title": (
        lambda d: step(d, 1)["milestones"][0].update(title="x" * 301),
        "phases[1].steps[0].milestones[0].title",
        "is 301 characters long; the limit is 300",
    ),
    "bad key characters": (
        lambda d: step(d, 0).update(key="Step One"),
        "phases[0].steps[0].key",
        "lowercase letters, digits and single hyphens",
    ),
    "hours out of range": (
        lambda d: step(d, 0).update(hours=0),
        "phases[0].steps[0].hours",
        "whole number from 1 to 1000",
    ),
    "hours not a number": (
        lambda d: step(d, 0).update(hours="lots"),
        "phases[0].steps[0].hours",
        "whole number",
    ),
    "unknown resource kind": (
        lambda d: step(d, 0)["resources"][0].update(kind="podcast"),
        "phases[0].steps[0].resources[0].kind",
        "must be one of",
    ),
    "bad status": (lambda d: d.update(status="live"), "status", "must be one of"),
    "title is not text": (
        lambda d: d["phases"][0].update(title=2025),
        "phases[0].title",
        "must be text",
    ),
    "unused skill": (
        lambda d: d["skills"].append({"slug": "unused", "name": "Unused"}),
        "skills[1]",
        "not used by any step",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_broken_file_is_rejected_with_its_place_and_nothing_changes(case, tmp_path):
    change, place, message = CASES[case]
    load_roadmap(roadmap_data(phases=3, steps=2, milestones=2))
    before = snapshot()
    path = tmp_path / "broken.yaml"
    data = broken(change)
    data["title"] = "Changed title that must not be saved"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    with pytest.raises(ContentError) as raised:
        load_files([path])

    messages = [str(problem) for problem in raised.value.problems]
    assert any(m.startswith(f"{path}: {place}") and message in m for m in messages), messages
    assert snapshot() == before


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        ("slug: a\ntitle: [unclosed\n", "line 3, column 1", "invalid YAML"),
        ("slug: a\nslug: b\n", "line 2, column 1", "found duplicate key 'slug'"),
        ("- just\n- a list\n", "(top level)", "must be a mapping of fields"),
        ("", "(top level)", "must be a mapping of fields"),
    ],
)
def test_unparseable_documents_are_rejected(text, place, message):
    with pytest.raises(ContentError) as raised:
        parse_text(text, "file.yaml")
    assert f"file.yaml: {place}: " in str(raised.value)
    assert message in str(raised.value)


def test_one_broken_file_stops_every_file_from_loading(tmp_path):
    good = tmp_path / "a-good.yaml"
    good.write_text(yaml.safe_dump(roadmap_data(slug="good")), encoding="utf-8")
    bad_data = roadmap_data(slug="bad")
    step(bad_data)["milestones"] = []
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(yaml.safe_dump(bad_data), encoding="utf-8")

    with pytest.raises(ContentError):
        load_files([good, bad])

    assert not Roadmap.objects.exists()


def test_two_files_with_the_same_slug_are_refused(tmp_path):
    paths = []
    for name in ("one.yaml", "two.yaml"):
        paths.append(tmp_path / name)
        paths[-1].write_text(yaml.safe_dump(roadmap_data()), encoding="utf-8")
    with pytest.raises(ContentError, match="also the slug of"):
        load_files(paths)
    assert not Roadmap.objects.exists()


def test_command_names_the_file_and_place_and_exits_non_zero(tmp_path, capsys):
    data = roadmap_data()
    step(data, 1)["resources"][0]["url"] = "javascript:alert(1)"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was loaded: 1 problem"):
        call_command("loadroadmap", str(path))

    err = capsys.readouterr().err
    assert f"{path}: phases[1].steps[0].resources[0].url: " in err
    assert not Roadmap.objects.exists()


def test_missing_file_is_reported():
    with pytest.raises(ContentError, match="cannot read the file"):
        load_files(["/nonexistent/roadmap.yaml"])


def test_every_problem_is_reported_at_once():
    data = copy.deepcopy(roadmap_data())
    step(data)["hours"] = -1
    step(data, 1)["milestones"] = []
    with pytest.raises(ContentError) as raised:
        parse_text(yaml.safe_dump(data))
    assert len(raised.value.problems) == 2
