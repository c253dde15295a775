"""The pages of a learner's own roadmaps: the list, upload, replace, download, delete, and
sharing progress on one; only the owner ever sees or changes any of it."""

import io
import json
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.export import export
from roadmap import learning
from roadmap.content import validate
from roadmap.content.exporter import roadmap_to_data
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Roadmap,
    Skill,
    StepNote,
)
from roadmap.ownership import (
    CREATIONS_PER_HOUR,
    ROADMAPS_PER_USER,
    STEPS_PER_ROADMAP,
    UPLOAD_MAX_BYTES,
    create_own_roadmap,
    delete_own_roadmap,
    wait_before_new_roadmap,
)
from sharing.models import Share
from tests.factories import load_roadmap, make_user, roadmap_data
from tests.sharing.helpers import badge_url, make_link, page_url

pytestmark = pytest.mark.django_db

LIST = reverse("own:list")
UPLOAD = reverse("own:upload")


def own(user, slug="rust", **size):
    return create_own_roadmap(user, validate(roadmap_data(slug=slug, **size)))


def yaml_file(data, name="roadmap.yaml"):
    return SimpleUploadedFile(name, yaml.safe_dump(data).encode(), "application/yaml")


def structure(roadmap):
    """What a roadmap holds, without what only the database knows (status, URL slug)."""
    data = roadmap_to_data(roadmap)
    data.pop("slug")
    data.pop("status", None)
    return data


@pytest.fixture
def owner(client):
    user = make_user("owner")
    client.force_login(user)
    return user


# The list -------------------------------------------------------------------------------


def test_the_list_shows_my_roadmaps_with_percent_and_never_anyone_elses(client, owner):
    mine = own(owner, "rust", phases=1, steps=2, milestones=2)
    enrollment = Enrollment.objects.get(user=owner, roadmap=mine)
    learning.set_milestone(enrollment, Milestone.objects.get(roadmap=mine, key="step-0-0-m0"), True)
    theirs = own(make_user("other"), "secret-plans")
    load_roadmap(roadmap_data(slug="curated"))
    html = client.get(LIST).content.decode()
    assert "Roadmap rust" in html
    assert "25% done" in html  # 1 of 4 milestones, the arithmetic every page uses
    assert "You have 1 roadmap of your own, of up to 20." in html
    assert mine.get_absolute_url() in html
    assert reverse("own:download", args=[mine.slug]) in html
    assert reverse("own:delete", args=[mine.slug]) in html
    assert reverse("sharing:settings", args=[mine.slug]) in html
    assert 'href="/my/roadmaps/new/"' in html  # the editor's
    assert "{#" not in html
    assert theirs.title not in html
    assert theirs.slug not in html
    assert "Roadmap curated" not in html


def test_the_main_menu_links_to_my_roadmaps_for_logged_in_learners_only(client):
    assert LIST not in client.get(reverse("roadmap:catalogue")).content.decode()
    client.force_login(make_user())
    assert f'href="{LIST}"' in client.get(reverse("roadmap:catalogue")).content.decode()
    assert f'href="{LIST}" aria-current="page"' in client.get(LIST).content.decode()


def test_own_roadmaps_show_up_on_the_dashboard_like_any_enrolment(client, owner):
    own(owner)
    html = client.get(reverse("roadmap:dashboard")).content.decode()
    assert "Roadmap rust" in html
    assert html.count(f'href="{LIST}"') == 2  # the menu's, hidden on a phone, and the page's


def test_a_roadmap_i_left_stays_on_the_list_without_a_percent(client, owner):
    roadmap = own(owner)
    learning.leave(Enrollment.objects.get(roadmap=roadmap), erase=False)
    html = client.get(LIST).content.decode()
    assert "Not tracked" in html
    assert reverse("sharing:settings", args=[roadmap.slug]) not in html


@pytest.mark.parametrize("steps", [1, 50])
def test_the_list_takes_the_same_queries_for_few_and_many_small_and_large_roadmaps(
    client, owner, django_assert_max_num_queries, steps
):
    own(owner, "first", phases=1, steps=steps, milestones=3)
    with django_assert_max_num_queries(7):
        assert client.get(LIST).status_code == 200
    for n in range(14):
        own(owner, f"more-{n}", phases=3, steps=steps, milestones=3)
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    assert response.content.decode().count('class="card own-card"') == 15


# Upload ---------------------------------------------------------------------------------


def test_uploading_a_file_makes_an_own_roadmap_and_opens_it(client, owner):
    data = roadmap_data(slug="go", status="published")
    response = client.post(UPLOAD, {"file": yaml_file(data)})
    roadmap = Roadmap.objects.get(owner=owner)
    assert response.status_code == 302
    assert response.url == roadmap.get_absolute_url()
    assert (roadmap.key, roadmap.status, roadmap.is_published) == ("go", "draft", False)
    assert Enrollment.objects.filter(user=owner, roadmap=roadmap).exists()
    assert client.get(roadmap.get_absolute_url()).status_code == 200


def test_uploading_the_same_file_twice_makes_a_second_roadmap_under_a_free_key(client, owner):
    for __ in range(2):
        assert client.post(UPLOAD, {"file": yaml_file(roadmap_data(slug="go"))}).status_code == 302
    assert sorted(Roadmap.objects.owned_by(owner).values_list("key", flat=True)) == ["go", "go-2"]


def upload_form_id(client):
    """The id the list page gives its upload form (roadmap/views/once.py)."""
    html = client.get(LIST).content.decode()
    return re.search(r'action="/my/roadmaps/upload/".*?name="form" value="([^"]+)"', html, re.S)[1]


def test_an_upload_form_sent_twice_makes_one_roadmap_and_opens_it_again(client, owner):
    form = upload_form_id(client)
    data = roadmap_data(slug="go")
    first = client.post(UPLOAD, {"file": yaml_file(data), "form": form})
    second = client.post(UPLOAD, {"file": yaml_file(data), "form": form})

    roadmap = Roadmap.objects.get(owner=owner)
    assert first.url == second.url == roadmap.get_absolute_url()
    # The page opened again afterwards gives the form a new id: a deliberate second upload.
    assert upload_form_id(client) != form


def test_a_refused_upload_can_be_corrected_and_sent_again_with_the_same_form(client, owner):
    form = upload_form_id(client)
    refused = client.post(UPLOAD, {"file": yaml_file({"slug": "x"}), "form": form})
    assert refused.status_code == 400
    assert not Roadmap.objects.owned_by(owner).exists()

    accepted = client.post(UPLOAD, {"file": yaml_file(roadmap_data(slug="go")), "form": form})

    assert accepted.status_code == 302
    assert Roadmap.objects.owned_by(owner).count() == 1


def test_an_upload_form_repeated_after_its_roadmap_was_deleted_makes_it_again(client, owner):
    form = upload_form_id(client)
    data = roadmap_data(slug="go")
    client.post(UPLOAD, {"file": yaml_file(data), "form": form})
    delete_own_roadmap(Roadmap.objects.get(owner=owner))

    response = client.post(UPLOAD, {"file": yaml_file(data), "form": form})

    assert response.status_code == 302
    assert Roadmap.objects.owned_by(owner).count() == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"slug: [unclosed", "invalid YAML"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"- just\n- a list\n", "<code>top level</code>: must be a mapping"),
        (
            yaml.safe_dump({**roadmap_data(slug="bad"), "colour": "red"}).encode(),
            "colour",
        ),
        (
            yaml.safe_dump(
                roadmap_data(slug="bad")
                | {
                    "phases": [
                        {
                            **roadmap_data()["phases"][0],
                            "steps": [
                                {**roadmap_data()["phases"][0]["steps"][0], "milestones": []}
                            ],
                        }
                    ]
                }
            ).encode(),
            "phases[0].steps[0].milestones",
        ),
        (b"", "The submitted file is empty."),
    ],
    ids=["not-yaml", "not-utf8", "not-a-mapping", "unknown-field", "empty-step", "empty-file"],
)
def test_a_bad_file_is_refused_with_its_problems_and_nothing_is_written(
    client, owner, content, expected
):
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("bad.yaml", content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file was not used; nothing changed" in html
    assert 'href="/my/roadmaps/new/"' in html  # not relative to the upload's URL
    assert expected in html
    assert not Roadmap.objects.exists()
    assert not Skill.objects.exists()


def test_a_schema_problem_is_listed_with_its_path(client, owner):
    data = roadmap_data(slug="bad")
    data["phases"][0]["steps"][1]["resources"][0]["url"] = "javascript:alert(1)"
    html = client.post(UPLOAD, {"file": yaml_file(data)}).content.decode()
    assert "<code>phases[0].steps[1].resources[0].url</code>" in html
    assert "<script" not in html.split("</header>")[1].split("<footer")[0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, owner):
    big = b"# " + b"x" * UPLOAD_MAX_BYTES + b"\n" + yaml.safe_dump(roadmap_data()).encode()
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("big.yaml", big)})
    assert response.status_code == 400
    assert f"larger than {UPLOAD_MAX_BYTES // 1024} KiB" in response.content.decode()
    assert not Roadmap.objects.exists()


def test_a_file_over_an_own_roadmaps_limits_is_refused(client, owner):
    data = roadmap_data(slug="long", phases=1, steps=STEPS_PER_ROADMAP + 1, milestones=1)
    response = client.post(UPLOAD, {"file": yaml_file(data)})
    assert response.status_code == 400
    assert f"at most {STEPS_PER_ROADMAP} steps" in response.content.decode()
    assert not Roadmap.objects.exists()


def test_no_upload_past_the_number_of_roadmaps_a_learner_may_own(client, owner):
    for n in range(ROADMAPS_PER_USER):
        own(owner, f"r{n}", phases=1, steps=1, milestones=1)
    response = client.post(UPLOAD, {"file": yaml_file(roadmap_data(slug="one-more"))})
    assert response.status_code == 400
    assert f"up to {ROADMAPS_PER_USER} roadmaps" in response.content.decode()
    assert Roadmap.objects.owned_by(owner).count() == ROADMAPS_PER_USER
    assert "Upload a YAML file" not in client.get(LIST).content.decode()


def test_uploads_are_throttled_with_a_clear_message(client, owner):
    for __ in range(CREATIONS_PER_HOUR):
        wait_before_new_roadmap(owner)
    response = client.post(UPLOAD, {"file": yaml_file(roadmap_data(slug="go"))})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "many roadmaps in the last hour" in response.content.decode()
    assert not Roadmap.objects.exists()


# Replace --------------------------------------------------------------------------------


def test_replacing_from_a_file_keeps_the_key_url_and_progress(client, owner):
    roadmap = own(owner, "rust", phases=2, steps=2, milestones=2)
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    kept = Milestone.objects.get(roadmap=roadmap, key="step-0-0-m0")
    learning.set_milestone(enrollment, kept, True)
    dropped_step = roadmap.steps.get(key="step-1-1")
    learning.save_note(enrollment, dropped_step, "my note")
    data = roadmap_data(slug="something-else", phases=2, steps=2, milestones=2)
    data["title"] = "Rust, rewritten"
    del data["phases"][1]["steps"][1]
    data["phases"][0]["steps"].append(
        {
            "key": "new-step",
            "title": "New",
            "summary": "S.",
            "hours": 1,
            "milestones": [{"key": "n", "title": "N"}],
        }
    )
    response = client.post(reverse("own:replace", args=[roadmap.slug]), {"file": yaml_file(data)})
    assert response.status_code == 302
    assert response.url == roadmap.get_absolute_url()
    roadmap.refresh_from_db()
    assert (roadmap.key, roadmap.title) == ("rust", "Rust, rewritten")
    assert MilestoneProgress.objects.get(enrollment=enrollment).milestone == kept
    assert roadmap.steps.live().filter(key="new-step").exists()
    dropped_step.refresh_from_db()
    assert dropped_step.archived_at is not None  # it has a note: archived, not deleted
    assert StepNote.objects.filter(enrollment=enrollment).exists()


def test_a_bad_replacement_changes_nothing_and_says_why_on_that_roadmap(client, owner):
    roadmap = own(owner)
    before = structure(roadmap)
    response = client.post(
        reverse("own:replace", args=[roadmap.slug]),
        {"file": SimpleUploadedFile("x.yaml", b"slug: [")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid YAML" in html
    assert '<details class="own-card__replace" open>' in html
    roadmap.refresh_from_db()
    assert structure(roadmap) == before


def test_replacing_is_throttled_and_over_the_limits_refused_like_an_upload(client, owner):
    roadmap = own(owner)
    before = structure(roadmap)
    url = reverse("own:replace", args=[roadmap.slug])
    data = roadmap_data(slug="long", phases=1, steps=STEPS_PER_ROADMAP + 1, milestones=1)
    response = client.post(url, {"file": yaml_file(data)})
    assert response.status_code == 400
    assert f"at most {STEPS_PER_ROADMAP} steps" in response.content.decode()
    for __ in range(CREATIONS_PER_HOUR):
        wait_before_new_roadmap(owner)
    response = client.post(url, {"file": yaml_file(roadmap_data(slug="rust", phases=1))})
    assert response.status_code == 429
    roadmap.refresh_from_db()
    assert structure(roadmap) == before


# Download -------------------------------------------------------------------------------


def test_downloading_gives_the_yaml_as_a_file_named_for_its_key(client, owner):
    roadmap = own(owner)
    response = client.get(reverse("own:download", args=[roadmap.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rust.yaml"'
    assert yaml.safe_load(response.content)["slug"] == "rust"


def test_a_downloaded_file_uploaded_again_has_the_same_structure(client, owner):
    data = roadmap_data(slug="rust", phases=3, steps=3, milestones=2)
    data["skills"].append({"slug": "ownership", "name": "Ownership", "category": "Rust"})
    data["phases"][2]["steps"][0]["requires"] = ["step-0-2", "step-1-0"]
    data["phases"][2]["steps"][0]["skills"] = ["ownership", "testing"]
    data["phases"][1]["steps"][2]["resources"].append(
        {
            "title": "The book",
            "url": "https://doc.rust-lang.org/book/",
            "kind": "book",
            "free": False,
        }
    )
    original = create_own_roadmap(owner, validate(data))
    downloaded = client.get(reverse("own:download", args=[original.slug])).content
    client.post(UPLOAD, {"file": SimpleUploadedFile("rust.yaml", downloaded)})
    copy = Roadmap.objects.get(owner=owner, key="rust-2")
    assert structure(copy) == structure(original)
    assert structure(copy)["phases"][2]["steps"][0]["requires"] == ["step-0-2", "step-1-0"]


# Delete ---------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes_the_roadmap_and_its_learner_data(client, owner):
    roadmap = own(owner)
    other = own(owner, "go")
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    step = roadmap.steps.first()
    learning.set_milestone(enrollment, step.milestones.first(), True)
    learning.add_link(enrollment, step, "A link", "https://example.com/")
    make_link(client, roadmap.slug)
    url = reverse("own:delete", args=[roadmap.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Delete Roadmap rust?" in page.content.decode()
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert response.url == LIST
    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert not Enrollment.objects.filter(roadmap_id=roadmap.pk).exists()
    for model in (MilestoneProgress, Activity, PersonalLink, Share):
        assert not model.objects.exists(), model
    assert Roadmap.objects.filter(pk=other.pk).exists()
    assert Skill.objects.filter(owner=owner).exists()  # "go" still uses it
    assert client.post(url, {"confirm": "1"}).status_code == 404  # a second tab: no 500


def test_deleting_a_roadmap_withdraws_the_offers_to_undo_on_it(client, owner):
    roadmap = own(owner)
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    learning.set_milestone(enrollment, Milestone.objects.filter(roadmap=roadmap).first(), True)
    client.post(reverse("roadmap:roadmap-reset", args=[roadmap.slug]), {"confirm": "1"})
    assert "undo-offer" in client.get(LIST).content.decode()
    client.post(reverse("own:delete", args=[roadmap.slug]), {"confirm": "1"})
    assert "undo-offer" not in client.get(LIST).content.decode()


def test_deleting_the_last_roadmap_that_uses_a_skill_deletes_the_skill(client, owner):
    roadmap = own(owner)
    client.post(reverse("own:delete", args=[roadmap.slug]), {"confirm": "1"})
    assert not Skill.objects.filter(owner=owner).exists()


def test_with_htmx_delete_asks_in_place(client, owner):
    roadmap = own(owner)
    response = client.get(
        reverse("own:delete", args=[roadmap.slug]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Delete Roadmap rust?" in html
    assert "<html" not in html
    assert (
        f'hx-get="{reverse("own:delete", args=[roadmap.slug])}"'
        in client.get(LIST).content.decode()
    )


def test_a_post_without_confirm_only_asks(client, owner):
    roadmap = own(owner)
    assert client.post(reverse("own:delete", args=[roadmap.slug])).status_code == 200
    assert Roadmap.objects.filter(pk=roadmap.pk).exists()


# Sharing progress on an own roadmap -----------------------------------------------------


def test_progress_on_an_own_roadmap_can_be_shared_and_the_link_turned_off(client, owner):
    roadmap = own(owner, phases=1, steps=2, milestones=2)
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    step = roadmap.steps.get(key="step-0-0")
    learning.set_milestone(enrollment, step.milestones.first(), True)
    learning.save_note(enrollment, step, "zebra-note-5521")
    learning.add_link(enrollment, step, "okapi-9921", "https://private.example/okapi")
    token = make_link(client, roadmap.slug)
    visitor = Client()
    page = visitor.get(page_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Roadmap rust" in html
    assert "25%" in html
    today = timezone.localdate()
    for private in (
        "zebra-note-5521",
        "okapi-9921",
        owner.email,
        owner.username,
        today.isoformat(),
        f"{today.day} {today:%B} {today.year}",
    ):
        assert private not in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert ">25%</text>" in visitor.get(badge_url(token)).content.decode()
    client.post(reverse("sharing:settings", args=[roadmap.slug]), {"action": "revoke"})
    assert visitor.get(page_url(token)).status_code == 404
    assert visitor.get(badge_url(token)).status_code == 404


def test_deleting_an_own_roadmap_turns_its_shared_link_off(client, owner):
    roadmap = own(owner)
    token = make_link(client, roadmap.slug)
    client.post(reverse("own:delete", args=[roadmap.slug]), {"confirm": "1"})
    assert Client().get(page_url(token)).status_code == 404


# Access ---------------------------------------------------------------------------------


def _requests(roadmap):
    slug = roadmap.slug
    data = yaml.safe_dump(roadmap_data(slug="intruder", phases=1, steps=1, milestones=1))
    return [
        ("get", reverse("own:download", args=[slug]), {}),
        ("get", reverse("own:delete", args=[slug]), {}),
        ("post", reverse("own:delete", args=[slug]), {"confirm": "1"}),
        ("post", reverse("own:replace", args=[slug]), {"file": io.BytesIO(data.encode())}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "other", "curator"])
def test_nobody_but_the_owner_reaches_or_changes_an_own_roadmap(client, who):
    roadmap = own(make_user("owner"))
    before = structure(roadmap)
    if who == "other":
        client.force_login(make_user("other"))
    elif who == "curator":
        client.force_login(make_user("curator", is_staff=True, is_superuser=True))
    for method, url, data in _requests(roadmap):
        response = getattr(client, method)(url, data)
        if who == "anonymous":
            missing_url = url.replace(roadmap.slug, "rust_00000000")
            missing = getattr(client, method)(missing_url, data)
            assert response.status_code == missing.status_code == 302, url
            assert response.url == missing.url.replace("rust_00000000", roadmap.slug)
            assert response.url.startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 404, url
    roadmap.refresh_from_db()
    assert structure(roadmap) == before
    assert Enrollment.objects.filter(roadmap=roadmap).count() == 1
    assert Roadmap.objects.count() == 1


@pytest.mark.parametrize("who", ["other", "curator"])
def test_the_list_and_upload_only_ever_touch_the_visitors_own(client, who):
    roadmap = own(make_user("owner"))
    user = make_user(who, is_staff=who == "curator", is_superuser=who == "curator")
    client.force_login(user)
    assert roadmap.title not in client.get(LIST).content.decode()
    client.post(UPLOAD, {"file": yaml_file(roadmap_data(slug="rust"))})
    assert Roadmap.objects.get(owner=user).key == "rust"  # theirs, not a second of the owner's
    assert Roadmap.objects.owned_by(roadmap.owner).count() == 1


def test_a_visitor_is_sent_to_log_in_by_the_list_and_upload(client):
    for method, url in (("get", LIST), ("post", UPLOAD)):
        response = getattr(client, method)(url, {"file": yaml_file(roadmap_data())})
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert not Roadmap.objects.exists()


def test_the_pages_refuse_the_wrong_methods(client, owner):
    roadmap = own(owner)
    assert client.get(UPLOAD).status_code == 405
    assert client.get(reverse("own:replace", args=[roadmap.slug])).status_code == 405
    assert client.post(reverse("own:download", args=[roadmap.slug])).status_code == 405
    assert client.post(LIST).status_code == 405


# Export ---------------------------------------------------------------------------------


def test_the_account_export_holds_my_own_roadmaps_content(client, owner):
    roadmap = own(owner)
    own(make_user("other"), "secret-plans")
    document = json.loads(client.post(reverse("accounts:export")).content)
    (exported,) = document["own_roadmaps"]
    assert exported["url_slug"] == roadmap.slug
    assert exported["content"] == roadmap_to_data(roadmap)
    assert "secret-plans" not in json.dumps(document)


def test_the_export_takes_the_same_queries_for_one_and_many_own_roadmaps(
    owner,
):
    own(owner, "first", phases=1, steps=1, milestones=1)
    with CaptureQueriesContext(connection) as one:
        export(owner)
    for n in range(5):
        own(owner, f"more-{n}", phases=3, steps=5, milestones=3)
    with CaptureQueriesContext(connection) as many:
        assert len(export(owner)["own_roadmaps"]) == 6
    assert len(many) == len(one)
