"""Issue 16's own-roadmap story in a real browser, with and without JavaScript: a learner builds
a three-phase roadmap from nothing in the editor, ticks a milestone on its roadmap page,
downloads it as YAML from My roadmaps and uploads the file as a second roadmap, which has the
same phases, steps and milestones in the same order and progress of its own (none), while the
first keeps its tick. Pages checked by axe with JavaScript on."""

import pytest
from playwright.sync_api import expect

from roadmap.content.exporter import roadmap_to_data
from roadmap.models import MilestoneProgress, Roadmap
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.browser.test_copies import percent, tick
from tests.browser.test_own_editor import add_phase, add_step, check_axe, editor_heading
from tests.factories import make_user
from tests.own.test_own_pages import structure

# What the learner builds: phases, their steps and each step's milestones, in order.
BUILT = [
    (
        "Basics",
        [
            ("Install Rust", ["First milestone", "Run cargo new"]),
            ("Syntax", ["Syntax"]),
        ],
    ),
    (
        "Ownership",
        [
            ("First step", ["First milestone"]),
            ("Borrowing", ["Borrowing", "Fight the borrow checker"]),
        ],
    ),
    ("Async", [("First step", ["First milestone"])]),
]
TICKED = "Run cargo new"


def outline_of(data):
    """The phases, steps and milestones of a roadmap's YAML-shaped data, in order."""
    return [
        (
            phase["title"],
            [
                (step["title"], [milestone["title"] for milestone in step["milestones"]])
                for step in phase["steps"]
            ],
        )
        for phase in data["phases"]
    ]


def shown(page, url):
    """The roadmap as the learner's browser shows it: its page's phases and steps, and on
    each step's page the milestones with whether they are ticked."""
    page.goto(url)
    phases = []
    for phase in page.locator(".outline__phase").all():
        title = phase.locator(".outline__title").text_content().split(maxsplit=2)[2]
        links = phase.locator(".outline__link")
        phases.append((title, list(zip(links.all_text_contents(), hrefs(links), strict=True))))
    outline = []
    for title, steps in phases:
        milestones = []
        for step_title, href in steps:
            page.goto(href)
            ticks = page.locator(".milestones .tick")
            expect(ticks.first).to_be_visible()
            milestones.append(
                (
                    step_title,
                    [
                        (
                            tick.locator(".tick__label").text_content(),
                            tick.get_attribute("aria-pressed"),
                        )
                        for tick in ticks.all()
                    ],
                )
            )
        outline.append((title, milestones))
    return outline


def hrefs(links):
    return [link.get_attribute("href") for link in links.all()]


def expected(ticked=()):
    return [
        (phase, [(step, [(m, str(m in ticked).lower()) for m in ms]) for step, ms in steps])
        for phase, steps in BUILT
    ]


def build(page):
    """From My roadmaps, a new roadmap made into BUILT with the editor's forms."""
    page.get_by_role("link", name="New roadmap", exact=True).click()
    page.get_by_label("Title").fill("Learn Rust")
    page.get_by_role("button", name="Create roadmap").click()
    expect(editor_heading(page)).to_be_visible()

    page.get_by_text("Phase 1: Phase 1").click()
    page.get_by_label("Phase title").fill("Basics")
    page.get_by_role("button", name="Save phase").click()
    expect(page.get_by_text("Phase 1: Basics")).to_be_visible()
    add_phase(page, "Ownership")
    add_phase(page, "Async")
    add_step(page, "Basics", "Syntax", "4")
    add_step(page, "Ownership", "Borrowing", "6")

    page.locator("#phase-phase-1").get_by_role("link", name="First step").click()
    page.get_by_label("Title", exact=True).fill("Install Rust")
    page.get_by_role("button", name="Save step").click()
    expect(page.get_by_role("heading", name="Edit step “Install Rust”")).to_be_visible()
    add_milestone(page, 2, "Run cargo new")

    page.get_by_role("link", name="Edit “Learn Rust”").click()
    page.get_by_role("link", name="Borrowing").click()
    expect(page.get_by_role("heading", name="Edit step “Borrowing”")).to_be_visible()
    add_milestone(page, 2, "Fight the borrow checker")
    page.get_by_role("link", name="Edit “Learn Rust”").click()
    expect(editor_heading(page)).to_be_visible()


def add_milestone(page, number, title):
    page.get_by_label("New milestone").fill(title)
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_label(f"Milestone {number}", exact=True)).to_have_value(title)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_roadmap_built_in_the_editor_and_ticked_goes_round_a_yaml_file(
    new_page, transactional_db, tmp_path, js
):
    make_user("ada")
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.get_by_role("link", name="My roadmaps", exact=True).click()
    expect(page.get_by_text("You have no roadmaps of your own yet.")).to_be_visible()
    build(page)
    check_axe(page, js)
    first = Roadmap.objects.get(owner__username="ada")
    assert outline_of(roadmap_to_data(first)) == BUILT

    # Ticked on its roadmap page: the card to continue with holds the next step's milestones.
    page.get_by_role("link", name="View and track").click()
    expect(page.locator("#overall-progress")).to_contain_text("0%")
    tick(page.locator("#continue"), TICKED)
    page.reload()
    assert percent(page) == "14%"  # 1 of 7 milestones
    check_axe(page, js)

    page.get_by_role("link", name="My roadmaps", exact=True).click()
    expect(page.get_by_text("14% done")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download YAML (Learn Rust)").click()
    download = download_info.value
    assert download.suggested_filename == "learn-rust.yaml"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    page.get_by_label("Upload a YAML file").set_input_files(path)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Uploaded. “Learn Rust” is a roadmap of your own now.")).to_be_visible()
    second = Roadmap.objects.get(owner__username="ada", key="learn-rust-2")
    assert page.url.endswith(second.get_absolute_url())
    assert percent(page) == "0%"
    check_axe(page, js)

    # The same structure, in the database and in the browser; each roadmap its own progress.
    assert structure(second) == structure(first)
    assert shown(page, second.get_absolute_url()) == expected()
    assert shown(page, first.get_absolute_url()) == expected(ticked=[TICKED])
    ticks = MilestoneProgress.objects.filter(
        enrollment__user__username="ada", done_at__isnull=False
    )
    assert list(ticks.values_list("enrollment__roadmap", "milestone__title")) == [
        (first.pk, TICKED)
    ]

    page.get_by_role("link", name="My roadmaps", exact=True).click()
    cards = page.locator(".own-card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="14% done")).to_have_count(1)
    expect(cards.filter(has_text="0% done")).to_have_count(1)
    check_axe(page, js)
    assert page.console_errors == []
