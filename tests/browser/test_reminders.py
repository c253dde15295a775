"""The calendar feed and e-mail reminders in a real browser, with and without JavaScript, and
their pages checked by axe-core in light and dark, on a phone and a wide screen."""

import re

import icalendar
import pytest
from playwright.sync_api import expect

from reminders import emails
from reminders.models import CalendarFeed, ReminderSettings
from roadmap import learning
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import load_roadmap, make_user, roadmap_data


@pytest.fixture
def ada(transactional_db):
    user = make_user("ada")
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))
    learning.enrol(user, roadmap, weekly_hours=5)
    return user


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_learner_subscribes_to_their_plan_and_chooses_reminders(new_page, ada, js):
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)

    page.goto("/dashboard/test-roadmap/")
    page.get_by_role("link", name=re.compile("^Calendar feed")).click()
    page.get_by_role("button", name="Make a calendar link").click()
    expect(page.get_by_text("Your calendar link is ready.")).to_be_visible()
    url = page.get_by_label("Your calendar link").input_value()
    calendar_app = new_page(js=js)  # no session, like a calendar app
    feed = calendar_app.request.get(url.replace("http://127.0.0.1:8000", ""))
    assert feed.status == 200
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Step 0.0", "Step 0.1", "Step 1.0", "Step 1.1"]

    page.get_by_role("button", name="Turn the link off").click()
    expect(page.get_by_text("Your calendar link is turned off.")).to_be_visible()
    assert calendar_app.request.get(url.replace("http://127.0.0.1:8000", "")).status == 404
    assert not CalendarFeed.objects.exists()

    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("link", name="Choose a weekly digest and nudges").click()
    page.get_by_label("Send me a weekly digest").check()
    page.get_by_label("Day of the digest").select_option(label="Sunday")
    page.get_by_label("Hour of the e-mails").select_option(label="18:00")
    page.get_by_label("Nudge me after this many days without a tick").fill("3")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.get_by_text("Your reminder settings are saved.")).to_be_visible()
    prefs = ReminderSettings.objects.get(user=ada)
    assert (prefs.digest, prefs.digest_weekday, prefs.hour, prefs.nudge_days) == (True, 6, 18, 3)
    assert page.console_errors == []


def check(page, screenshot, name, width, scheme):
    assert_no_axe_violations(page)
    screenshot(page, f"reminders-{name}-{width}-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_reminder_pages_are_accessible(new_page, screenshot, ada, width, scheme):
    page = new_page(width=width, color_scheme=scheme)
    shot = {"screenshot": screenshot, "width": width, "scheme": scheme}
    log_in(page, "ada", FACTORY_PASSWORD)

    page.goto("/reminders/")
    check(page, name="settings", **shot)
    page.get_by_label("Nudge me after this many days without a tick").fill("0")
    page.get_by_role("button", name="Save reminders").click()
    expect(page.locator(".error-summary h2")).to_be_focused()
    check(page, name="settings-errors", **shot)

    page.goto("/dashboard/test-roadmap/calendar/")
    check(page, name="calendar-off", **shot)
    page.get_by_role("button", name="Make a calendar link").click()
    check(page, name="calendar-new-link", **shot)
    page.reload()
    check(page, name="calendar-on", **shot)

    token = emails.unsubscribe_token(ada.pk, "digest")
    page.goto(f"/unsubscribe/{token}/")
    check(page, name="unsubscribe", **shot)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("You will get no more weekly digests.")).to_be_visible()
    check(page, name="unsubscribed", **shot)
