"""A learner builds a three-phase roadmap from nothing in the editor, with and without
JavaScript, then ticks a milestone in it. Pages checked by axe, screenshots at 390 and 1280."""

import re

import pytest
from playwright.sync_api import expect

from roadmap.content.exporter import roadmap_to_data
from roadmap.models import MilestoneProgress, Roadmap
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import make_user


def check_axe(page, js):
    """axe runs in the page's JavaScript: with it switched off, the same HTML is checked in
    the JavaScript run."""
    if js:
        assert_no_axe_violations(page)


def editor_heading(page):
    return page.get_by_role("heading", name="Edit “Learn Rust”", exact=True)


def add_phase(page, title):
    page.get_by_label("New phase").fill(title)
    page.get_by_role("button", name="Add phase").click()
    expect(page.get_by_text(re.compile(rf"Phase \d: {title}$"))).to_be_visible()


def add_step(page, phase, title, hours):
    page.get_by_label(f"New step in {phase}").fill(title)
    page.get_by_label(f"New step in {phase}").locator("xpath=../..").get_by_label("Hours").fill(
        hours
    )
    page.get_by_label(f"New step in {phase}").locator("xpath=../..").get_by_role(
        "button", name="Add step"
    ).click()
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_learner_builds_a_roadmap_from_nothing_and_ticks_in_it(
    new_page, transactional_db, screenshot, js
):
    make_user("ada")
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto("/my/roadmaps/new/")
    check_axe(page, js)
    page.get_by_role("button", name="Create roadmap").click()  # no title: the loader says no
    expect(page.get_by_text("must not be empty")).to_be_visible()
    page.get_by_label("Title").fill("Learn Rust")
    page.get_by_role("button", name="Create roadmap").click()
    expect(editor_heading(page)).to_be_visible()
    roadmap = Roadmap.objects.get(owner__username="ada")

    # Phase 1 becomes "Basics"; two more phases.
    page.get_by_text("Phase 1: Phase 1").click()
    page.get_by_label("Phase title").fill("Basics")
    page.get_by_role("button", name="Save phase").click()
    expect(page.get_by_text("Phase 1: Basics")).to_be_visible()
    add_phase(page, "Ownership")
    add_phase(page, "Async")
    add_step(page, "Basics", "Syntax", "4")
    add_step(page, "Ownership", "Borrowing", "6")

    # The first step: renamed, a second milestone, a resource (a bad address first).
    page.locator("#phase-phase-1").get_by_role("link", name="First step").click()
    page.get_by_label("Title", exact=True).fill("Install Rust")
    page.get_by_role("button", name="Save step").click()
    expect(page.get_by_role("heading", name="Edit step “Install Rust”")).to_be_visible()
    page.get_by_label("New milestone").fill("Run cargo new")
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_label("Milestone 2", exact=True)).to_have_value("Run cargo new")
    page.get_by_text("Add a resource").click()
    page.get_by_label("Resource title").fill("Rustup")
    page.get_by_label("Address").fill("ftp://rustup.rs")
    page.get_by_label("Kind").select_option("docs")
    page.get_by_label("Free").check()
    page.get_by_role("button", name="Add resource").click()
    expect(page.get_by_text("“ftp://rustup.rs” is not an http or https address")).to_be_visible()
    page.get_by_label("Address").fill("https://rustup.rs")
    page.get_by_role("button", name="Add resource").click()
    expect(page.locator("#resources .editor-list summary")).to_have_text("Rustup")
    page.get_by_label("New skill (optional)").fill("Tooling")
    page.get_by_role("button", name="Save skills").click()
    expect(page.get_by_role("checkbox", name="Tooling")).to_be_checked()
    check_axe(page, js)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"own-editor-step-{width}-{'js' if js else 'nojs'}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A prerequisite: Borrowing needs Syntax.
    page.get_by_role("link", name="Edit “Learn Rust”").click()
    page.get_by_role("link", name="Borrowing").click()
    page.get_by_text("Steps to do before this one").click()
    page.get_by_role("checkbox", name="Syntax").check()
    page.get_by_role("button", name="Save prerequisites").click()
    expect(page.get_by_role("checkbox", name="Syntax")).to_be_checked()

    # Reorder and remove, back in the roadmap's editor.
    page.get_by_role("link", name="Edit “Learn Rust”").click()
    page.get_by_role("button", name="Move “Syntax” up").click()
    expect(page.locator("#phase-phase-1 .editor-steps li").first).to_contain_text("Syntax")
    page.locator("#phase-ownership").get_by_role("button", name="Remove “First step”").click()
    expect(page.locator("#phase-ownership .editor-steps li")).to_have_count(1)
    page.get_by_role("button", name="Move “Async” up").click()
    expect(page.get_by_text("Phase 2: Async")).to_be_visible()
    check_axe(page, js)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"own-editor-{width}-{'js' if js else 'nojs'}")

    data = roadmap_to_data(roadmap)
    assert [
        (phase["title"], [step["title"] for step in phase["steps"]]) for phase in data["phases"]
    ] == [
        ("Basics", ["Syntax", "Install Rust"]),
        ("Async", ["First step"]),
        ("Ownership", ["Borrowing"]),
    ]
    install = data["phases"][0]["steps"][1]
    assert [m["title"] for m in install["milestones"]] == ["First milestone", "Run cargo new"]
    assert install["resources"] == [
        {"title": "Rustup", "url": "https://rustup.rs", "kind": "docs", "free": True}
    ]
    assert install["skills"] == ["tooling"]
    assert data["phases"][2]["steps"][0]["requires"] == ["syntax"]

    # Tracking it: the roadmap page links back to the editor and ticks like any roadmap.
    page.get_by_role("link", name="View and track").click()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    page.locator("#continue").get_by_role("button", name="Syntax").click()
    if js:  # ticked in place
        expect(page.locator("#continue").get_by_role("button", name="Syntax")).to_have_attribute(
            "aria-pressed", "true"
        )
    else:  # back on the page, which continues with the next step
        expect(page.locator("#continue")).to_contain_text("Install Rust")
    assert MilestoneProgress.objects.filter(
        enrollment__roadmap=roadmap, milestone__key="syntax"
    ).exists()
    # The browser reports the deliberate refusals (400 for a page, 422 for an htmx fragment).
    refused = ("status of 400", "status of 422")
    assert [e for e in page.console_errors if not any(r in e for r in refused)] == []
