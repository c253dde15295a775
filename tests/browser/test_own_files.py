"""A learner's own roadmaps as files, in a real browser with and without JavaScript: download
one as YAML from the list, upload the file again, and find a second roadmap of the same
structure; a bad file is refused with its problems; deleting asks first. Checked by axe."""

import pytest
from playwright.sync_api import expect

from roadmap import learning
from roadmap.content import validate
from roadmap.models import Enrollment, Milestone, Roadmap
from roadmap.ownership import create_own_roadmap
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import make_user, roadmap_data
from tests.own.test_own_pages import structure


@pytest.fixture
def ada(transactional_db):
    user = make_user("ada")
    data = roadmap_data(slug="rust", phases=3, steps=2, milestones=2)
    data["title"] = "Rust for me"
    data["phases"][2]["steps"][0]["requires"] = ["step-0-1", "step-1-1"]
    roadmap = create_own_roadmap(user, validate(data))
    enrollment = Enrollment.objects.get(user=user, roadmap=roadmap)
    for milestone in Milestone.objects.filter(roadmap=roadmap).order_by("pk")[:3]:
        learning.set_milestone(enrollment, milestone, True)
    return roadmap


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_downloaded_roadmap_uploaded_again_is_a_second_roadmap_alike(new_page, ada, js, tmp_path):
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.get_by_role("link", name="My roadmaps", exact=True).click()
    expect(page.get_by_role("heading", name="My roadmaps", level=1)).to_be_visible()
    expect(page.get_by_text("25% done")).to_be_visible()  # 3 of 12 milestones
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download YAML (Rust for me)").click()
    download = download_info.value
    assert download.suggested_filename == "rust.yaml"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    page.get_by_label("Upload a YAML file").set_input_files(path)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(
        page.get_by_text("Uploaded. “Rust for me” is a roadmap of your own now.")
    ).to_be_visible()
    copy = Roadmap.objects.get(owner=ada.owner, key="rust-2")
    assert page.url.endswith(copy.get_absolute_url())
    assert structure(copy) == structure(ada)

    page.get_by_role("link", name="My roadmaps", exact=True).click()
    expect(page.locator(".own-card")).to_have_count(2)
    expect(page.get_by_text("You have 2 roadmaps of your own, of up to 20.")).to_be_visible()
    assert page.console_errors == []


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_bad_file_is_refused_and_deleting_asks_first(new_page, ada, js, tmp_path):
    page = new_page(js=js)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto("/my/roadmaps/")
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: rust\ntitle: [unclosed\n")
    page.get_by_label("Upload a YAML file").set_input_files(bad)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("The file was not used; nothing changed")
    expect(page.get_by_role("alert")).to_contain_text("invalid YAML")
    assert Roadmap.objects.count() == 1

    page.get_by_role("link", name="Delete (Rust for me)").click()
    expect(page.get_by_text("Delete Rust for me?")).to_be_visible()
    page.get_by_role("button", name="Delete the roadmap").click()
    expect(page.get_by_text("“Rust for me” is deleted.")).to_be_visible()
    expect(page.get_by_text("You have no roadmaps of your own yet.")).to_be_visible()
    assert not Roadmap.objects.exists()
    # The refused upload's page comes with its 400, which Chromium logs; nothing else.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_own_roadmaps_pages_are_accessible(new_page, screenshot, ada, width, tmp_path):
    page = new_page(width=width)
    log_in(page, "ada", FACTORY_PASSWORD)
    page.goto("/my/roadmaps/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator(".site-header__inner").bounding_box()["height"] < 60
    assert_no_axe_violations(page)
    screenshot(page, f"own-list-{width}")

    page.get_by_text("Replace from a file").click()
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: rust\ntitle: T\nsummary: S\nphases: []\ncolour: red\n")
    page.get_by_label("YAML file for “Rust for me”").set_input_files(bad)
    page.get_by_role("button", name="Replace", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("colour")
    assert_no_axe_violations(page)
    screenshot(page, f"own-list-problems-{width}")

    page.get_by_role("link", name="Delete (Rust for me)").click()
    assert_no_axe_violations(page)
    screenshot(page, f"own-delete-{width}")
