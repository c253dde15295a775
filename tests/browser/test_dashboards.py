"""Dashboards in a real browser: the same percent as the roadmap page, today's cell, streak."""

import pytest
from playwright.sync_api import expect

from roadmap import learning
from roadmap.models import Enrollment
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_learner_journey import TICKS, sign_up_from_the_roadmap, tick


def enrolled_with_ticks(new_page, name, **options):
    page = new_page(**options)
    sign_up_from_the_roadmap(page, name)
    page.get_by_role("button", name="Enrol in this roadmap").click()
    for title in TICKS[:2]:
        tick(page, title)
    return page


def test_the_dashboards_agree_with_the_roadmap_page(new_page, shipped_roadmap):
    page = enrolled_with_ticks(new_page, "dash")
    percent = page.locator("#overall-progress .percent").inner_text()

    page.get_by_role("link", name="Dashboard").click()
    card = page.locator(".dashboard-card")
    expect(card).to_contain_text("2 done · 0 skipped · 143 to go")
    expect(card.locator("svg title")).to_contain_text(f"{percent} complete")

    card.get_by_role("link", name="Machine Learning Engineer").click()
    expect(page.locator("#dashboard-percent")).to_have_text(percent)
    today = page.locator("rect.heat").last
    assert int(today.get_attribute("data-count")) == 2
    expect(page.locator("#streak-current")).to_have_text("1")
    expect(page.locator("#recent-title + #history-list")).to_contain_text(TICKS[1])
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dashboards_have_no_axe_violations(scheme, new_page, shipped_roadmap):
    page = new_page(color_scheme=scheme)
    sign_up_from_the_roadmap(page, f"empty{scheme}")
    page.goto("/dashboard/")
    assert_no_axe_violations(page)  # the empty state
    page.goto("/dashboard/machine-learning-engineer/")
    assert_no_axe_violations(page)  # not enrolled
    page.goto("/roadmaps/machine-learning-engineer/")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    page.goto("/dashboard/machine-learning-engineer/")
    assert_no_axe_violations(page)  # enrolled, no activity yet
    page.goto("/roadmaps/machine-learning-engineer/")
    tick(page, TICKS[0])
    for url in ("/dashboard/", "/dashboard/machine-learning-engineer/"):
        page.goto(url)
        assert_no_axe_violations(page)
    enrollment = Enrollment.objects.get(user__username=f"empty{scheme}")
    learning.set_skipped(enrollment, list(shipped_roadmap.steps.all()), True)
    page.goto("/dashboard/machine-learning-engineer/")
    expect(page.locator(".celebrate")).to_be_visible()
    assert_no_axe_violations(page)  # finished


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 390, 1280])
def test_the_dashboards_fit_the_screen(width, scheme, new_page, shipped_roadmap, screenshot):
    page = enrolled_with_ticks(new_page, f"w{width}{scheme}", width=width, color_scheme=scheme)
    for url, name in (("/dashboard/", "overview"), ("/dashboard/machine-learning-engineer/", "ml")):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than a {width}px screen"
        assert_no_axe_violations(page)  # a scrolled heatmap must be reachable by keyboard
        screenshot(page, f"dashboard-{name}-{width}-{scheme}")
