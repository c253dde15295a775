"""Every URL of own roadmaps (roadmap/own_urls.py, walked from its urlpatterns so a new URL is
covered or this module fails) against hostile input and other people: a 4xx or a redirect,
never a 500, one log line at most for a malformed request, and not one row changed."""

import copy
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from roadmap import copies, editing, own_urls
from roadmap.content import validate, write_roadmap
from roadmap.content.exporter import roadmap_to_yaml
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Phase,
    Resource,
    Revision,
    Roadmap,
    Skill,
    Step,
    StepNote,
    StepSkip,
)
from roadmap.ownership import create_own_roadmap, delete_own_roadmap, replace_own_roadmap
from sharing import links
from sharing.models import Share
from tests.factories import load_roadmap, make_user, roadmap_data
from tests.security.helpers import FORM, csrf_token, multipart, post_raw, strict_client
from tests.security.test_hostile_input import HOSTILE_BODIES, MAX_RECORDS_PER_REQUEST, encode

pytestmark = pytest.mark.django_db

NAMES = [pattern.name for pattern in own_urls.urlpatterns]
GET_ONLY = {"list", "download", "changes"}
GET_AND_POST = {"delete", "new", "edit", "edit-step", "copy"}
POSTS = [name for name in NAMES if name not in GET_ONLY]
# The own URLs that name a roadmap (the list, "upload" and "new" name none).
NAMING_A_ROADMAP = [p.name for p in own_urls.urlpatterns if "slug" in p.pattern.converters]
TABLES = [
    get_user_model(),
    Roadmap,
    Phase,
    Step,
    Milestone,
    Resource,
    Skill,
    Enrollment,
    MilestoneProgress,
    StepSkip,
    StepNote,
    PersonalLink,
    Activity,
    Revision,
    Share,
]
DOCS = "https://example.com/docs"  # the resource of every step in roadmap_data
HTMX = {"HTTP_HX_REQUEST": "true"}


def yaml_file(text, name="roadmap.yaml"):
    data = text if isinstance(text, bytes) else text.encode()
    return SimpleUploadedFile(name, data, content_type="application/yaml")


def good_file():
    return yaml_file(roadmap_to_yaml(Roadmap.objects.get(key="mine", owner__username="ada")))


# A body each POST URL accepts, so that only the hostile part of a request makes it fail.
BODIES = {
    "list": {},
    "upload": lambda: {"file": good_file()},
    "replace": lambda: {"file": good_file()},
    "download": {},
    "delete": {"confirm": "1"},
    "new": {"title": "A new one", "summary": ""},
    "edit": {"title": "Mine", "summary": "Mine, all mine.", "description": ""},
    "edit-phase-add": {"title": "Another phase"},
    "edit-phase": {"action": "save", "title": "Phase one", "summary": ""},
    "edit-step-add": {"title": "Another step", "hours": "3"},
    "edit-step": {"action": "save", "title": "Step one", "summary": "Do it.", "hours": "3"},
    "edit-milestone-add": {"title": "Another milestone"},
    "edit-milestone": {"action": "save", "title": "Milestone one"},
    "edit-resource-add": {"title": "Book", "url": "https://example.com/b", "kind": "book"},
    "edit-resource": {
        "action": "save",
        "was": DOCS,
        "title": "Docs",
        "url": "https://example.com/d",
        "kind": "docs",
    },
    "edit-step-skills": {"skills": "testing", "new_name": "Rust", "new_category": ""},
    "edit-step-requires": {"requires": "step-0-0"},
    "edit-skill": {"action": "save", "name": "Tests", "category": ""},
    "copy": {},
    "changes": {},
    "change-apply": {"what": "step", "kind": "added", "key": "new-step"},
    "change-dismiss": {"what": "step", "kind": "added", "key": "new-step"},
}


def body(name):
    made = BODIES[name]
    return made() if callable(made) else dict(made)


def form_body(name):
    """The URL's body as text fields only (a file's content as a field), for raw requests."""
    return {
        field: value.read().decode() if hasattr(value, "read") else value
        for field, value in body(name).items()
    } or {"field": "1"}


def snapshot():
    """Every row of every table an own roadmap or its learner touches (but log-in times)."""
    return {
        model.__name__: [
            {field: value for field, value in row.items() if field != "last_login"}
            for row in model.objects.order_by("pk").values()
        ]
        for model in TABLES
    }


def add_a_step(data):
    data["phases"][0]["steps"].append(
        {
            "key": "new-step",
            "title": "A new step",
            "summary": "New.",
            "hours": 3,
            "milestones": [{"key": "new-step-m0", "title": "Do the new thing"}],
        }
    )


class World:
    """Ada owns "mine" and a copy of the curated "curated" (which changed since); Bob owns a
    "mine" of his own; a curator (a superuser) owns nothing; "draft" is curated and unpublished."""

    def __init__(self):
        self.ada = make_user("ada")
        self.bob = make_user("bob")
        self.curator = make_user("curator", is_staff=True, is_superuser=True)
        self.mine = create_own_roadmap(
            self.ada, validate(roadmap_data(slug="mine", status="draft"))
        )
        self.bobs = create_own_roadmap(
            self.bob, validate(roadmap_data(slug="mine", status="draft"))
        )
        data = roadmap_data(slug="curated")
        self.curated = load_roadmap(data)
        self.draft = load_roadmap(roadmap_data(slug="draft", status="draft"))
        self.copy, _created = copies.make_copy(self.ada, self.curated)
        data = copy.deepcopy(data)
        add_a_step(data)
        write_roadmap(validate(data))  # a new revision, so the copy has a change waiting

    def kwargs(self, name, slug=None):
        """The URL's arguments, all naming Ada's things (or `slug` in place of hers)."""
        pattern = next(p for p in own_urls.urlpatterns if p.name == name)
        if name == "copy":
            own = self.curated.slug
        elif name.startswith("change"):
            own = self.copy.slug
        else:
            own = self.mine.slug
        values = {
            "slug": slug or own,
            "key": "phase-0" if "phases/<slug:key>" in str(pattern.pattern) else "step-0-1",
            "milestone": "step-0-1-m0",
            "index": 0,
            "skill": "testing",
        }
        return {name: values[name] for name in pattern.pattern.converters}

    def url(self, name, slug=None, **override):
        return reverse(f"own:{name}", kwargs={**self.kwargs(name, slug), **override})


@pytest.fixture
def world(db):
    return World()


class Refusals:
    """Checks each answer: the status expected, at most a couple of log lines and no
    traceback, and not one row changed."""

    def __init__(self, caplog):
        self.caplog = caplog
        self.before = snapshot()
        caplog.clear()

    def check(self, response, statuses, label):
        statuses = (statuses,) if isinstance(statuses, int) else statuses
        assert response.status_code in statuses, f"{label}: {response.status_code}"
        records = [r for r in self.caplog.records if not r.name.startswith("axes")]
        self.caplog.clear()
        assert len(records) <= MAX_RECORDS_PER_REQUEST, (label, [r.getMessage() for r in records])
        assert not [r for r in records if r.exc_info], f"{label}: a traceback was logged"
        assert snapshot() == self.before, f"{label} changed the database"
        return response


@pytest.fixture
def refusals(world, caplog):
    return Refusals(caplog)


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def methods(name):
    if name in GET_ONLY:
        return ["GET"]
    return ["GET", "POST"] if name in GET_AND_POST else ["POST"]


def send(client, method, url, name, **extra):
    if method == "GET":
        return client.get(url, **extra)
    return client.post(url, body(name), **extra)


def test_every_own_url_is_covered_here():
    assert set(NAMES) == set(BODIES)
    assert set(NAMES) >= GET_ONLY | GET_AND_POST


# Other people's roadmaps, curated ones, and names that do not exist


@pytest.mark.parametrize("name", NAMING_A_ROADMAP)
def test_others_roadmaps_and_curated_ones_are_a_404_in_every_own_url(world, refusals, name):
    client = logged_in(world.ada)
    if name == "copy":
        foreign = [world.mine.slug, world.bobs.slug, world.copy.slug, world.draft.slug]
    elif name.startswith("change"):
        foreign = [world.mine.slug, world.bobs.slug, world.curated.slug]
    else:
        foreign = [world.bobs.slug, world.curated.slug, world.draft.slug]
    for slug in [*foreign, "mine_00000000", "mine"]:
        for method in methods(name):
            response = send(client, method, world.url(name, slug), name)
            refusals.check(response, 404, f"{method} {slug}")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["anonymous", "bob", "curator"])
def test_nobody_but_the_owner_reaches_an_own_url(world, refusals, name, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        client.force_login(getattr(world, who))
    has_slug = name in NAMING_A_ROADMAP
    for method in methods(name):
        response = send(client, method, world.url(name), name)
        if who == "anonymous":
            # The login page, as for a roadmap that does not exist.
            missing = world.url(name, "mine_00000000") if has_slug else world.url(name)
            expected = client.get(missing) if method == "GET" else client.post(missing)
            refusals.check(response, 302, f"{method} as {who}")
            slug = world.kwargs(name).get("slug")
            assert (response.url.replace(slug, "mine_00000000") if slug else response.url) == (
                expected.url
            )
            assert response.url.startswith(reverse("accounts:login"))
        elif has_slug and name != "copy":
            refusals.check(response, 404, f"{method} as {who}")


@pytest.mark.parametrize(
    ("name", "override"),
    [
        ("edit-phase", {"key": "no-such-phase"}),
        ("edit-step-add", {"key": "no-such-phase"}),
        ("edit-step", {"key": "no-such-step"}),
        ("edit-step", {"key": "phase-0"}),
        ("edit-milestone-add", {"key": "no-such-step"}),
        ("edit-milestone", {"milestone": "no-such"}),
        ("edit-milestone", {"milestone": "step-0-0-m0"}),  # another step's
        ("edit-resource", {"index": 1}),
        ("edit-resource", {"index": 10**30}),
        ("edit-resource", {"index": 2**63}),
        ("edit-resource-add", {"key": "no-such-step"}),
        ("edit-step-skills", {"key": "no-such-step"}),
        ("edit-step-requires", {"key": "no-such-step"}),
        ("edit-skill", {"skill": "no-such-skill"}),
    ],
)
def test_names_and_places_the_roadmap_does_not_have_are_a_404(world, refusals, name, override):
    client = logged_in(world.ada)
    for method in methods(name):
        response = send(client, method, world.url(name, **override), name)
        refusals.check(response, 404, f"{method} {override}")


@pytest.mark.parametrize("index", ["-1", "1.0", "1e9", "NaN", "%201", "0x0", "%FF"])
def test_a_resource_index_that_is_no_number_is_a_404(world, refusals, index):
    client = logged_in(world.ada)
    url = world.url("edit-resource").replace("/resources/0/", f"/resources/{index}/")
    refusals.check(client.post(url, body("edit-resource")), (400, 404), index)


def test_a_resource_named_by_an_address_it_no_longer_has_is_a_404(world, refusals):
    client = logged_in(world.ada)
    for action in ("save", "up", "down", "remove"):
        data = {**body("edit-resource"), "action": action, "was": "https://example.com/other"}
        refusals.check(client.post(world.url("edit-resource"), data), 404, action)


# Malformed requests


@pytest.mark.parametrize("name", POSTS)
def test_malformed_bodies_are_a_400_with_one_log_line_and_change_nothing(
    world, refusals, name, settings
):
    client = strict_client(world.ada)
    url, data = world.url(name), form_body(name)
    for kind, make in HOSTILE_BODIES.items():
        raw, content_type = make(data)
        refusals.check(post_raw(client, url, raw, content_type=content_type), 400, kind)
    refusals.check(post_raw(client, f"{url}?next=%FF%FE", encode(data)), 400, "query string")
    padding = b"&padding=" + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    refusals.check(post_raw(client, url, encode(data) + padding), 400, "body over the limit")


@pytest.mark.parametrize("name", POSTS)
def test_a_missing_or_wrong_csrf_token_is_a_403(world, refusals, name):
    client = strict_client(world.ada)
    for token in [None, "", "garbage", "x" * 64]:
        headers = {} if token is None else {"HTTP_X_CSRFTOKEN": token}
        refusals.check(client.post(world.url(name), body(name), **headers), 403, repr(token))
        refusals.check(client.post(world.url(name), body(name), **HTMX, **headers), 403, "htmx")


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_method_is_a_405(world, refusals, name):
    client = strict_client(world.ada)
    url = world.url(name)
    for method in ["PUT", "PATCH", "DELETE", "TRACE"]:
        response = client.generic(
            method, url, encode(form_body(name)), FORM, HTTP_X_CSRFTOKEN=csrf_token(client)
        )
        refusals.check(response, 405, method)
    if name in GET_ONLY:
        response = post_raw(client, url, encode(form_body(name)))
        refusals.check(response, 405, "POST")
    elif name not in GET_AND_POST:
        refusals.check(client.get(url), 405, "GET")


# Numbers and text in forms


@pytest.mark.parametrize("name", ["edit-step-add", "edit-step"])
@pytest.mark.parametrize(
    "hours", [str(10**30), "-1", "0", "1e9", "NaN", "inf", "", " ", "1.5", "9" * 5000, "0x10"]
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_hours_that_are_no_whole_number_in_range_are_refused(world, refusals, name, hours, htmx):
    client = logged_in(world.ada)
    data = {**body(name), "hours": hours}
    response = client.post(world.url(name), data, **(HTMX if htmx else {}))
    refusals.check(response, 422 if htmx else 400, hours[:20])
    assert "whole number" in response.content.decode()


TEXT_FIELDS = {
    "new": ["title", "summary"],
    "edit": ["title", "summary", "description"],
    "edit-phase-add": ["title"],
    "edit-phase": ["title", "summary"],
    "edit-step-add": ["title"],
    "edit-step": ["title", "summary"],
    "edit-milestone-add": ["title"],
    "edit-milestone": ["title"],
    "edit-resource-add": ["title", "url", "kind"],
    "edit-resource": ["title", "url", "kind"],
    "edit-step-skills": ["new_name", "new_category"],
    "edit-skill": ["name", "category"],
}
BAD_TEXTS = {
    "bell": "a\x07b",
    "escape": "\x1b[31mred",
    "C1 control": "a\x85b",
    "delete": "a\x7fb",
    "very long": "x" * 200_000,
}


@pytest.mark.parametrize(
    ("name", "field"), [(name, field) for name, fields in TEXT_FIELDS.items() for field in fields]
)
def test_control_characters_and_very_long_text_are_refused(world, refusals, name, field):
    client = logged_in(world.ada)
    for label, text in BAD_TEXTS.items():
        data = {**body(name), field: text}
        response = client.post(world.url(name), data)
        refusals.check(response, 400, label)


def test_a_nul_character_in_a_title_is_a_400(world, refusals):
    client = logged_in(world.ada)
    for name, fields in TEXT_FIELDS.items():
        data = {**body(name), fields[0]: "a\x00b"}
        refusals.check(client.post(world.url(name), data), 400, name)


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.com/",
        "//evil.example/",
        "http://",
        "https://exa mple.com/",
    ],
)
@pytest.mark.parametrize("name", ["edit-resource-add", "edit-resource"])
def test_resources_take_http_and_https_addresses_only(world, refusals, name, address):
    client = logged_in(world.ada)
    response = client.post(world.url(name), {**body(name), "url": address})
    refusals.check(response, 400, address)


# Files


def billion_laughs():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        previous = chr(ord("a") + n - 1)
        here = chr(ord("a") + n)
        lines.append(f"{here}: &{here} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines)


HOSTILE_FILES = {
    "billion laughs": lambda: billion_laughs(),
    "one alias": lambda: "slug: &s mine\ntitle: *s\n",
    "deep nesting": lambda: "a: " + "[" * 5000 + "]" * 5000,
    "deep mappings": lambda: "".join(f"{'  ' * n}k{n}:\n" for n in range(200)) + "  " * 200 + "x",
    "many values": lambda: "\n".join(f"- {n}" for n in range(60_000)),
    "python object": lambda: "!!python/object/apply:os.system ['true']\n",
    "not a roadmap": lambda: "- 1\n- 2\n",
    "empty": lambda: "",
    "huge integer": lambda: "slug: mine\nhours: " + "9" * 5000,
    "bad date": lambda: "slug: mine\nwhen: 2020-13-45\n",
    "latin-1": lambda: "title: caf\xe9\n".encode("latin-1"),
    "utf-16": lambda: "slug: mine\n".encode("utf-16"),
    "nul byte": lambda: b"slug: mine\x00\n",
    "control character": lambda: good_file().read().decode().replace("Roadmap mine", "a\x07b"),
    "javascript address": lambda: good_file().read().decode().replace(DOCS, "javascript:x()"),
    "over the size limit": lambda: "# " + "x" * (300 * 1024),
}


@pytest.mark.parametrize("kind", HOSTILE_FILES)
@pytest.mark.parametrize("name", ["upload", "replace"])
def test_a_hostile_file_loads_nothing(world, refusals, name, kind):
    client = logged_in(world.ada)
    text = HOSTILE_FILES[kind]()
    response = client.post(world.url(name), {"file": yaml_file(text)})
    refusals.check(response, 400, kind)


@pytest.mark.parametrize("name", ["upload", "replace"])
def test_no_file_or_a_field_in_place_of_a_file_is_refused(world, refusals, name):
    client = logged_in(world.ada)
    refusals.check(client.post(world.url(name), {}), 400, "no file")
    refusals.check(client.post(world.url(name), {"file": "slug: mine"}), 400, "a text field")


@pytest.mark.parametrize("name", ["upload", "replace"])
def test_a_ten_megabyte_upload_is_a_clean_4xx(world, refusals, name, caplog):
    client = strict_client(world.ada)
    raw, content_type = multipart({"file": b"x"})
    big = b"# " + b"x" * (10 * 1024 * 1024)
    raw = raw.replace(
        b'name="file"\r\n\r\nx',
        b'name="file"; filename="big.yaml"\r\nContent-Type: application/yaml\r\n\r\n' + big,
    )
    response = post_raw(client, world.url(name), raw, content_type=content_type)
    refusals.check(response, (400, 413), "10 MB")


@pytest.mark.parametrize("name", ["upload", "replace"])
def test_a_file_between_the_upload_limit_and_djangos_is_refused_by_its_size(
    world, refusals, name, settings
):
    client = logged_in(world.ada)
    text = "# " + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 64 * 1024)
    response = refusals.check(client.post(world.url(name), {"file": yaml_file(text)}), 400, "2 MB")
    assert "larger than 256 KiB" in response.content.decode()


@pytest.mark.parametrize("filename", ["../../etc/passwd", "<script>x</script>.yaml", "a" * 5000])
def test_an_odd_file_name_is_shown_escaped_and_loads_nothing(world, refusals, filename):
    client = logged_in(world.ada)
    response = client.post(world.url("upload"), {"file": yaml_file("- 1", filename)})
    refusals.check(response, 400, filename[:20])
    assert "<script>x" not in response.content.decode()


# What people wrote, shown back


XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_html_in_every_text_field_is_shown_escaped_on_every_page(world, client):
    client.force_login(world.ada)
    mine, text = world.mine, XSS
    edits = [
        ("edit", {}, {"title": text, "summary": text, "description": text}),
        ("edit-phase", {}, {"action": "save", "title": text, "summary": text}),
        ("edit-step", {}, {"action": "save", "title": text, "summary": text, "hours": "2"}),
        ("edit-milestone", {}, {"action": "save", "title": text}),
        ("edit-resource", {}, {"action": "save", "was": DOCS, "title": text, "url": DOCS}),
        ("edit-skill", {}, {"action": "save", "name": text, "category": text}),
    ]
    for name, override, data in edits:
        data.setdefault("kind", "docs")
        response = client.post(world.url(name, **override), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    enrollment = Enrollment.objects.get(user=world.ada, roadmap=mine)
    token = links.issue(enrollment)
    curated = roadmap_data(slug="curated")
    add_a_step(curated)
    curated["phases"][0]["steps"][-1]["title"] = text
    curated["phases"][1]["title"] = text
    write_roadmap(validate(curated))
    pages = [
        reverse("own:list"),
        world.url("edit"),
        world.url("edit-step"),
        world.url("delete"),
        reverse("roadmap:roadmap-detail", args=[mine.slug]),
        reverse("roadmap:step-detail", args=[mine.slug, "step-0-1"]),
        reverse("roadmap:roadmap-map", args=[mine.slug]),
        reverse("roadmap:dashboard-roadmap", args=[mine.slug]),
        reverse("sharing:page", args=[token]),
        reverse("own:changes", args=[world.copy.slug]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert "<script>alert" not in content, page
        assert "<img src=x" not in content, page
        assert ESCAPED in content or "&lt;script&gt;" in content, page
    download = client.get(world.url("download"))
    assert download["Content-Type"].startswith("application/yaml")
    assert download["Content-Disposition"] == 'attachment; filename="mine.yaml"'


# Double submits and two tabs

TABS = 4


def post_at_once(user, url, make_data):
    """POST from several logged-in clients of one session, released together."""
    barrier = threading.Barrier(TABS)
    statuses = []
    first = Client()
    first.force_login(user)
    cookie = first.cookies

    def tab():
        client = Client(raise_request_exception=False)
        client.cookies = copy.copy(cookie)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, make_data()).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(TABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.fixture
def shared_world(transactional_db):
    return World()


def test_a_new_roadmap_form_sent_from_several_tabs_at_once_makes_one(shared_world):
    world = shared_world
    statuses = post_at_once(
        world.ada, reverse("own:new"), lambda: {"title": "Twice", "form": "one-form-id"}
    )
    assert sorted(statuses) == [302] * TABS
    assert Roadmap.objects.filter(owner=world.ada, title="Twice").count() == 1


def test_a_copy_asked_from_several_tabs_at_once_is_made_once(shared_world):
    world = shared_world
    statuses = post_at_once(world.bob, reverse("own:copy", args=[world.curated.slug]), dict)
    assert sorted(statuses) == [302] * TABS
    assert Roadmap.objects.filter(owner=world.bob, origin=world.curated).count() == 1


def test_an_upload_sent_from_several_tabs_at_once_never_fails(shared_world):
    """Without the form's id (an old page, a script) each upload is a roadmap of its own."""
    world = shared_world
    text = roadmap_to_yaml(Roadmap.objects.get(pk=world.mine.pk))
    before = Roadmap.objects.filter(owner=world.ada).count()
    statuses = post_at_once(world.ada, reverse("own:upload"), lambda: {"file": yaml_file(text)})
    assert sorted(statuses) == [302] * TABS
    keys = list(Roadmap.objects.filter(owner=world.ada).values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    assert len(keys) <= before + TABS


def test_one_upload_form_sent_from_several_tabs_at_once_makes_one_roadmap(shared_world):
    world = shared_world
    text = roadmap_to_yaml(Roadmap.objects.get(pk=world.mine.pk))
    before = Roadmap.objects.filter(owner=world.ada).count()
    statuses = post_at_once(
        world.ada, reverse("own:upload"), lambda: {"file": yaml_file(text), "form": "one-form"}
    )
    assert sorted(statuses) == [302] * TABS
    assert Roadmap.objects.filter(owner=world.ada).count() == before + 1


def test_edits_and_a_replace_from_several_tabs_at_once_never_fail(shared_world):
    world = shared_world
    text = roadmap_to_yaml(Roadmap.objects.get(pk=world.mine.pk))
    for name in ("replace", "edit-step-add", "edit-milestone-add"):
        statuses = post_at_once(world.ada, world.url(name), lambda n=name: body_for(n, text))
        assert sorted(statuses) == [302] * TABS, name


def body_for(name, text):
    if name == "replace":
        return {"file": yaml_file(text)}
    return dict(BODIES[name])


def test_a_replace_or_an_edit_of_a_roadmap_another_tab_just_deleted_makes_nothing_again(world):
    held = Roadmap.objects.get(pk=world.mine.pk)  # what the view found, a moment before
    spec = validate(roadmap_data(slug="mine", status="draft"))
    delete_own_roadmap(world.mine)

    assert replace_own_roadmap(held, spec) is None
    with pytest.raises(editing.Stale):
        editing.apply(held, editing.add_phase("Another phase"))
    assert not Roadmap.objects.filter(pk=held.pk).exists()
    assert not Step.objects.filter(roadmap_id=held.pk).exists()


@pytest.mark.parametrize("settle", [copies.apply_change, copies.dismiss_change])
def test_settling_a_change_of_a_copy_another_tab_just_deleted_changes_nothing(world, settle):
    held = Roadmap.objects.get(pk=world.copy.pk)
    delete_own_roadmap(world.copy)

    with pytest.raises(copies.Gone):
        settle(held, "step", "added", "new-step")
    assert not Roadmap.objects.filter(pk=held.pk).exists()
