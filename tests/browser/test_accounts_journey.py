"""An account's whole life in a real browser, with and without JavaScript, and every account
page checked by axe-core in light and dark, on a phone and a wide screen."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations
from tests.factories import make_user

PASSWORD = "a-long-and-unusual-passphrase-42"
SECOND = "a-second-unusual-passphrase-77"
THIRD = "a-third-unusual-passphrase-99"
FACTORY_PASSWORD = "correct horse 42"


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def log_in(page, login, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def reset_link():
    (message,) = mail.outbox
    return re.search(r"https?://\S+/accounts/reset/\S+", message.body).group(0)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_an_accounts_whole_life(new_page, js):
    page = new_page(js=js)
    username = "ada-js" if js else "ada-nojs"
    email = f"{username}@example.com"

    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/roadmaps/$"))
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") if js else ""
    user = get_user_model().objects.get(username=username)
    assert user.time_zone == (browser_zone or "UTC")

    log_out(page)
    log_in(page, email.upper(), PASSWORD)

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change your password").click()
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(SECOND)
    page.get_by_label("New password again").fill(SECOND)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()

    log_out(page)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page.goto(reset_link())
    page.get_by_label("New password", exact=True).fill(THIRD)
    page.get_by_label("New password again").fill(THIRD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="Your new password is set")).to_be_visible()
    log_in(page, username, THIRD)

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Download all your data").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data (JSON)").click()
    download = download_info.value
    assert re.fullmatch(
        rf"waypoint-export-{username}-\d{{4}}-\d\d-\d\d\.json", download.suggested_filename
    )
    document = json.loads(download.path().read_text(encoding="utf-8"))
    assert document["format"] == "waypoint-export"
    assert document["profile"]["email"] == email

    page.goto("/accounts/settings/")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Your password").fill(THIRD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and all its data are deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert not get_user_model().objects.filter(username=username).exists()
    assert page.console_errors == []


def submit(page, name):
    page.get_by_role("button", name=name).click()


def check(page, screenshot, name, width, scheme, errors=False):
    if errors:
        expect(page.locator(".error-summary h2")).to_be_focused()
    assert_no_axe_violations(page)
    screenshot(page, f"accounts-{name}-{width}-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_account_page_is_accessible(new_page, screenshot, settings, width, scheme):
    make_user("bea")
    page = new_page(width=width, color_scheme=scheme)  # axe-core itself needs JavaScript
    shot = {"screenshot": screenshot, "width": width, "scheme": scheme}

    page.goto("/accounts/signup/")
    check(page, name="signup", **shot)
    page.get_by_label("E-mail address").fill("bea@example.com")
    page.get_by_label("Password", exact=True).fill("123")
    submit(page, "Create account")
    check(page, name="signup-errors", errors=True, **shot)

    page.goto("/accounts/password_reset/")
    check(page, name="password-reset", **shot)
    submit(page, "Send the reset link")
    check(page, name="password-reset-errors", errors=True, **shot)
    page.get_by_label("E-mail address").fill("bea@example.com")
    submit(page, "Send the reset link")
    check(page, name="password-reset-done", **shot)
    page.goto(reset_link())
    check(page, name="password-reset-confirm", **shot)
    page.get_by_label("New password", exact=True).fill("short")
    submit(page, "Set my password")
    check(page, name="password-reset-confirm-errors", errors=True, **shot)
    page.goto("/accounts/reset/MQ/bad-token/")
    check(page, name="password-reset-invalid", **shot)

    page.goto("/accounts/login/")
    check(page, name="login", **shot)
    page.get_by_label("Username or e-mail address").fill("bea")
    page.get_by_label("Password").fill("wrong")
    submit(page, "Log in")
    check(page, name="login-errors", errors=True, **shot)
    log_in(page, "bea", FACTORY_PASSWORD)

    page.goto("/accounts/settings/")
    check(page, name="settings", **shot)
    page.get_by_label("Weekly hours goal").fill("99")
    page.get_by_label("Display name").fill("Bea")
    submit(page, "Save settings")
    check(page, name="settings-errors", errors=True, **shot)
    page.get_by_label("Weekly hours goal").fill("9")
    submit(page, "Save settings")
    check(page, name="settings-saved", **shot)

    page.goto("/accounts/password_change/")
    check(page, name="password-change", **shot)
    submit(page, "Change password")
    check(page, name="password-change-errors", errors=True, **shot)

    page.goto("/accounts/export/")
    check(page, name="export", **shot)

    page.goto("/accounts/delete/")
    check(page, name="delete", **shot)
    page.get_by_label("Your password").fill("wrong")
    submit(page, "Delete my account")
    check(page, name="delete-errors", errors=True, **shot)

    log_out(page)
    page.goto("/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username or e-mail address").fill("bea")
        page.get_by_label("Password").fill("wrong")
        submit(page, "Log in")
        if page.get_by_role("heading", name="Too many failed log-in attempts").count():
            break
        page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()
    check(page, name="lockout", **shot)

    settings.SIGNUP_LIMIT_PER_TARGET = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 0
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("cyd")
    submit(page, "Create account")
    expect(page.get_by_role("heading", name="Too many sign-up attempts")).to_be_visible()
    check(page, name="signup-throttled", **shot)
    page.goto("/accounts/password_reset/")
    page.get_by_label("E-mail address").fill("cyd@example.com")
    submit(page, "Send the reset link")
    expect(page.get_by_role("heading", name="Too many reset requests")).to_be_visible()
    check(page, name="password-reset-throttled", **shot)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_export_button_stands_clear_of_the_footer(new_page, width, scheme, screenshot):
    make_user("exporter")
    page = new_page(width=width, color_scheme=scheme)
    log_in(page, "exporter", FACTORY_PASSWORD)
    page.goto("/accounts/export/")

    button = page.get_by_role("button", name="Download my data (JSON)").bounding_box()
    footer = page.locator(".site-footer").bounding_box()
    screenshot(page, f"export-{width}-{scheme}")
    gap = footer["y"] - (button["y"] + button["height"])
    assert gap >= 24, f"the button is {gap}px from the footer"
