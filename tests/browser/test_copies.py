"""Adapting the shipped ML roadmap in a real browser, with and without JavaScript: a learner
ticks 10 milestones, copies the roadmap and keeps their percent, removes a step from the copy
in its editor, then applies a change the curators publish to the original. Pages checked by axe
and photographed at 390 and 1280 px."""

import pytest
from playwright.sync_api import expect

from roadmap import curation
from roadmap.models import Milestone, Roadmap, Step
from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import make_user

SLUG = "machine-learning-engineer"


def tick(page, title):
    page.get_by_role("button", name=title, exact=True).click()
    expect(page.get_by_role("button", name=title, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def percent(page):
    return page.locator("#overall-progress .percent").inner_text()


def check(page, js):
    """axe on the page; it runs in the page's JavaScript, so only with JavaScript on (the
    HTML is the same either way)."""
    if js:
        assert_no_axe_violations(page)


def photograph(page, name):
    """The top of the page as a person first sees it, at 390 and 1280 px wide."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def remove_step(page, made, step, js):
    """Take one step out of the copy in the editor: from the copy's page to its editor, and
    the step's remove button."""
    page.goto(made.get_absolute_url())
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name=f"Edit “{made.title}”", exact=True)).to_be_visible()
    row = page.locator(f"#step-{step.key}")
    row.get_by_role("button", name=f"Remove “{step.title}”").click()
    expect(row).to_have_count(0)
    check(page, js)
    assert not Step.objects.shown().filter(roadmap=made, key=step.key).exists()


def publish_a_change(original, curator, removed_key):
    """A curator adds a milestone to the first step and one to the step the learner removed,
    and publishes, as the admin's Publish action does."""
    first = Step.objects.filter(roadmap=original).order_by("phase__position", "position")[0]
    removed = Step.objects.get(roadmap=original, key=removed_key)
    for step, key, title in (
        (first, "explain-it-to-a-friend", "Explain it to a friend"),
        (removed, "one-more-thing", "One more thing"),
    ):
        Milestone.objects.create(roadmap=original, step=step, key=key, title=title, position=99)
    assert curation.publish(original, curator) is not None
    return first


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_learner_adapts_the_ml_roadmap_and_applies_a_change_to_the_original(
    new_page, shipped_roadmap, js
):
    make_user("ada")
    curator = make_user("curator", is_staff=True, is_superuser=True)
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto(f"/roadmaps/{SLUG}/")
    page.get_by_role("button", name="Enrol in this roadmap").click()
    expect(page.locator("#overall-progress")).to_be_visible()

    milestones = list(
        Milestone.objects.filter(roadmap=shipped_roadmap)
        .select_related("step")
        .order_by("step__phase__position", "step__position", "position")[:10]
    )
    for milestone in milestones:
        step_url = f"/roadmaps/{SLUG}/steps/{milestone.step.key}/"
        if not page.url.endswith(step_url):
            page.goto(step_url)
        tick(page, milestone.title)
    page.goto(f"/roadmaps/{SLUG}/")
    before = percent(page)
    assert before != "0%"

    photograph(page, f"copy-offer-{'js' if js else 'no-js'}")
    page.get_by_role("link", name="What a copy is").click()
    expect(page.get_by_role("heading", name="Make a copy you can change")).to_be_visible()
    expect(page.get_by_text("Your progress, skipped steps, notes and links move")).to_be_visible()
    check(page, js)
    photograph(page, f"copy-confirm-{'js' if js else 'no-js'}")
    page.get_by_role("button", name="Make a copy I can change").click()
    expect(page.get_by_text("This is your copy. Change it as you like.")).to_be_visible()
    made = Roadmap.objects.get(owner__username="ada", origin=shipped_roadmap)
    assert page.url.endswith(made.get_absolute_url())
    assert percent(page) == before
    page.goto("/dashboard/")
    expect(page.get_by_role("link", name=made.title).first).to_be_visible()

    last_step = Step.objects.filter(roadmap=made).order_by("-phase__position", "-position")[0]
    remove_step(page, made, last_step, js)
    first = publish_a_change(shipped_roadmap, curator, last_step.key)

    page.goto(made.get_absolute_url())
    notice = page.locator("#copy-notice")
    expect(notice).to_contain_text("2 changes to the original since your copy")
    check(page, js)
    photograph(page, f"copy-notice-{'js' if js else 'no-js'}")
    notice.get_by_role("link", name="See what changed").click()

    expect(page.get_by_role("heading", name="What changed in the original")).to_be_visible()
    new_one = page.locator("#change-milestone-added-explain-it-to-a-friend")
    blocked = page.locator("#change-milestone-added-one-more-thing")
    expect(new_one).to_contain_text("Explain it to a friend")
    expect(blocked).to_contain_text(f"Its step “{last_step.title}” is not in your copy.")
    expect(blocked.get_by_role("button", name="Apply")).to_have_count(0)
    check(page, js)
    photograph(page, f"copy-changes-{'js' if js else 'no-js'}")

    new_one.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Applied to your copy: Explain it to a friend")).to_be_visible()
    assert Milestone.objects.filter(roadmap=made, key="explain-it-to-a-friend").exists()
    blocked = page.locator("#change-milestone-added-one-more-thing")
    blocked.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("Dismissed: One more thing")).to_be_visible()
    expect(page.get_by_text("Your copy is in step with the original")).to_be_visible()
    check(page, js)

    page.goto(f"{made.get_absolute_url()}steps/{first.key}/")
    expect(page.get_by_role("button", name="Explain it to a friend", exact=True)).to_be_visible()
    page.goto(made.get_absolute_url())
    expect(page.locator("#copy-notice")).to_have_count(0)
    made.refresh_from_db()
    assert made.origin_revision == curation.latest_revision_number(shipped_roadmap)
    assert page.console_errors == []
