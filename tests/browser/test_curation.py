"""A curator edits the ML roadmap in the admin, previews and publishes; a learner is told."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roadmap import learning
from roadmap.curation import curators_group
from roadmap.models import Milestone, Revision, Step
from tests.browser.conftest import assert_no_axe_violations
from tests.factories import enrol, make_user

PASSWORD = "correct horse 42"  # tests.factories.make_user's password
ROADMAP = "/roadmaps/machine-learning-engineer/"


def log_in(page, url, username):
    page.goto(url)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("input[name=username]").fill(username)
    page.locator("[type=submit]").click()


def test_a_curator_edit_reaches_the_learner_with_progress_kept(new_page, shipped_roadmap):
    Revision.objects.update(created_at=timezone.now() - timedelta(days=1))
    learner = make_user("learner")
    enrollment = enrol(learner, shipped_roadmap)
    for milestone in Milestone.objects.filter(step__key="linear-algebra").order_by("position")[:2]:
        learning.set_milestone(enrollment, milestone, True)
    curator = make_user("curator", is_staff=True)
    curator.groups.add(curators_group())  # transactional tests flush migration-made rows
    step = Step.objects.get(key="linear-algebra")
    new_milestones = step.milestones.count()

    admin = new_page()
    log_in(admin, "/admin/login/", "curator")
    admin.goto(f"/admin/roadmap/step/{step.pk}/change/")
    admin.locator("#id_title").fill("Linear algebra, the ML way")
    admin.get_by_text("Add another Milestone").click()
    admin.locator(f"#id_milestones-{new_milestones}-position").fill("9")
    admin.locator(f"#id_milestones-{new_milestones}-key").fill("matrix-calculus-identities")
    admin.locator(f"#id_milestones-{new_milestones}-title").fill("Use matrix calculus identities")
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")

    admin.goto(f"{ROADMAP}preview/")
    expect(admin.locator("#step-linear-algebra")).to_contain_text("the ML way")
    expect(admin.get_by_text("Use matrix calculus identities")).to_be_visible()

    admin.goto("/admin/roadmap/roadmap/")
    admin.locator("input[name=_selected_action]").first.check()
    admin.locator("select[name=action]").select_option("publish")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("is published")

    page = new_page()
    log_in(page, "/accounts/login/", "learner")
    page.goto(ROADMAP)
    changes = page.locator("#roadmap-changes")
    expect(changes).to_contain_text("1 milestone added in Mathematics and programming foundations")
    expect(changes).to_contain_text("1 step renamed in Mathematics and programming foundations")
    expect(page.locator("#step-linear-algebra-status")).to_contain_text("2 of 5 milestones")
    expect(page.locator("#overall-progress .percent")).to_have_text("1%")  # 2 of 146

    page.get_by_role("button", name="Got it, hide this").click()
    expect(page.locator("#roadmap-changes")).to_have_count(0)
    page.reload()
    expect(page.locator("#roadmap-changes")).to_have_count(0)

    admin.goto(f"{ROADMAP}insight/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Machine Learning Engineer")
    expect(admin.locator("#funnel-title")).to_be_visible()
    assert_no_axe_violations(admin)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_step_change_page_fits_a_1280px_screen(scheme, new_page, shipped_roadmap, screenshot):
    curator = make_user("curator", is_staff=True)
    curator.groups.add(curators_group())
    step = Step.objects.get(key="linear-algebra")
    page = new_page(width=1280, color_scheme=scheme)
    log_in(page, "/admin/login/", "curator")
    page.goto(f"/admin/roadmap/step/{step.pk}/change/")

    widest = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .map(e => [e.getBoundingClientRect().right, e.tagName + '.' + e.className + '#' + e.id])
            .sort((a, b) => b[0] - a[0]).slice(0, 5)"""
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, f"admin-step-1280-{scheme}")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen: {widest}"
