"""The page a malformed request gets: styled, saying what was wrong, accessible, at any width."""

import pytest

from tests.browser.conftest import assert_no_axe_violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_an_address_that_is_not_utf8_gets_the_styled_bad_request_page(
    width, scheme, new_page, transactional_db, screenshot
):
    page = new_page(width=width, color_scheme=scheme)

    response = page.goto("/roadmaps/?q=%FF")

    assert response.status == 400
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "That request could not be understood"
    main = page.get_by_role("main").inner_text()
    assert "The request contains text that is not valid UTF-8. Nothing was saved." in main
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_no_axe_violations(page)
    # The browser reports the page's own 400; nothing else on it (CSS, scripts) may fail.
    assert [error for error in page.console_errors if "status of 400" not in error] == []
    screenshot(page, f"bad-request-{width}-{scheme}")
