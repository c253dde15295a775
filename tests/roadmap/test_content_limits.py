"""Hostile content files are refused in well under a second, in one line, and change nothing."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection

from roadmap import curation
from roadmap.content import ContentError, parse_text, validate
from roadmap.content.reading import LOADERS, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES, check_shape
from roadmap.content.schema import (
    MAX_MILESTONES,
    MAX_PHASES,
    MAX_RESOURCES,
    MAX_SKILLS,
    MAX_STEPS,
)
from roadmap.models import Milestone, Phase, Resource, Roadmap, Skill, Step
from tests.factories import load_roadmap, roadmap_data

ROOT = Path(__file__).resolve().parents[2]


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Roadmap, Phase, Step, Milestone, Resource, Skill)
    ]


def dumped(change=None, **size):
    data = roadmap_data(**size)
    data["title"] = "Changed title that must not be saved"
    if change:
        change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=False)


def step(data, phase=0, index=0):
    return data["phases"][phase]["steps"][index]


def billion_laughs():
    lines = ['lol0: &lol0 "lol"']
    for level in range(1, 10):
        previous = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{previous}]")
    return "\n".join(lines) + "\n"


def million_entries():
    """About 15 MB: the loader must refuse it by its size, before reading it all."""
    return "slug: huge\nphases:\n" + "  - {key: p, title: t}\n" * 1_000_000


# name: (file text, place, words of the message)
HOSTILE = {
    "billion laughs": (billion_laughs(), "line 1, column 7", "anchors and aliases"),
    "a merge key": (
        "defaults: &d {hours: 1}\nslug: x\nother: {<<: *d}\n",
        "line 1, column 11",
        "anchors and aliases",
    ),
    "a million entries": (
        million_entries(),
        "(top level)",
        f"larger than {MAX_FILE_BYTES // 1024} KiB",
    ),
    "10,000-deep sequences": (
        "slug: deep\nphases: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "line 2, column ",
        "nest",
    ),
    "10,000-deep mappings": (
        "slug: deep\nphases: " + "{a: " * 10_000 + "b" + "}" * 10_000 + "\n",
        "line 2, column ",
        "nest",
    ),
    "more values than the limit": (
        "slug: wide\ntitle: [" + ", ".join(["0"] * (MAX_VALUES + 10)) + "]\n",
        "line 2, column ",
        f"more than {MAX_VALUES} values",
    ),
    "more steps than the limit": (
        dumped(phases=1, steps=MAX_STEPS + 1, milestones=1),
        f"phases[0].steps[{MAX_STEPS}]",
        f"at most {MAX_STEPS} steps",
    ),
    "more phases than the limit": (
        dumped(phases=MAX_PHASES + 1, steps=1, milestones=1),
        f"phases[{MAX_PHASES}]",
        f"at most {MAX_PHASES} phases",
    ),
    "NUL in a title": (
        dumped(lambda d: step(d, 1).update(title="Step\x00one")),
        "phases[1].steps[0].title",
        "control character U+0000",
    ),
    "a raw NUL byte": (
        "slug: x\ntitle: a\x00b\n",
        "line 2, column 9",
        "character U+0000 is not allowed",
    ),
    "escape sequence in a milestone title": (
        dumped(lambda d: step(d)["milestones"][1].update(title="\x1b[2Jgone")),
        "phases[0].steps[0].milestones[1].title",
        "control character U+001B",
    ),
    "line break in a phase title": (
        dumped(lambda d: d["phases"][1].update(title="two\nlines")),
        "phases[1].title",
        "control character U+000A (this field is one line of text)",
    ),
    "C1 control in a skill name": (
        dumped(lambda d: d["skills"][0].update(name="Test\x85ing")),
        "skills[0].name",
        "control character U+0085",
    ),
    "DEL in a resource title": (
        dumped(lambda d: step(d, 1, 1)["resources"][0].update(title="Do\x7fcs")),
        "phases[1].steps[1].resources[0].title",
        "control character U+007F",
    ),
    "form feed in a step summary": (
        dumped(lambda d: step(d, 0, 1).update(summary="page\x0cbreak")),
        "phases[0].steps[1].summary",
        "control character U+000C (only line breaks and tabs are allowed)",
    ),
    "an impossible date": ("slug: 2025-13-45\n", "line 1, column 7", "not a valid number or date"),
    "a 5,000-digit number": (
        "hours: " + "9" * 5000 + "\n",
        "line 1, column 8",
        "not a valid number",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_file_is_refused_fast_in_one_line_and_nothing_changes(case, tmp_path):
    text, place, words = HOSTILE[case]
    load_roadmap(roadmap_data(phases=3, steps=2, milestones=2))
    before = snapshot()
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    stderr = io.StringIO()

    started = time.perf_counter()
    with pytest.raises(CommandError, match="Nothing was loaded") as raised:
        call_command("loadroadmap", str(path), stderr=stderr)
    elapsed = time.perf_counter() - started

    assert elapsed < 1, f"{elapsed:.2f} s"
    assert raised.value.returncode != 0
    [line] = stderr.getvalue().splitlines()
    assert line.startswith(f"{path}: {place}"), line
    assert words in line, line
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "case", ["billion laughs", "a million entries", "10,000-deep sequences", "NUL in a title"]
)
def test_command_in_its_own_process_prints_one_line_and_no_traceback(case, tmp_path):
    text, place, words = HOSTILE[case]
    load_roadmap(roadmap_data())
    before = snapshot()
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", "loadroadmap", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": _test_database_url()},
        timeout=60,
    )
    elapsed = time.perf_counter() - started

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    problem, summary = result.stderr.splitlines()
    assert problem.startswith(f"{path}: {place}"), problem
    assert words in problem, problem
    assert summary == "CommandError: Nothing was loaded: 1 problem(s) found."
    assert elapsed < 10, f"{elapsed:.2f} s, Python and Django starting included"
    assert snapshot() == before


def _test_database_url():
    """The database this test runs on, for the child process to use (not the development one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}@{host}/{db['NAME']}"


@pytest.mark.parametrize("loader", LOADERS, ids=[loader.__name__ for loader in LOADERS])
@pytest.mark.parametrize(
    "case",
    [
        "billion laughs",
        "10,000-deep mappings",
        "more phases than the limit",
        "a raw NUL byte",
        "an impossible date",
    ],
)
def test_both_yaml_scanners_refuse_hostile_documents(case, loader):
    """The pure-Python scanner is used where PyYAML was installed without libyaml."""
    text, place, words = HOSTILE[case]
    with pytest.raises(ContentError) as raised:
        parse_text(text, "hostile.yaml", loader=loader)
    [line] = str(raised.value).splitlines()
    assert line.startswith(f"hostile.yaml: {place}"), line
    assert words in line, line


@pytest.mark.parametrize("loader", LOADERS, ids=[loader.__name__ for loader in LOADERS])
def test_nesting_up_to_the_limit_parses_and_one_more_level_is_refused(loader):
    def nested(levels):  # a mapping counts as a level, and so does the value at the bottom
        return "{a: " * (levels - 1) + "b" + "}" * (levels - 1)

    check_shape(nested(MAX_DEPTH), loader)
    with pytest.raises(ContentError, match=f"nested more than {MAX_DEPTH} levels deep"):
        parse_text(nested(MAX_DEPTH + 1), loader=loader)


def test_a_roadmap_at_every_count_limit_fits_the_file_limits_and_loads():
    steps_per_phase = MAX_STEPS // MAX_PHASES
    data = roadmap_data(phases=MAX_PHASES, steps=steps_per_phase, milestones=5)
    data["skills"] = [
        {"slug": f"skill-{n}", "name": f"Skill {n}", "category": "Craft"} for n in range(MAX_SKILLS)
    ]
    for number, item in enumerate(s for phase in data["phases"] for s in phase["steps"]):
        item["skills"] = [f"skill-{number % MAX_SKILLS}"]
        item["resources"] = [dict(item["resources"][0]) for _ in range(5)]
    text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)

    spec = parse_text(text)

    assert len(text.encode()) <= MAX_FILE_BYTES
    steps = spec.steps()
    assert (len(spec.phases), len(steps), len(spec.skills)) == (MAX_PHASES, MAX_STEPS, MAX_SKILLS)
    assert sum(len(s.milestones) for s in steps) == MAX_MILESTONES
    assert sum(len(s.resources) for s in steps) == MAX_RESOURCES


@pytest.mark.parametrize(
    ("field", "things", "limit"),
    [("milestones", "milestones", MAX_MILESTONES), ("resources", "resources", MAX_RESOURCES)],
)
def test_milestones_and_resources_are_counted_over_the_whole_roadmap(field, things, limit):
    data = roadmap_data(phases=2, steps=1, milestones=1)
    first, second = step(data, 0), step(data, 1)
    first[field] = [dict(first[field][0], key=f"a{n}") for n in range(limit)]
    second[field] = [dict(second[field][0], key=f"b{n}") for n in range(2)]

    with pytest.raises(ContentError) as raised:
        validate(data, "big.yaml")

    assert [str(problem) for problem in raised.value.problems] == [
        f"big.yaml: phases[1].steps[0].{field}[0]: a roadmap may have at most {limit} {things}"
    ]


def test_summaries_and_descriptions_keep_line_breaks_and_tabs():
    data = roadmap_data()
    data["description"] = "First paragraph.\n\n\tIndented second."
    step(data)["summary"] = "Line one\r\nline two"
    data["phases"][0]["summary"] = "a\tb"

    spec = validate(data)

    assert spec.description == "First paragraph.\n\n\tIndented second."
    assert spec.phases[0].steps[0].summary == "Line one\r\nline two"


def test_a_lone_surrogate_is_refused_before_the_database_sees_it():
    """libyaml refuses the escape in a file; Publish checks what the admin saved."""
    data = roadmap_data()
    step(data, 0, 1)["summary"] = "half \ud800 a character"

    with pytest.raises(ContentError, match="summary: contains the control character U\\+D800"):
        validate(data)


def test_a_problem_is_printed_on_one_line_whatever_the_file_held():
    data = roadmap_data()
    step(data)["\x1b[2Jcolour\nred"] = "x"

    with pytest.raises(ContentError) as raised:
        validate(data, "odd.yaml")

    [line] = str(raised.value).splitlines()
    assert "\x1b" not in line
    assert line.startswith("odd.yaml: phases[0].steps[0].\\x1b[2Jcolour\\nred: unknown field")


@pytest.mark.django_db
def test_publishing_refuses_a_control_character_saved_through_the_admin():
    roadmap = load_roadmap(roadmap_data(status="draft"))
    Milestone.objects.filter(key="step-0-0-m0").update(title="Bell\x07 milestone")

    with pytest.raises(ContentError, match="control character U\\+0007"):
        curation.publish(roadmap)

    assert Roadmap.objects.get(pk=roadmap.pk).status == Roadmap.Status.DRAFT
