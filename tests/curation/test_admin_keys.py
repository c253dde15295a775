"""In the admin, a key used elsewhere in the roadmap is a form error on the field, never a 500."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from roadmap.models import Milestone, Phase, Step
from tests.factories import load_roadmap, make_user, roadmap_data

pytestmark = pytest.mark.django_db


class FormData(HTMLParser):
    """The values the admin's change form would submit, read from its HTML."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value") or (
                "on" if attrs.get("type") == "checkbox" else ""
            )
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            # Browsers drop the newline that follows <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def change_form(client, url):
    parser = FormData()
    parser.feed(client.get(url).content.decode())
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


def add_rows(data, prefix, rows):
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))


@pytest.fixture
def curator_client():
    user = make_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def roadmap():
    return load_roadmap(roadmap_data(phases=2, steps=2, milestones=2))


def milestone_keys():
    return sorted(Milestone.objects.values_list("key", flat=True))


def test_a_new_milestone_with_a_key_from_another_step_is_a_field_error(curator_client, roadmap):
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    add_rows(data, "milestones", [{"position": "5", "key": "step-1-1-m0", "title": "Again"}])
    before = milestone_keys()

    response = curator_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any("step-1-1-m0" in " ".join(e.get("key", [])) for e in errors)
    assert "already" in response.content.decode()
    assert milestone_keys() == before


def test_renaming_a_milestone_to_a_key_used_elsewhere_is_a_field_error(curator_client, roadmap):
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    data["milestones-0-key"] = "step-0-1-m1"

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert Milestone.objects.filter(key="step-0-0-m0").exists()


def test_two_new_milestones_with_one_key_are_a_field_error(curator_client, roadmap):
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    rows = [{"position": str(n), "key": "fresh-key", "title": f"New {n}"} for n in (5, 6)]
    add_rows(data, "milestones", rows)

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert not Milestone.objects.filter(key="fresh-key").exists()


def test_a_valid_new_milestone_is_saved_with_the_steps_roadmap(curator_client, roadmap):
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    add_rows(data, "milestones", [{"position": "5", "key": "fresh-key", "title": "New"}])

    response = curator_client.post(url, data)

    assert response.status_code == 302
    assert Milestone.objects.get(key="fresh-key").roadmap == roadmap


def test_a_new_step_with_a_key_from_another_phase_is_a_field_error(curator_client, roadmap):
    phase = Phase.objects.get(key="phase-0")
    url = f"/admin/roadmap/phase/{phase.pk}/change/"
    data = change_form(curator_client, url)
    add_rows(data, "steps", [{"position": "5", "key": "step-1-0", "title": "Again", "hours": "3"}])
    before = sorted(Step.objects.values_list("key", flat=True))

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert sorted(Step.objects.values_list("key", flat=True)) == before


def test_changing_a_steps_own_key_to_one_used_elsewhere_is_a_field_error(curator_client, roadmap):
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    data["key"] = "step-1-1"

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Step.objects.filter(pk=step.pk, key="step-0-0").exists()


def test_the_keys_of_archived_content_stay_taken(curator_client, roadmap):
    Milestone.objects.filter(key="step-1-1-m0").update(archived_at="2026-01-01T00:00Z")
    step = Step.objects.get(key="step-0-0")
    url = f"/admin/roadmap/step/{step.pk}/change/"
    data = change_form(curator_client, url)
    add_rows(data, "milestones", [{"position": "5", "key": "step-1-1-m0", "title": "Again"}])

    response = curator_client.post(url, data)

    assert response.status_code == 200
    assert Milestone.objects.filter(key="step-1-1-m0").count() == 1


def test_a_valid_new_step_on_the_phase_page_is_saved_in_the_phases_roadmap(curator_client, roadmap):
    phase = Phase.objects.get(key="phase-0")
    url = f"/admin/roadmap/phase/{phase.pk}/change/"
    data = change_form(curator_client, url)
    add_rows(data, "steps", [{"position": "5", "key": "fresh-step", "title": "New", "hours": "3"}])

    response = curator_client.post(url, data)

    assert response.status_code == 302
    assert Step.objects.get(key="fresh-step").roadmap == roadmap
