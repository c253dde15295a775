"""The change summary between two versions of a roadmap, compared by key."""

import copy

from roadmap.content.diff import diff_roadmaps
from tests.factories import roadmap_data


def changed(old, new):
    return sorted((c.what, c.kind, c.key) for c in diff_roadmaps(old, new).changes)


def test_identical_versions_have_no_changes():
    data = roadmap_data()
    assert not diff_roadmaps(data, copy.deepcopy(data))
    assert diff_roadmaps(data, copy.deepcopy(data)).lines() == []


def test_a_first_version_adds_everything():
    data = roadmap_data(phases=1, steps=1, milestones=2)
    assert changed(None, data) == [
        ("milestone", "added", "step-0-0-m0"),
        ("milestone", "added", "step-0-0-m1"),
        ("phase", "added", "phase-0"),
        ("step", "added", "step-0-0"),
    ]


def test_added_removed_renamed_and_moved_are_told_apart():
    old = roadmap_data()
    new = copy.deepcopy(old)
    first, second = new["phases"]
    first["steps"][0]["title"] = "A better title"
    first["steps"][0]["milestones"].append({"key": "fresh", "title": "Something new"})
    first["steps"][0]["milestones"].append({"key": "fresh-2", "title": "Something newer"})
    first["steps"][1]["milestones"][0]["title"] = "Reworded"
    moved = first["steps"].pop(1)
    second["steps"].append(moved)
    del second["steps"][0]["milestones"][1]

    assert changed(old, new) == [
        ("milestone", "added", "fresh"),
        ("milestone", "added", "fresh-2"),
        ("milestone", "removed", "step-1-0-m1"),
        ("milestone", "renamed", "step-0-1-m0"),
        ("step", "moved", "step-0-1"),
        ("step", "renamed", "step-0-0"),
    ]
    lines = diff_roadmaps(old, new).lines()
    assert "2 milestones added in Phase 0" in lines
    assert "1 milestone removed from Phase 1" in lines
    assert "1 step moved to Phase 1" in lines
    assert "1 step renamed in Phase 0" in lines
    assert "1 milestone reworded in Phase 1" in lines


def test_phase_changes_are_named():
    old = roadmap_data()
    new = copy.deepcopy(old)
    new["phases"][0]["title"] = "Basics"
    new["phases"].pop(1)

    lines = diff_roadmaps(old, new).lines()

    assert "Phase renamed to Basics" in lines
    assert "Phase removed: Phase 1" in lines
    assert "2 steps removed from Phase 1" in lines
