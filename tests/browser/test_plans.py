"""Plans in a real browser: the honest projection after catching up, This week, goals."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from roadmap.models import Enrollment, Milestone
from roadmap.plan import finish_date
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_learner_journey import sign_up_from_the_roadmap

ROADMAP = "/roadmaps/machine-learning-engineer/"
DASHBOARD = "/dashboard/machine-learning-engineer/"


def enrol(page, hours="10", target=""):
    page.get_by_label("Hours per week (optional)").fill(hours)
    if target:
        page.get_by_label("Target date (optional)").fill(target)
    page.get_by_role("button", name="Enrol in this roadmap").click()
    expect(page.locator("#overall-progress .percent")).to_have_text("0%")


def first_milestones(count, with_step=False):
    """The titles of the roadmap's first milestones in order (with their step's key)."""
    milestones = Milestone.objects.filter(roadmap__slug="machine-learning-engineer").order_by(
        "step__phase__position", "step__position", "position"
    )
    if with_step:
        return list(milestones.values_list("step__key", "title")[:count])
    return list(milestones.values_list("title", flat=True)[:count])


def test_catching_up_eleven_milestones_keeps_the_projection_at_the_planned_ten_hours(
    new_page, shipped_roadmap
):
    page = new_page()
    sign_up_from_the_roadmap(page, "catchup")
    expect(page.locator("#commitment")).to_contain_text("about 2 years 4 months at 10 hours a week")
    enrol(page, "10")
    # As someone catching up would: step by step, ticking on each step's page, in two minutes.
    for step_key, title in first_milestones(11, with_step=True):
        if not page.url.endswith(f"steps/{step_key}/"):
            page.goto(f"{ROADMAP}steps/{step_key}/")
        page.get_by_role("button", name=title).click()
        expect(page.get_by_role("button", name=title)).to_have_attribute("aria-pressed", "true")

    page.goto(DASHBOARD)

    pace = page.locator("[aria-labelledby=pace-title]")
    expect(pace).to_contain_text("You planned 10 hours a week")
    remaining = float(re.search(r"About (\d+) hours to go", pace.inner_text()).group(1))
    finish = finish_date(remaining, 10, timezone.localdate())
    expect(pace.locator(".projection")).to_have_text(
        f"At 10 hours a week you finish around {date_format(finish, 'j F Y')}."
    )
    expect(page.locator("#this-week-hours")).to_contain_text("0 hours learned since Monday")
    assert page.console_errors == []


def test_this_weeks_milestones_tick_in_place_and_the_plan_moves_on(new_page, shipped_roadmap):
    page = new_page()
    sign_up_from_the_roadmap(page, "weekly")
    enrol(page, "10")
    page.goto(DASHBOARD)
    page.evaluate("window.stillTheSamePage = true")
    week = page.locator("#this-week")
    first, second = first_milestones(2)
    expect(week.get_by_role("button", name=first)).to_be_visible()

    week.get_by_role("button", name=first).click()

    expect(page.locator("#this-week").get_by_role("button", name=second)).to_be_focused()
    expect(page.locator("#this-week").get_by_role("button", name=first)).to_have_count(0)
    expect(page.locator("#dashboard-percent")).to_have_text("0%")  # 1 of 145, rounded down
    expect(page.locator(".dashboard-summary .meta").first).to_contain_text("1 done")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_goals_change_on_the_dashboard_with_a_warning_for_an_unreachable_target(
    js, new_page, shipped_roadmap
):
    page = new_page(js=js)
    sign_up_from_the_roadmap(page, f"goals{int(js)}")
    enrol(page, "10")
    page.goto(DASHBOARD)
    if js:
        page.evaluate("window.stillTheSamePage = true")
    target = timezone.localdate() + timedelta(days=90)
    goals = page.locator("#goals")

    goals.get_by_label("Hours per week (optional)").fill("81")
    goals.get_by_role("button", name="Save goals").click()
    expect(page.locator("#goals .error-summary")).to_contain_text("less than or equal to 80")

    page.locator("#goals").get_by_label("Hours per week (optional)").fill("5")
    page.locator("#goals").get_by_label("Target date (optional)").fill(target.isoformat())
    page.locator("#goals").get_by_role("button", name="Save goals").click()

    expect(page.get_by_text("Your goals are saved.")).to_be_visible()
    if js:
        expect(page.locator("#goals-title")).to_be_focused()
    reach = page.get_by_text(re.compile(r"At 5 hours a week you finish around"))
    expect(reach.first).to_be_visible()
    expect(page.get_by_text(re.compile(r"you need about \d+ hours a week")).first).to_be_visible()
    expect(page.locator("#pace-figures")).to_contain_text("You planned 5 hours a week")
    enrollment = Enrollment.objects.get(user__username=f"goals{int(js)}")
    assert (enrollment.weekly_hours, enrollment.target_date) == (5, target)
    if js:
        assert page.evaluate("window.stillTheSamePage") is True
    # The browser reports the deliberate refusal of 81 hours (a 422 for htmx, swapped in place;
    # a 400 without JavaScript); nothing else may go wrong.
    refused = ("status of 400", "status of 422")
    assert [e for e in page.console_errors if not any(r in e for r in refused)] == []


def test_the_commitment_works_without_javascript(new_page, shipped_roadmap):
    page = new_page(js=False)
    page.goto(ROADMAP)
    page.get_by_label("Hours a week").fill("20")
    page.get_by_role("button", name="Work it out").click()

    expect(page.locator("#commitment")).to_contain_text("about 1 year 2 months at 20 hours a week")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_plans_fit_the_screen_and_pass_axe(width, scheme, new_page, shipped_roadmap, screenshot):
    page = new_page(width=width, color_scheme=scheme)
    page.goto(ROADMAP)
    commitment = page.locator("#commitment")
    expect(commitment).to_be_visible()
    assert_no_axe_violations(page)
    commitment.screenshot(path=_artifact(f"commitment-{width}-{scheme}"))
    sign_up_from_the_roadmap(page, f"plan{width}{scheme}")
    target = (timezone.localdate() + timedelta(days=60)).isoformat()
    enrol(page, "10", target)
    for title in first_milestones(2):
        page.get_by_role("button", name=title).click()
        expect(page.get_by_role("button", name=title)).to_have_attribute("aria-pressed", "true")
    page.goto(DASHBOARD)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the dashboard is {overflow}px wider than a {width}px screen"
    assert_no_axe_violations(page)
    screenshot(page, f"dashboard-plan-{width}-{scheme}")
    page.locator("#dashboard-live").screenshot(path=_artifact(f"dashboard-live-{width}-{scheme}"))


def _artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
