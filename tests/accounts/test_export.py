import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.export import export
from tests.accounts.helpers import learner_with_data
from tests.factories import load_roadmap, make_user, roadmap_data

URL = reverse("accounts:export")


def test_export_needs_login(client, db):
    assert client.get(URL).url.startswith(reverse("accounts:login"))
    assert client.post(URL).url.startswith(reverse("accounts:login"))


def test_the_export_page_explains_and_offers_a_download_button(client, db):
    client.force_login(make_user())

    html = client.get(URL).content.decode()

    assert f'<form method="post" action="{URL}">' in html
    assert "Download my data (JSON)" in html


def test_downloading_the_export(client, db):
    roadmap = load_roadmap(roadmap_data())
    user = learner_with_data("ada", roadmap)
    client.force_login(user)

    response = client.post(URL)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.now().date().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="waypoint-export-ada-{today}.json"'
    )
    document = json.loads(response.content)
    assert (document["format"], document["version"]) == ("waypoint-export", 1)
    assert document["profile"]["username"] == "ada"
    assert document["profile"]["email"] == "ada@example.com"


def test_the_export_holds_every_kind_of_learner_data(db):
    roadmap = load_roadmap(roadmap_data())
    user = learner_with_data("ada", roadmap)

    document = export(user)

    (enrolment,) = document["enrolments"]
    assert enrolment["roadmap"] == "test-roadmap"
    assert enrolment["status"] == "active"
    assert enrolment["weekly_hours"] == 5
    assert enrolment["target_date"] is None
    assert enrolment["enrolled_at"]
    assert [(p["step"], p["milestone"]) for p in enrolment["progress"]] == [
        ("step-0-0", "step-0-0-m0"),
        ("step-0-0", "step-0-0-m1"),
    ]
    assert all(p["done_at"] and p["first_done_at"] for p in enrolment["progress"])
    assert [s["step"] for s in enrolment["skipped_steps"]] == ["step-1-1"]
    assert [(n["step"], n["text"]) for n in enrolment["notes"]] == [
        ("step-0-0", "ada's private note")
    ]
    assert [(link["title"], link["url"]) for link in enrolment["links"]] == [
        ("ada's link", "https://example.com/mine")
    ]
    kinds = [(a["kind"], a["step"], a["milestone"]) for a in document["activity"]]
    assert kinds == [
        ("ticked", "step-0-0", "step-0-0-m0"),
        ("ticked", "step-0-0", "step-0-0-m1"),
        ("skipped", "step-1-1", None),
    ]
    assert {a["roadmap"] for a in document["activity"]} == {"test-roadmap"}
    json.dumps(document)  # plain values only


def test_another_learners_data_never_appears_in_my_export(db):
    roadmap = load_roadmap(roadmap_data())
    mine = learner_with_data("ada", roadmap)
    learner_with_data("bea", roadmap, milestones=4)

    text = json.dumps(export(mine))

    assert "bea" not in text
    (enrolment,) = export(mine)["enrolments"]
    assert len(enrolment["progress"]) == 2


def test_an_account_without_enrolments_exports_an_empty_shape(db):
    document = export(make_user())

    assert document["enrolments"] == []
    assert document["activity"] == []


def test_the_export_takes_the_same_queries_for_little_and_lots_of_data(
    client, db, django_assert_max_num_queries
):
    small = load_roadmap(roadmap_data(slug="small", phases=1, steps=2, milestones=1))
    user = learner_with_data("ada", small, milestones=1)
    client.force_login(user)
    with django_assert_max_num_queries(11):
        client.post(URL)

    for n in range(3):
        big = load_roadmap(roadmap_data(slug=f"big-{n}", phases=3, steps=4, milestones=3))
        other = learner_with_data(f"learner{n}", big, milestones=30)
        other.enrollments.update(user=user)
    with django_assert_max_num_queries(11):
        response = client.post(URL)
    assert len(json.loads(response.content)["enrolments"]) == 4


def test_export_without_a_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())

    assert client.post(URL).status_code == 403
