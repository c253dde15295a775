"""Sharing progress by link in a real browser, with and without JavaScript: a learner makes a
link, someone without an account opens it, the learner turns it off. Pages checked by axe."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from roadmap import learning
from roadmap.models import Milestone
from sharing.models import Share
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import load_roadmap, make_user, roadmap_data

NOTE = "a private note about kangaroos"


@pytest.fixture
def ada(transactional_db):
    user = make_user("ada")
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))
    learning.enrol(user, roadmap, weekly_hours=5)
    return user


def tick(page, title):
    page.get_by_role("button", name=title).click()
    expect(page.get_by_role("button", name=title)).to_have_attribute("aria-pressed", "true")


def open_share_controls(page):
    page.goto("/dashboard/test-roadmap/")
    page.get_by_role("link", name=re.compile("^Share your progress")).click()


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_learner_shares_their_progress_and_turns_the_link_off(new_page, ada, js):
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto("/roadmaps/test-roadmap/steps/step-0-0/")
    tick(page, "Milestone 0 of step-0-0")
    tick(page, "Milestone 1 of step-0-0")
    page.goto("/roadmaps/test-roadmap/steps/step-0-1/")
    tick(page, "Milestone 0 of step-0-1")
    page.get_by_role("textbox", name="Your note").fill(NOTE)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("Note saved.")).to_be_visible()

    open_share_controls(page)
    expect(page.get_by_text("Your progress is private: no link is on.")).to_be_visible()
    page.get_by_role("button", name="Make a link").click()
    expect(page.get_by_text("Your link is ready.")).to_be_visible()
    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible() if js else expect(copy).to_be_hidden()
    path = urlsplit(page.get_by_label("Your shared page").input_value()).path

    friend = new_page(js=js)  # another browser, no account
    response = friend.goto(path)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["referrer-policy"] == "no-referrer"
    expect(friend.locator("#shared-percent")).to_have_text("37%")  # 3 of 8 milestones
    expect(friend.locator(".step--done")).to_have_count(1)
    expect(friend.locator(".step--in-progress")).to_have_count(1)
    html = friend.content()
    assert NOTE not in html
    assert "ada@example.com" not in html
    badge = friend.request.get(path + "badge.svg")
    assert badge.headers["content-type"] == "image/svg+xml; charset=utf-8"
    assert ">37%</text>" in badge.text()

    page.get_by_role("button", name="Turn the link off").click()
    expect(page.get_by_text("Your link is turned off.")).to_be_visible()
    assert friend.goto(path).status == 404
    assert friend.request.get(path + "badge.svg").status == 404
    assert not Share.objects.exists()
    assert page.console_errors == []


def check(page, screenshot, name, width, scheme):
    assert_no_axe_violations(page)
    screenshot(page, f"sharing-{name}-{width}-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_share_pages_are_accessible(new_page, screenshot, shipped_roadmap, width, scheme):
    user = make_user("grace")
    enrollment, __ = learning.enrol(user, shipped_roadmap, weekly_hours=8)
    for milestone in Milestone.objects.filter(roadmap=shipped_roadmap).order_by("pk")[:25]:
        learning.set_milestone(enrollment, milestone, True)
    page = new_page(width=width, color_scheme=scheme)
    shot = {"screenshot": screenshot, "width": width, "scheme": scheme}
    log_in(page, "grace", FACTORY_PASSWORD)

    page.goto("/dashboard/machine-learning-engineer/share/")
    check(page, name="controls-off", **shot)
    page.get_by_role("button", name="Make a link").click()
    expect(page.get_by_text("Your link is ready.")).to_be_visible()
    check(page, name="controls-new", **shot)
    path = urlsplit(page.get_by_label("Your shared page").input_value()).path

    friend = new_page(width=width, color_scheme=scheme)
    friend.goto(path)
    expect(friend.locator("#shared-percent")).to_be_visible()
    check(friend, name="page", **shot)
    page.goto("/dashboard/machine-learning-engineer/share/")
    check(page, name="controls-on", **shot)


@pytest.fixture
def own_roadmap(transactional_db):
    """Ada's own roadmap, 3 of its 8 milestones done and a note, and no link yet."""
    from roadmap.content import validate
    from roadmap.models import Enrollment
    from roadmap.ownership import create_own_roadmap

    user = make_user("ada")
    roadmap = create_own_roadmap(user, validate(roadmap_data(slug="rust")))
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    for key in ("step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        learning.set_milestone(enrollment, Milestone.objects.get(roadmap=roadmap, key=key), True)
    step = roadmap.steps.get(key="step-0-0")
    learning.save_note(enrollment, step, NOTE)
    return roadmap


def screenshots(page, screenshot, name, js):
    """Axe at the page's width (axe runs in the page's JavaScript, so only with it on; the
    HTML is the same without), then a screenshot at a phone's and a desktop's width."""
    if js:
        assert_no_axe_violations(page)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"sharing-{name}-{width}")
    if js:
        assert_no_axe_violations(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_learner_shares_their_own_roadmap_without_then_with_their_progress(
    new_page, own_roadmap, screenshot, js
):
    mode = "js" if js else "no-js"
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto(f"/dashboard/{own_roadmap.slug}/share/")
    expect(page.get_by_text("Your roadmap and your progress are private")).to_be_visible()
    page.get_by_label("The roadmap only").check()
    page.get_by_role("button", name="Make a link").click()
    expect(page.get_by_text("Your link is ready.")).to_be_visible()
    expect(page.get_by_text("not your progress")).to_be_visible()
    expect(page.get_by_label("Badge for a README (Markdown)")).to_have_count(0)
    path = urlsplit(page.get_by_label("Your shared page").input_value()).path
    screenshots(page, screenshot, f"own-controls-{mode}", js)

    friend = new_page(js=js)  # another browser, no account
    response = friend.goto(path)
    assert response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(friend.get_by_role("heading", level=1)).to_have_text("Roadmap rust")
    expect(friend.get_by_text("Shared roadmap · read-only")).to_be_visible()
    expect(friend.locator("#shared-percent")).to_have_count(0)
    expect(friend.locator("[class*='step--'], [class*='map__node--']")).to_have_count(0)
    milestone = friend.get_by_text("Milestone 1 of step-0-0")
    expect(milestone).to_be_hidden()
    friend.get_by_role("heading", name="1.1 Step 0.0").click()  # opens the step in place
    expect(milestone).to_be_visible()
    expect(friend.get_by_role("link", name="Docs").first).to_be_visible()
    friend.get_by_role("link", name="Step 2.2: Step 1.1").click()  # from the map
    expect(friend.locator("#step-step-1-1")).to_be_visible()
    assert friend.url.endswith("#step-step-1-1")
    html = friend.content()
    assert NOTE not in html
    assert "ada@example.com" not in html
    assert friend.request.get(path + "badge.svg").status == 404
    friend.goto(path)
    friend.get_by_role("heading", name="1.2 Step 0.1").click()
    screenshots(friend, screenshot, f"own-roadmap-only-{mode}", js)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("The roadmap with my progress").check()
    page.get_by_role("button", name="Save what the link shows").click()
    expect(page.get_by_text("Your link now shows the roadmap with your progress.")).to_be_visible()
    expect(page.get_by_label("The roadmap with my progress")).to_be_checked()
    friend.goto(path)  # the same link
    expect(friend.locator("#shared-percent")).to_have_text("37%")  # 3 of 8 milestones
    expect(friend.locator(".step--done")).to_have_count(1)
    assert friend.request.get(path + "badge.svg").status == 200
    assert NOTE not in friend.content()
    if js:
        assert_no_axe_violations(friend)
    assert Share.objects.get().shows == Share.Shows.PROGRESS
    assert page.console_errors == friend.console_errors == []
