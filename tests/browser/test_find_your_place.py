"""Issue 13 in a real browser: the roadmap page's size and height on the ML roadmap, step
pages, reset and undo, the continue card, and the phone's first screens."""

import re

import pytest
from playwright.sync_api import expect

from roadmap import learning
from roadmap.models import Enrollment, Milestone, MilestoneProgress, StepSkip
from tests.browser.conftest import assert_no_axe_violations
from tests.factories import make_user

ROADMAP = "/roadmaps/machine-learning-engineer/"
STEP = f"{ROADMAP}steps/calculus/"
DASHBOARD = "/dashboard/machine-learning-engineer/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MEASURED = {}  # page, viewport -> screens, printed at the end for the README and the report


def learner_with_progress(username):
    """A learner some way into the ML roadmap: the first step done, the second started."""
    from roadmap.models import Roadmap

    user = make_user(username)
    enrollment = Enrollment.objects.create(
        user=user, roadmap=Roadmap.objects.get(slug="machine-learning-engineer")
    )
    milestones = Milestone.objects.filter(step__key__in=["linear-algebra", "calculus"])
    for milestone in milestones.order_by("step__position", "position")[:6]:
        learning.set_milestone(enrollment, milestone, True)
    return enrollment


def log_in(page, username):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.get_by_label("Password").fill("correct horse 42")
    page.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile("/dashboard/$"))


def screens(page):
    return page.evaluate("document.documentElement.scrollHeight / window.innerHeight")


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize(
    ("viewport", "limit"), [(DESKTOP, 6), (PHONE, 10)], ids=["1280x900", "390x844"]
)
def test_the_enrolled_ml_roadmap_page_is_short_and_light(
    js, viewport, limit, new_page, shipped_roadmap
):
    learner_with_progress("measured")
    page = new_page(js=js, **viewport)
    log_in(page, "measured")

    response = page.goto(ROADMAP)

    size = len(response.body())
    height = screens(page)
    MEASURED[f"roadmap {viewport['width']} js={js}"] = (round(height, 2), size)
    print(f"\nroadmap page at {viewport['width']}: {height:.2f} screens, {size} bytes")
    assert size <= 100_000, f"the roadmap page is {size} bytes"
    assert height <= limit, f"the roadmap page is {height:.1f} screens tall"
    # Every milestone of the next step is tickable right here.
    expect(page.locator("#continue .tick")).to_have_count(4)


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_resetting_a_phase_and_undoing_it_leaves_the_database_exactly_as_before(
    js, new_page, shipped_roadmap
):
    enrollment = learner_with_progress(f"undo{int(js)}")
    learning.set_skipped(enrollment, list(enrollment.roadmap.steps.filter(key="python")), True)

    def rows():
        return (
            sorted(
                MilestoneProgress.objects.filter(enrollment=enrollment).values_list(
                    "id", "milestone", "done_at", "first_done_at"
                )
            ),
            sorted(
                StepSkip.objects.filter(enrollment=enrollment).values_list("step", "created_at")
            ),
        )

    before = rows()
    page = new_page(js=js)
    log_in(page, f"undo{int(js)}")
    page.goto(ROADMAP)

    page.get_by_role("link", name="Reset phase for revision…").click()
    if js:  # asked in place, not by window.confirm
        expect(page).to_have_url(re.compile(re.escape(ROADMAP) + "$"))
    page.get_by_role("button", name="Reset the phase").click()
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("Not started")
    assert rows() != before
    page.locator(".undo-offer").get_by_role("button", name="Undo").click()
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("Done")

    assert rows() == before
    expect(page.locator(".undo-offer")).to_have_count(0)
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_roadmap_step_and_dashboard_pages_pass_axe_and_are_photographed(
    viewport, scheme, new_page, shipped_roadmap, screenshot
):
    learner_with_progress(f"axe{viewport['width']}{scheme}")
    page = new_page(color_scheme=scheme, **viewport)
    log_in(page, f"axe{viewport['width']}{scheme}")
    for url, name in (
        ("/", "home"),
        ("/dashboard/", "dashboard"),
        (ROADMAP, "roadmap"),
        (STEP, "step"),
        (DASHBOARD, "dashboard-ml"),
    ):
        page.goto(url)
        if name == "dashboard-ml":
            page.locator(".skill-groups summary").first.click()
        assert_no_axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than the screen"
        screenshot(page, f"issue13-{name}-{viewport['width']}-{scheme}")
    assert page.console_errors == []


def test_on_a_phone_the_first_screens_hold_what_matters(new_page, shipped_roadmap):
    learner_with_progress("phone")
    visitor = new_page(**PHONE)
    visitor.goto(ROADMAP)
    button = visitor.get_by_role("button", name="Sign up to enrol").bounding_box()
    assert button["y"] + button["height"] <= 2 * PHONE["height"]
    nav = visitor.locator(".site-header__inner").bounding_box()
    assert nav["height"] < 60, "the header wrapped onto a second line"

    page = new_page(**PHONE)
    log_in(page, "phone")  # lands on the dashboard
    header = page.locator(".site-header__inner").bounding_box()
    assert header["height"] < 60, "the header wrapped onto a second line"
    tick = page.locator("#continue-card .tick").bounding_box()
    assert tick["y"] + tick["height"] <= PHONE["height"], "the next milestone is below the fold"

    # A full recent-activity list (20 entries) and a year's heatmap cost no extra height.
    enrollment = Enrollment.objects.get(user__username="phone")
    for milestone in Milestone.objects.filter(step__phase__key="data")[:20]:
        learning.set_milestone(enrollment, milestone, True)
    page.goto(DASHBOARD)
    height = screens(page)
    MEASURED["roadmap dashboard 390"] = (round(height, 2), None)
    print(f"\nroadmap dashboard at 390: {height:.2f} screens")
    assert height <= 4, f"the roadmap dashboard is {height:.1f} phone screens tall"
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart text')].map((text) => {
            const svg = text.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(text).fontSize) * scale;
        }))"""
    )
    assert smallest >= 12, f"a chart label is {smallest:.1f}px"


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_the_home_page_continues_with_a_tick(js, new_page, shipped_roadmap):
    enrollment = learner_with_progress(f"home{int(js)}")
    page = new_page(js=js, **PHONE)
    log_in(page, f"home{int(js)}")
    page.goto("/")
    card = page.locator("#continue-card")
    expect(card).to_contain_text("Continue: Calculus and gradients")
    first = card.locator(".tick__label").inner_text()

    card.locator(".tick").click()

    expect(page.locator("#continue-card .tick__label")).not_to_have_text(first)
    done = MilestoneProgress.objects.filter(enrollment=enrollment, done_at__isnull=False)
    assert done.filter(milestone__title=first).exists()
    assert page.console_errors == []
