"""The roadmap page in a real browser: structure, landmarks, accessibility, both widths."""

import pytest

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
    assert page.locator("h2.phase__title").count() == phase_count
    assert page.locator("li.step").count() == shipped_roadmap.steps.count()
    assert page.locator("h2.phase__title").first.inner_text().startswith("PHASE 1")
    assert page.console_errors == []


def test_table_of_contents_jumps_to_a_phase(page, shipped_roadmap):
    page.goto("/roadmaps/machine-learning-engineer/")
    last_phase = shipped_roadmap.phases.order_by("-position").first()
    page.get_by_role("navigation", name="Phases").get_by_role("link", name=last_phase.title).click()
    assert page.url.endswith(f"#phase-{last_phase.key}")
    assert page.locator(f"#phase-{last_phase.key}-title").is_visible()


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
