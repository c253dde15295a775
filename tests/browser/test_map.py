"""The roadmap map in a real browser: states, links, keyboard focus, accessibility, widths."""

import re
import time

import pytest
from playwright.sync_api import expect

from roadmap import learning, pages
from roadmap.models import Milestone, Step
from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations
from tests.factories import enrol, make_user

PASSWORD = "correct horse 42"  # tests.factories.make_user's password
ROADMAP = "/roadmaps/machine-learning-engineer/"


@pytest.fixture
def learner(shipped_roadmap):
    """A learner part-way through the ML roadmap: three steps done, one started, one skipped."""
    enrollment = enrol(make_user("learner"), shipped_roadmap)
    milestones = Milestone.objects.filter(step__key__in=["linear-algebra", "calculus", "python"])
    for milestone in milestones:
        learning.set_milestone(enrollment, milestone, True)
    first = Milestone.objects.filter(step__key="probability-statistics").order_by("position")
    for milestone in first[:1]:
        learning.set_milestone(enrollment, milestone, True)
    learning.set_skipped(enrollment, [Step.objects.get(key="linux-git")], True)
    return enrollment


def log_in(page):
    page.goto(f"/accounts/login/?next={ROADMAP}")
    page.locator("input[name=username]").fill("learner")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(ROADMAP) + "$"))


def the_map(page):
    return page.get_by_role("group", name="Map of Machine Learning Engineer: 46 steps")


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_a_map_node_leads_to_its_step_and_shows_its_new_state_on_return(js, new_page, learner):
    page = new_page(js=js)
    log_in(page)
    steps = the_map(page).get_by_role("link")
    expect(steps).to_have_count(46)
    expect(steps.first).to_have_accessible_name(
        "Step 1.1: Linear algebra for machine learning — done"
    )
    expect(the_map(page).get_by_role("link", name="Step 1.7: Linux")).to_have_accessible_name(
        "Step 1.7: Linux, the command line and git — skipped, already known"
    )
    node = the_map(page).get_by_role(
        "link", name="Step 1.3: Probability and statistics — in progress, next step"
    )
    expect(node).to_be_visible()
    expect(the_map(page).get_by_role("link", name="waiting on prerequisites")).not_to_have_count(0)
    expect(page.locator(".map-legend")).to_contain_text("Waiting on prerequisites")

    href = node.get_attribute("href")  # pages.step_url: the step's own page
    node.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))

    # Finish the step on its page, then back on the roadmap its node says so.
    unticked = page.locator('button.tick[aria-pressed="false"]')
    left = unticked.count()
    assert left > 0
    while left:
        unticked.first.click()
        left -= 1
        expect(unticked).to_have_count(left)
    page.goto(ROADMAP)
    expect(
        the_map(page).get_by_role("link", name="Step 1.3: Probability and statistics — done")
    ).to_be_visible()
    assert page.console_errors == []


def test_visitors_see_the_map_without_states(page, shipped_roadmap):
    page.goto(ROADMAP)
    steps = the_map(page).get_by_role("link")
    expect(steps).to_have_count(46)
    expect(steps.nth(3)).to_have_accessible_name("Step 1.4: Optimisation theory")
    expect(page.locator(".map-legend")).to_have_count(0)


def test_tab_reaches_every_node_in_order_with_a_visible_focus_ring(page, learner):
    log_in(page)
    names = (
        the_map(page)
        .get_by_role("link")
        .evaluate_all("links => links.map(link => link.getAttribute('aria-label'))")
    )
    page.locator(".map-scroll").focus()
    for name in names:
        page.keyboard.press("Tab")
        focused = page.locator(".map__link:focus")
        expect(focused).to_have_attribute("aria-label", name)
        ring = focused.locator(".map__focus")
        assert ring.evaluate("ring => getComputedStyle(ring).visibility") == "visible"
        assert ring.evaluate("ring => getComputedStyle(ring).stroke") != "none"
    page.keyboard.press("Tab")
    expect(page.locator(".map__link:focus")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_roadmap_page_with_its_map_has_no_axe_violations(width, scheme, new_page, learner):
    page = new_page(width=width, color_scheme=scheme)
    log_in(page)
    assert_no_axe_violations(page)
    name = f"map-{'phone' if width == 390 else 'desktop'}-{scheme}"
    page.locator("#map").screenshot(path=ARTIFACTS / f"{name}.png")  # for docs/

    visitor = new_page(width=width, color_scheme=scheme)
    visitor.goto(ROADMAP)
    assert_no_axe_violations(visitor)


@pytest.mark.parametrize("width", [360, 390])
def test_on_a_phone_the_map_scrolls_inside_its_region_not_the_page(width, new_page, learner):
    page = new_page(width=width)
    log_in(page)
    region = page.get_by_role("region", name="Map of the roadmap")
    expect(region).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert region.evaluate("region => region.scrollWidth > region.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    for __ in range(50):  # smooth scrolling takes a few frames
        if region.evaluate("region => region.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert region.evaluate("region => region.scrollLeft") > 0


def test_labels_are_drawn_at_12_px_or_more_at_1280_px(page, learner):
    log_in(page)
    scale = page.locator("svg.map").evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
    )
    sizes = page.locator(".map text, .map tspan").evaluate_all(
        "texts => texts.map(text => parseFloat(getComputedStyle(text).fontSize))"
    )
    assert scale == 1
    assert min(sizes) * scale >= 12


def test_with_javascript_the_map_follows_a_tick_made_on_the_page(page, learner, monkeypatch):
    log_in(page)
    # A slow map refresh: each tick's refresh is still in flight when the next tick asks for
    # another, which must replace it (a refresh queued on the region being swapped out would
    # be dropped, leaving the map one tick behind).
    draw = pages.roadmap_map

    def slow_map(page_data):
        time.sleep(0.4)
        return draw(page_data)

    monkeypatch.setattr(pages, "roadmap_map", slow_map)
    page.evaluate("window.stillTheSamePage = true")
    remaining = Milestone.objects.filter(step__key="probability-statistics").order_by("position")
    for milestone in remaining[1:]:
        button = page.get_by_role("button", name=milestone.title)
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    expect(the_map(page).get_by_role("link", name="Step 1.3: Probability")).to_have_accessible_name(
        "Step 1.3: Probability and statistics — done"
    )
    assert page.evaluate("window.stillTheSamePage") is True
