"""A cached page served compressed, in a real browser: two sessions of one learner get the
same cached page, gzip-compressed once, each with its own CSRF token, and each can tick with
it, with JavaScript (htmx sends the token from <body hx-headers>) and without (the form's
hidden field)."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from playwright.sync_api import expect

from config import encoding
from roadmap.models import Milestone, MilestoneProgress
from tests.factories import enrol, make_user

PASSWORD = "correct horse 42"  # tests.factories.make_user's password
ROADMAP = "/roadmaps/machine-learning-engineer/"


def log_in(page):
    page.goto(f"/accounts/login/?next={ROADMAP}")
    page.locator("input[name=username]").fill("learner")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(ROADMAP) + "$"))


def csrf_secret(page):
    [cookie] = [c for c in page.context.cookies() if c["name"] == "csrftoken"]
    return cookie["value"]


def page_tokens(page):
    """Every token the page carries: its forms' hidden fields and htmx's headers."""
    fields = page.locator("input[name=csrfmiddlewaretoken]")
    tokens = {fields.nth(number).get_attribute("value") for number in range(fields.count())}
    headers = page.locator("body").get_attribute("hx-headers")
    tokens.add(re.fullmatch(r'\{"X-CSRFToken": "(\w+)"\}', headers).group(1))
    return tokens


@pytest.mark.parametrize("js", [True, False], ids=["js-on", "js-off"])
def test_two_sessions_tick_with_their_own_tokens_from_one_compressed_page(
    js, new_page, shipped_roadmap, monkeypatch
):
    enrollment = enrol(make_user("learner"), shipped_roadmap)
    first, second = new_page(js=js), new_page(js=js)
    log_in(first)  # renders the page and caches it, compressed
    log_in(second)
    fills = []
    original = encoding.deflate_segments
    monkeypatch.setattr(
        encoding, "deflate_segments", lambda *args: fills.append(args) or original(*args)
    )

    pages = {}
    for name, page in (("first", first), ("second", second)):
        response = page.goto(ROADMAP)
        assert response.status == 200
        assert response.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in response.headers["vary"].lower()
        [token] = page_tokens(page)
        assert _unmask_cipher_token(token) == csrf_secret(page)
        pages[name] = token
    assert fills == []  # both from the one cached, compressed copy
    assert pages["first"] != pages["second"]
    assert csrf_secret(first) != csrf_secret(second)

    milestones = Milestone.objects.filter(step__key="linear-algebra").order_by("position")
    for page, milestone in zip((second, first), milestones, strict=False):
        button = page.get_by_role("button", name=milestone.title)
        button.click()
        expect(page.get_by_role("button", name=milestone.title)).to_have_attribute(
            "aria-pressed", "true"
        )
    done = MilestoneProgress.objects.filter(enrollment=enrollment, done_at__isnull=False)
    assert set(done.values_list("milestone__position", flat=True)) == {
        milestone.position for milestone in milestones[:2]
    }
    assert first.console_errors == second.console_errors == []
