"""The editor of an own roadmap: a new roadmap from nothing, every edit, the loader's messages
for bad input, two tabs and double submits, access, and a query count fixed in the size."""

import copy

import pytest
from django.urls import reverse

from roadmap import learning
from roadmap.content import ContentError, validate
from roadmap.content.exporter import roadmap_to_data
from roadmap.models import Enrollment, Milestone, Roadmap, Step
from roadmap.ownership import ROADMAPS_PER_USER, create_own_roadmap
from tests.factories import make_user, roadmap_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ada(client):
    user = make_user("ada")
    client.force_login(user)
    return user


def own(user, slug="rust", **size):
    return create_own_roadmap(user, validate(roadmap_data(slug=slug, **size)))


def url(name, roadmap, *args):
    return reverse(f"own:{name}", args=[roadmap.slug, *args])


def data_of(roadmap):
    return roadmap_to_data(Roadmap.objects.get(pk=roadmap.pk))


def loader_message(data, change):
    """What the YAML loader says about `data` after `change`: the message a file would get."""
    data = copy.deepcopy(data)
    change(data)
    with pytest.raises(ContentError) as error:
        validate(data, "roadmap.yaml")
    return [problem.message for problem in error.value.problems]


def post(client, address, data, htmx=False):
    return client.post(address, data, **(HTMX if htmx else {}))


# A new roadmap


def test_a_new_roadmap_starts_as_one_phase_step_and_milestone_and_opens_the_editor(client, ada):
    page = client.get(reverse("own:new"))
    assert page.status_code == 200
    response = client.post(reverse("own:new"), {"title": "Rust & Tokio!", "summary": ""})
    roadmap = Roadmap.objects.get(owner=ada)
    assert response.status_code == 302
    assert response.url == url("edit", roadmap)
    assert roadmap.key == "rust-tokio"
    assert roadmap.title == "Rust & Tokio!"
    assert roadmap.summary == "A roadmap of my own."
    data = data_of(roadmap)
    assert [phase["title"] for phase in data["phases"]] == ["Phase 1"]
    step = data["phases"][0]["steps"][0]
    assert (step["title"], step["hours"], step["summary"]) == ("First step", 1, "No summary yet.")
    assert step["milestones"] == [{"key": "first-milestone", "title": "First milestone"}]
    assert Enrollment.objects.filter(user=ada, roadmap=roadmap).exists()
    assert client.get(response.url).status_code == 200


def test_a_new_roadmap_without_a_title_is_refused_with_the_loaders_message(client, ada):
    response = client.post(reverse("own:new"), {"title": "  ", "summary": "x"})
    assert response.status_code == 400
    assert "must not be empty" in response.content.decode()
    assert not Roadmap.objects.owned_by(ada).exists()


def test_submitting_the_new_roadmap_form_twice_makes_one_roadmap(client, ada):
    form = client.get(reverse("own:new")).context["form_id"]
    first = client.post(reverse("own:new"), {"title": "Go", form.name: form.value})
    second = client.post(reverse("own:new"), {"title": "Go", form.name: form.value})
    assert first.url == second.url
    assert Roadmap.objects.owned_by(ada).count() == 1


def test_a_learner_with_the_most_roadmaps_is_told_so(client, ada):
    for number in range(ROADMAPS_PER_USER):
        own(ada, slug=f"r{number}", phases=1, steps=1, milestones=1)
    response = client.post(reverse("own:new"), {"title": "One more"})
    assert response.status_code == 400
    assert f"up to {ROADMAPS_PER_USER} roadmaps" in response.content.decode()
    assert Roadmap.objects.owned_by(ada).count() == ROADMAPS_PER_USER


def test_making_roadmaps_too_fast_is_throttled(client, ada, monkeypatch):
    from roadmap import ownership

    monkeypatch.setattr(ownership, "CREATIONS_PER_HOUR", 1)
    assert client.post(reverse("own:new"), {"title": "One"}).status_code == 302
    response = client.post(reverse("own:new"), {"title": "Two"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "many roadmaps in the last hour" in response.content.decode()
    assert Roadmap.objects.owned_by(ada).count() == 1


# Every edit


def test_the_roadmaps_title_summary_and_description(client, ada):
    roadmap = own(ada)
    response = post(
        client,
        url("edit", roadmap),
        {"title": "Rust, mine", "summary": "Systems.", "description": "Long\nparagraph."},
    )
    assert response.status_code == 302
    assert response.url == url("edit", roadmap) + "#details"
    roadmap.refresh_from_db()
    assert (roadmap.title, roadmap.summary, roadmap.description) == (
        "Rust, mine",
        "Systems.",
        "Long\nparagraph.",
    )
    assert roadmap.key == "rust"  # the key stays: it is what the URL and progress hang on


def test_phases_add_rename_move_and_remove(client, ada):
    roadmap = own(ada, phases=2, steps=1, milestones=1)
    response = post(client, url("edit-phase-add", roadmap), {"title": "Async & IO"})
    assert response.url.endswith("#phase-async-io")
    phase = data_of(roadmap)["phases"][2]
    assert phase["key"] == "async-io"
    assert [step["title"] for step in phase["steps"]] == ["First step"]
    post(client, url("edit-phase", roadmap, "async-io"), {"action": "save", "title": "Async"})
    post(client, url("edit-phase", roadmap, "async-io"), {"action": "up"})
    assert [p["title"] for p in data_of(roadmap)["phases"]] == ["Phase 0", "Async", "Phase 1"]
    post(client, url("edit-phase", roadmap, "phase-0"), {"action": "up"})  # already first
    post(client, url("edit-phase", roadmap, "phase-0"), {"action": "remove"})
    assert [p["key"] for p in data_of(roadmap)["phases"]] == ["async-io", "phase-1"]
    assert not Step.objects.filter(roadmap=roadmap, key="step-0-0").exists()


def test_steps_add_edit_move_across_phases_and_remove(client, ada):
    roadmap = own(ada, phases=2, steps=2, milestones=1)
    response = post(
        client, url("edit-step-add", roadmap, "phase-0"), {"title": "Ownership", "hours": "3"}
    )
    assert response.url == url("edit", roadmap) + "#step-ownership"
    step = data_of(roadmap)["phases"][0]["steps"][2]
    assert (step["key"], step["hours"]) == ("ownership", 3)
    assert step["milestones"] == [{"key": "ownership", "title": "Ownership"}]
    response = post(
        client,
        url("edit-step", roadmap, "ownership"),
        {"action": "save", "title": "Borrowing", "summary": "The checker.", "hours": "12"},
    )
    assert response.url == url("edit-step", roadmap, "ownership") + "#details"
    post(client, url("edit-step", roadmap, "ownership"), {"action": "down"})  # into phase 1
    phases = data_of(roadmap)["phases"]
    assert [s["key"] for s in phases[0]["steps"]] == ["step-0-0", "step-0-1"]
    assert [s["key"] for s in phases[1]["steps"]] == ["ownership", "step-1-0", "step-1-1"]
    assert (phases[1]["steps"][0]["title"], phases[1]["steps"][0]["hours"]) == ("Borrowing", 12)
    post(client, url("edit-step", roadmap, "step-1-0"), {"action": "up"})
    assert [s["key"] for s in data_of(roadmap)["phases"][1]["steps"]] == [
        "step-1-0",
        "ownership",
        "step-1-1",
    ]
    # step-1-1 requires step-1-0: removing it takes it out of the prerequisites too.
    post(client, url("edit-step", roadmap, "step-1-0"), {"action": "remove"})
    steps = data_of(roadmap)["phases"][1]["steps"]
    assert [s["key"] for s in steps] == ["ownership", "step-1-1"]
    assert steps[1]["requires"] == []


def test_removing_a_step_with_progress_archives_it_and_tracking_goes_on(client, ada):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    enrollment = Enrollment.objects.get(user=ada, roadmap=roadmap)
    ticked = Milestone.objects.get(roadmap=roadmap, key="step-0-0-m0")
    learning.set_milestone(enrollment, ticked, True)
    post(client, url("edit-step", roadmap, "step-0-0"), {"action": "remove"})
    assert Step.objects.get(roadmap=roadmap, key="step-0-0").archived_at is not None
    assert client.get(roadmap.get_absolute_url()).status_code == 200
    other = Milestone.objects.get(roadmap=roadmap, key="step-0-1-m0")
    tick = client.post(
        reverse("roadmap:milestone-tick", args=[roadmap.slug, other.pk]), {"done": "1"}
    )
    assert tick.status_code == 302
    assert enrollment.progress.filter(milestone=other).exists()
    # A new step of the same title gets a new key, not the archived one's history.
    post(client, url("edit-step-add", roadmap, "phase-0"), {"title": "Step 0 0", "hours": "1"})
    assert data_of(roadmap)["phases"][0]["steps"][-1]["key"] == "step-0-0-2"


def test_milestones_add_rename_move_and_remove(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=2)
    step = "step-0-0"
    response = post(client, url("edit-milestone-add", roadmap, step), {"title": "Write a CLI"})
    assert response.url == url("edit-step", roadmap, step) + "#milestones"
    edit = url("edit-milestone", roadmap, step, "write-a-cli")
    post(client, edit, {"action": "save", "title": "Write a small CLI"})
    post(client, edit, {"action": "up"})
    milestones = data_of(roadmap)["phases"][0]["steps"][0]["milestones"]
    assert [m["title"] for m in milestones] == [
        "Milestone 0 of step-0-0",
        "Write a small CLI",
        "Milestone 1 of step-0-0",
    ]
    post(client, url("edit-milestone", roadmap, step, "step-0-0-m0"), {"action": "remove"})
    milestones = data_of(roadmap)["phases"][0]["steps"][0]["milestones"]
    assert [m["key"] for m in milestones] == ["write-a-cli", "step-0-0-m1"]


def test_milestone_keys_are_unique_across_the_roadmap(client, ada):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    for step in ("step-0-0", "step-0-1"):
        post(client, url("edit-milestone-add", roadmap, step), {"title": "Review"})
    keys = [m["key"] for s in data_of(roadmap)["phases"][0]["steps"] for m in s["milestones"]]
    assert keys.count("review") == 1
    assert "review-2" in keys


def test_resources_add_edit_move_and_remove(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    step = "step-0-0"
    book = {"title": "The Book", "url": "https://doc.rust-lang.org/book/", "kind": "book"}
    response = post(client, url("edit-resource-add", roadmap, step), {**book, "free": "1"})
    assert response.url == url("edit-step", roadmap, step) + "#resources"
    resources = data_of(roadmap)["phases"][0]["steps"][0]["resources"]
    assert resources[1] == {**book, "free": True}
    edit = url("edit-resource", roadmap, step, 1)
    post(client, edit, {"action": "save", "was": book["url"], **book, "title": "TRPL"})
    post(client, edit, {"action": "up", "was": book["url"]})
    resources = data_of(roadmap)["phases"][0]["steps"][0]["resources"]
    assert [r["title"] for r in resources] == ["TRPL", "Docs"]
    assert resources[0]["free"] is False  # the box was not ticked when it was saved
    post(client, url("edit-resource", roadmap, step, 0), {"action": "remove", "was": book["url"]})
    assert [r["title"] for r in data_of(roadmap)["phases"][0]["steps"][0]["resources"]] == ["Docs"]


def test_skills_of_a_step_new_renamed_and_removed(client, ada):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    response = post(
        client,
        url("edit-step-skills", roadmap, "step-0-0"),
        {"skills": ["testing"], "new_name": "Async Rust", "new_category": "Rust"},
    )
    assert response.url == url("edit-step", roadmap, "step-0-0") + "#skills"
    data = data_of(roadmap)
    assert data["phases"][0]["steps"][0]["skills"] == ["async-rust", "testing"]
    assert {"slug": "async-rust", "name": "Async Rust", "category": "Rust"} in data["skills"]
    post(
        client,
        url("edit-skill", roadmap, "async-rust"),
        {"action": "save", "name": "Async", "category": ""},
    )
    assert {"slug": "async-rust", "name": "Async"} in data_of(roadmap)["skills"]
    post(client, url("edit-skill", roadmap, "testing"), {"action": "remove"})
    data = data_of(roadmap)
    assert [skill["slug"] for skill in data["skills"]] == ["async-rust"]
    assert data["phases"][0]["steps"][1]["skills"] == []
    # Unticking a step's last skill takes the skill out of the roadmap (nothing else uses it).
    post(client, url("edit-step-skills", roadmap, "step-0-0"), {})
    assert data_of(roadmap)["skills"] == []


def test_prerequisites(client, ada):
    roadmap = own(ada, phases=2, steps=1, milestones=1)
    response = post(
        client, url("edit-step-requires", roadmap, "step-1-0"), {"requires": ["step-0-0"]}
    )
    assert response.url == url("edit-step", roadmap, "step-1-0") + "#requires"
    assert data_of(roadmap)["phases"][1]["steps"][0]["requires"] == ["step-0-0"]
    post(client, url("edit-step-requires", roadmap, "step-1-0"), {})
    assert data_of(roadmap)["phases"][1]["steps"][0]["requires"] == []


# Bad input: the loader's messages, nothing changed


def _step(data, phase, step):
    return data["phases"][phase]["steps"][step]


BAD_EDITS = [
    (
        "edit-step-requires",
        ("step-0-0",),
        {"requires": ["step-0-1"]},  # step-0-1 already requires step-0-0
        lambda d: _step(d, 0, 0).update(requires=["step-0-1"]),
        "prerequisites form a cycle",
    ),
    (
        "edit-step",
        ("step-0-0",),
        {"action": "save", "title": "", "summary": "s", "hours": "2"},
        lambda d: _step(d, 0, 0).update(title="", summary="s", hours=2),
        "must not be empty",
    ),
    (
        "edit-step",
        ("step-0-0",),
        {"action": "save", "title": "t", "summary": "s", "hours": "lots"},
        lambda d: _step(d, 0, 0).update(title="t", summary="s", hours="lots"),
        "must be a whole number from 1 to 1000",
    ),
    (
        "edit-step",
        ("step-0-0",),
        {"action": "save", "title": "x" * 201, "summary": "s", "hours": "2"},
        lambda d: _step(d, 0, 0).update(title="x" * 201, summary="s", hours=2),
        "is 201 characters long; the limit is 200",
    ),
    (
        "edit-resource-add",
        ("step-0-0",),
        {"title": "Evil", "url": "javascript:alert(1)", "kind": "docs"},
        lambda d: _step(d, 0, 0)["resources"].append(
            {"title": "Evil", "url": "javascript:alert(1)", "kind": "docs", "free": False}
        ),
        "is not an http or https address",
    ),
    (
        "edit-milestone",
        ("step-0-0", "step-0-0-m0"),
        {"action": "remove"},
        lambda d: _step(d, 0, 0)["milestones"].clear(),
        "must not be empty",
    ),
    (
        "edit-phase",
        ("phase-0",),
        {"action": "save", "title": "Tab\there", "summary": ""},
        lambda d: d["phases"][0].update(title="Tab\there"),
        "contains the control character U+0009",
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    ("name", "args", "form", "change", "expected"),
    BAD_EDITS,
    ids=["cycle", "empty-title", "hours", "long-title", "javascript-url", "no-milestones", "tab"],
)
def test_bad_edits_say_what_the_loader_says_and_change_nothing(
    client, ada, htmx, name, args, form, change, expected
):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    before, version = data_of(roadmap), Roadmap.objects.get(pk=roadmap.pk).content_version
    messages = loader_message(before, change)
    assert any(expected in message for message in messages)
    response = post(client, url(name, roadmap, *args), form, htmx=htmx)
    assert response.status_code == (422 if htmx else 400)
    html = response.content.decode()
    assert ("<html" in html) is not htmx
    for message in messages:
        assert _escaped(message) in html
    assert data_of(roadmap) == before
    assert Roadmap.objects.get(pk=roadmap.pk).content_version == version


def _escaped(text):
    from django.utils.html import escape

    return escape(text)


def test_a_refused_form_keeps_what_was_typed(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    response = post(
        client,
        url("edit-step", roadmap, "step-0-0"),
        {"action": "save", "title": "Kept <b>", "summary": "", "hours": "3"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Kept &lt;b&gt;"' in html
    assert "summary: must not be empty" in html


def test_the_last_phase_cannot_be_removed(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    response = post(client, url("edit-phase", roadmap, "phase-0"), {"action": "remove"})
    assert response.status_code == 400
    assert "phases: must not be empty" in response.content.decode()
    assert len(data_of(roadmap)["phases"]) == 1


def test_an_edit_over_the_own_roadmap_limits_is_refused(client, ada):
    from roadmap.ownership import MILESTONES_PER_STEP

    roadmap = own(ada, phases=1, steps=1, milestones=MILESTONES_PER_STEP)
    response = post(client, url("edit-milestone-add", roadmap, "step-0-0"), {"title": "More"})
    assert response.status_code == 400
    assert f"a step has at most {MILESTONES_PER_STEP} milestones" in response.content.decode()


# htmx, two tabs and double submits


def test_with_htmx_an_edit_answers_with_the_editor_body(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    response = post(client, url("edit-phase-add", roadmap), {"title": "Later"}, htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="editor"')
    assert "Phase 2: Later" in html
    step = post(
        client, url("edit-milestone-add", roadmap, "step-0-0"), {"title": "Extra"}, htmx=True
    )
    assert step.content.decode().lstrip().startswith('<div id="step-editor"')
    assert 'value="Extra"' in step.content.decode()


def test_a_double_submitted_add_adds_once(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    version = str(Roadmap.objects.get(pk=roadmap.pk).content_version)
    for _ in range(2):
        post(client, url("edit-phase-add", roadmap), {"title": "Again", "version": version})
        post(
            client,
            url("edit-milestone-add", roadmap, "step-0-0"),
            {"title": "Twice", "version": version},
        )
    data = data_of(roadmap)
    assert [phase["title"] for phase in data["phases"]] == ["Phase 0", "Again"]
    assert [m["title"] for m in data["phases"][0]["steps"][0]["milestones"]] == [
        "Milestone 0 of step-0-0",
        "Twice",
    ]


def test_two_tabs_keep_each_others_edits(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    version = str(Roadmap.objects.get(pk=roadmap.pk).content_version)  # both tabs opened now
    post(client, url("edit-phase-add", roadmap), {"title": "From tab A", "version": version})
    post(client, url("edit-phase-add", roadmap), {"title": "From tab B", "version": version})
    post(client, url("edit-phase", roadmap, "phase-0"), {"action": "save", "title": "Renamed"})
    titles = [phase["title"] for phase in data_of(roadmap)["phases"]]
    assert titles == ["Renamed", "From tab A", "From tab B"]
    # Adding the same title again on purpose, from a page that shows the last add, works.
    version = str(Roadmap.objects.get(pk=roadmap.pk).content_version)
    post(client, url("edit-phase-add", roadmap), {"title": "From tab B", "version": version})
    assert len(data_of(roadmap)["phases"]) == 4


@pytest.mark.parametrize(
    ("name", "args", "form"),
    [
        ("edit-step", ("gone",), {"action": "remove"}),
        ("edit-phase", ("gone",), {"action": "up"}),
        ("edit-milestone", ("step-0-0", "gone"), {"action": "save", "title": "x"}),
        ("edit-milestone", ("step-0-1", "step-0-0-m0"), {"action": "remove"}),
        ("edit-resource", ("step-0-0", 0), {"action": "remove", "was": "https://other.example"}),
        ("edit-resource", ("step-0-0", 5), {"action": "remove", "was": "https://example.com/docs"}),
        ("edit-skill", ("gone",), {"action": "remove"}),
        ("edit-step-requires", ("gone",), {}),
    ],
)
def test_a_stale_form_is_a_404_and_changes_nothing(client, ada, name, args, form):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    before = data_of(roadmap)
    assert post(client, url(name, roadmap, *args), form).status_code == 404
    assert data_of(roadmap) == before


def test_removing_a_step_twice_is_a_404_the_second_time(client, ada):
    roadmap = own(ada, phases=1, steps=2, milestones=1)
    assert (
        post(client, url("edit-step", roadmap, "step-0-0"), {"action": "remove"}).status_code == 302
    )
    assert (
        post(client, url("edit-step", roadmap, "step-0-0"), {"action": "remove"}).status_code == 404
    )
    assert client.get(url("edit-step", roadmap, "step-0-0")).status_code == 404


def test_an_unknown_action_is_a_400(client, ada):
    roadmap = own(ada, phases=1, steps=1, milestones=1)
    before = data_of(roadmap)
    assert post(client, url("edit-phase", roadmap, "phase-0"), {"action": "x"}).status_code == 400
    assert data_of(roadmap) == before


# Access


EDITOR_URLS = [
    ("edit", (), {"title": "Mine now", "summary": "s"}),
    ("edit-phase-add", (), {"title": "Mine now"}),
    ("edit-phase", ("phase-0",), {"action": "remove"}),
    ("edit-step-add", ("phase-0",), {"title": "Mine now", "hours": "1"}),
    ("edit-step", ("step-0-0",), {"action": "remove"}),
    ("edit-milestone-add", ("step-0-0",), {"title": "Mine now"}),
    ("edit-milestone", ("step-0-0", "step-0-0-m0"), {"action": "remove"}),
    (
        "edit-resource-add",
        ("step-0-0",),
        {"title": "x", "url": "https://x.example", "kind": "docs"},
    ),
    ("edit-resource", ("step-0-0", 0), {"action": "remove", "was": "https://example.com/docs"}),
    ("edit-step-skills", ("step-0-0",), {"new_name": "Mine now"}),
    ("edit-step-requires", ("step-0-1",), {}),
    ("edit-skill", ("testing",), {"action": "remove"}),
]


@pytest.mark.parametrize("who", ["anonymous", "other", "curator"])
def test_nobody_but_the_owner_reaches_the_editor(client, who):
    roadmap = own(make_user("owner"), phases=2, steps=2, milestones=1)
    if who == "other":
        client.force_login(make_user("other"))
    elif who == "curator":
        client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    before, version = data_of(roadmap), Roadmap.objects.get(pk=roadmap.pk).content_version
    missing = Roadmap(slug="rust_00000000")
    for name, args, form in EDITOR_URLS:
        address = url(name, roadmap, *args)
        for method in ("get", "post"):
            response = getattr(client, method)(address, form)
            if who == "anonymous":
                other = getattr(client, method)(url(name, missing, *args), form)
                assert response.status_code in (302, 405), address
                if response.status_code == 302:
                    assert other.status_code == 302
                    assert other.url.replace(missing.slug, roadmap.slug) == response.url
                continue
            assert response.status_code in (404, 405), (address, method)
            if method == "post":
                assert response.status_code == 404, address
    assert data_of(roadmap) == before
    assert Roadmap.objects.get(pk=roadmap.pk).content_version == version
    assert Roadmap.objects.count() == 1


def test_anonymous_is_asked_to_log_in_for_a_new_roadmap(client):
    response = client.post(reverse("own:new"), {"title": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert not Roadmap.objects.exists()


def test_the_roadmap_page_links_an_own_roadmap_to_its_editor_only(client, ada):
    from tests.factories import load_roadmap

    roadmap = own(ada)
    assert url("edit", roadmap) in client.get(roadmap.get_absolute_url()).content.decode()
    curated = load_roadmap(roadmap_data(slug="curated"))
    assert "/edit/" not in client.get(curated.get_absolute_url()).content.decode()


# Queries


@pytest.mark.parametrize("steps", [2, 150])
def test_the_editor_asks_the_same_number_of_queries_whatever_the_size(
    client, ada, django_assert_max_num_queries, steps
):
    roadmap = own(ada, phases=3 if steps > 2 else 1, steps=steps // 3 if steps > 2 else 2)
    with django_assert_max_num_queries(9):
        assert client.get(url("edit", roadmap)).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(url("edit-step", roadmap, "step-0-1")).status_code == 200
