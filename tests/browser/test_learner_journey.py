"""The heart of Waypoint in a real browser: sign up, enrol, tick, skip, note, reload, reset.

With JavaScript on, every change happens in place (htmx) and the page never reloads; with it
off, the same forms work as plain POSTs that come back to the same place.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations

ROADMAP = "/roadmaps/machine-learning-engineer/"
PHASE_OF = {
    "linear-algebra": "foundations",
    "calculus": "foundations",
    "probability-statistics": "foundations",
    "python": "foundations",
}
PASSWORD = "a-long-and-unusual-passphrase-42"
TICKS = [
    "Compute with vectors, matrices and their products by hand and in code",
    "Explain a matrix as a linear transformation and interpret its determinant",
    "Differentiate common functions and explain the derivative as a rate of change",
]


def sign_up_from_the_roadmap(page, username):
    page.goto(ROADMAP)
    page.get_by_role("button", name="Sign up to enrol").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(re.escape(ROADMAP)))


def overall_percent(page):
    return int(page.locator("#overall-progress .percent").inner_text().rstrip("%"))


def phase_bar(page, key):
    return int(page.locator(f"#phase-{key}-progress progress").get_attribute("value"))


def tick(page, title):
    button = page.get_by_role("button", name=title)
    button.click()
    expect(page.get_by_role("button", name=title)).to_have_attribute("aria-pressed", "true")


def open_step(page, key):
    """Follow the outline's link to a step page (opening its phase first if closed)."""
    line = page.locator(f"#step-{key}")
    if not line.is_visible():
        page.locator(f"#phase-{PHASE_OF[key]}").locator("summary").click()
    line.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/steps/{key}/"))


def confirm(page, link_name, button_name):
    """Ask for a change that loses progress, then confirm it: in place with JavaScript, on a
    page of its own without."""
    page.get_by_role("link", name=link_name).click()
    page.get_by_role("button", name=button_name).click()


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_the_core_learner_journey(js, new_page, shipped_roadmap, screenshot):
    page = new_page(js=js)
    sign_up_from_the_roadmap(page, f"learner{int(js)}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    expect(page.locator("#overall-progress .percent")).to_have_text("0%")
    if js:
        page.evaluate("window.stillTheSamePage = true")

    # The next step's milestones are tickable on the roadmap page itself.
    for title in TICKS[:2]:
        tick(page, title)
    expect(page.locator("#overall-progress .percent")).to_have_text("1%")
    assert phase_bar(page, "foundations") > 0
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("In progress")

    page.locator("#phase-data summary").click()
    page.get_by_role("button", name="I already know this phase").nth(1).click()  # Working with data
    expect(page.locator("#phase-data-progress")).to_contain_text("100%")
    expect(page.locator("#overall-progress")).to_contain_text("skipped")
    skipped_percent = overall_percent(page)
    assert skipped_percent > 2
    if js:
        assert page.evaluate("window.stillTheSamePage") is True, "a tick reloaded the page"

    # Every other milestone is tickable on its step page, which links back.
    expect(page.locator("#step-calculus-status")).to_contain_text("Not started")
    open_step(page, "calculus")
    tick(page, TICKS[2])
    expect(page.locator("#step-calculus-status")).to_contain_text("1 of")
    assert overall_percent(page) == skipped_percent + 1
    page.get_by_role("link", name="All steps").click()
    expect(page.locator("#step-calculus-status")).to_contain_text("In progress")

    open_step(page, "probability-statistics")
    page.get_by_role("textbox", name="Your note").fill(
        "Revise Bayes before the exam. <script>alert(1)</script>"
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()
    if js:
        assert page.console_errors == []

    page.reload()
    expect(page.locator("#note-probability-statistics")).to_have_value(
        "Revise Bayes before the exam. <script>alert(1)</script>"
    )
    page.get_by_role("link", name="All steps").click()
    assert overall_percent(page) == skipped_percent + 1
    for title in TICKS[:2]:
        expect(page.get_by_role("button", name=title)).to_have_attribute("aria-pressed", "true")

    # Resetting asks first, and can be undone.
    open_step(page, "linear-algebra")
    confirm(page, "Reset for revision…", "Reset the step")
    expect(page).to_have_url(re.compile(r"/steps/linear-algebra/"))
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("Not started")
    expect(page.locator(".undo-offer")).to_contain_text("You reset the step")
    page.locator(".undo-offer").get_by_role("button", name="Undo").click()
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("2 of")
    page.get_by_role("link", name="All steps").click()
    page.get_by_text("Your history on this roadmap").click()
    history = page.locator("#history-list")
    expect(history).to_contain_text("Undid the reset of “Linear algebra for machine learning”")
    expect(history).to_contain_text("Reset “Linear algebra for machine learning” for revision")
    expect(history).to_contain_text(f"Ticked “{TICKS[0]}”")
    screenshot(page, f"journey-{'js' if js else 'nojs'}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_enrolled_roadmap_page_has_no_axe_violations(scheme, new_page, shipped_roadmap):
    page = new_page(color_scheme=scheme)
    sign_up_from_the_roadmap(page, f"axe{scheme}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    tick(page, TICKS[0])
    page.get_by_text("Your history on this roadmap").click()
    page.get_by_text("Manage your enrolment").click()

    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_enrolled_roadmap_page_fits_the_screen(width, new_page, shipped_roadmap, screenshot):
    page = new_page(width=width)
    sign_up_from_the_roadmap(page, f"w{width}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    for title in TICKS[:2]:
        tick(page, title)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a {width}px screen"
    screenshot(page, f"enrolled-{width}")


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_a_bad_link_shows_its_error_in_place_and_saves_nothing(js, new_page, shipped_roadmap):
    from roadmap.models import PersonalLink

    page = new_page(js=js)
    sign_up_from_the_roadmap(page, f"links{int(js)}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    open_step(page, "python")
    step = page
    step.get_by_label("Link title").fill("Sneaky")
    step.get_by_label("Address").fill("javascript:alert(1)")
    step.get_by_role("button", name="Add link").click()

    error = page.locator("#link-url-python-error")
    expect(error).to_contain_text("http")
    expect(page.locator("#link-url-python")).to_have_attribute("aria-invalid", "true")
    assert PersonalLink.objects.count() == 0
    if js:
        assert page.url.endswith(f"{ROADMAP}steps/python/"), "the error should appear in place"
        expect(page.locator("#request-error")).to_be_hidden()


def test_a_bad_link_error_stays_in_place_under_debug(new_page, shipped_roadmap, settings):
    """`make run` has DEBUG on, which adds django-htmx's handler for error responses."""
    settings.DEBUG = True
    page = new_page()
    sign_up_from_the_roadmap(page, "debuglinks")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    page.goto(f"{ROADMAP}steps/python/")
    step = page.locator("#step-python")
    step.get_by_label("Link title").fill("Sneaky")
    step.get_by_label("Address").fill("https://exa mple")
    step.get_by_role("button", name="Add link").click()

    error = page.locator("#link-url-python-error")
    expect(error).to_have_text("Enter an http:// or https:// address.")
    expect(page.locator(".site-header")).to_have_count(1)
    expect(page.get_by_role("heading", name="Your notes and links")).to_be_visible()
    expect(page.locator("#request-error")).to_be_hidden()
    assert page.url.endswith(f"{ROADMAP}steps/python/")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_skipped_step_says_what_skipping_means(
    width, scheme, new_page, shipped_roadmap, screenshot
):
    page = new_page(width=width, color_scheme=scheme)
    sign_up_from_the_roadmap(page, f"skip{width}{scheme}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    page.goto(f"{ROADMAP}steps/python/")
    step = page.locator("#step-python")
    step.get_by_role("button", name="I already know this").click()

    status = page.locator("#step-python-status")
    expect(status).to_contain_text("Skipped — you already know this")
    expect(status).to_contain_text("milestones are counted as known, not left to do.")
    expect(status).not_to_contain_text(" of ")
    step.scroll_into_view_if_needed()
    page.locator("#step-python").screenshot(
        path=str(ARTIFACTS / f"skipped-step-{width}-{scheme}.png")
    )
    if (width, scheme) == (1280, "dark"):  # the enrolled page is axe-checked elsewhere
        assert_no_axe_violations(page)


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_a_phase_skipped_while_finished_steps_are_hidden_hides_its_steps(
    js, new_page, shipped_roadmap
):
    page = new_page(js=js, width=390)
    sign_up_from_the_roadmap(page, f"hides{int(js)}")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    page.get_by_role("link", name="Hide finished steps").click()
    expect(page.get_by_text("Finished steps are hidden.")).to_be_visible()
    expect(page.locator("#phase-data .outline__step")).not_to_have_count(0)

    page.locator("#phase-data summary").click()
    page.locator("#phase-data").get_by_role("button", name="I already know this phase").click()

    expect(page.locator("#phase-data-progress")).to_contain_text("100%")
    expect(page.locator("#phase-data .outline__step")).to_have_count(0)  # all finished now
    expect(page.locator("#phase-data")).to_contain_text("Undo skipping this phase")
    expect(page).to_have_url(re.compile(r"\?finished=hide"))
