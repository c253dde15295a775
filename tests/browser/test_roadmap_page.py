"""The roadmap page in a real browser: structure, landmarks, accessibility, both widths."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_roadmap_page_has_headings_and_landmarks(js, new_page, shipped_roadmap):
    page = new_page(js=js)
    page.goto("/roadmaps/machine-learning-engineer/")

    assert page.get_by_role("heading", level=1).inner_text() == "Machine Learning Engineer"
    for role in ("banner", "main", "contentinfo"):
        assert page.get_by_role(role).count() == 1, role
    assert page.get_by_role("navigation", name="Main").is_visible()
    phase_count = shipped_roadmap.phases.count()
    assert page.locator("h2.outline__title").count() == phase_count
    assert page.locator("li.outline__step").count() == shipped_roadmap.steps.count()
    assert page.locator("h2.outline__title").first.inner_text().startswith("PHASE 1")
    assert page.console_errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_a_closed_phase_opens_and_its_step_leads_to_the_step_page(js, new_page, shipped_roadmap):
    page = new_page(js=js)
    page.goto("/roadmaps/machine-learning-engineer/")
    last_phase = shipped_roadmap.phases.order_by("-position").first()
    step = last_phase.steps.order_by("position").first()
    link = page.locator(f"#step-{step.key}").get_by_role("link", name=step.title)
    expect(link).to_be_hidden()

    page.locator(f"#phase-{last_phase.key} summary").click()
    link.click()

    expect(page).to_have_url(re.compile(f"/steps/{step.key}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(step.title)


def test_catalogue_leads_to_the_roadmap(page, shipped_roadmap):
    page.goto("/")
    page.get_by_role("link", name="Browse the roadmaps").click()
    page.get_by_role("link", name="Machine Learning Engineer").click()
    assert page.url.endswith("/roadmaps/machine-learning-engineer/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/roadmaps/", "/roadmaps/machine-learning-engineer/"])
def test_pages_have_no_axe_violations(path, scheme, new_page, shipped_roadmap):
    page = new_page(color_scheme=scheme)
    page.goto(path)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_roadmap_page_fits_the_screen(width, new_page, shipped_roadmap, screenshot):
    page = new_page(width=width)
    page.goto("/roadmaps/machine-learning-engineer/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a {width}px screen"
    screenshot(page, f"roadmap-{width}")
