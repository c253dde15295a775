"""Every whole number a request carries is checked against the range of the column it ends up
in, on SQLite as on PostgreSQL: a 400 for a form value, a 404 for an id in the address."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from roadmap.models import Enrollment, MilestoneProgress, PersonalLink, Phase, Roadmap, Step
from tests.factories import load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import enrolled_learner

pytestmark = pytest.mark.django_db

ROADMAP = "/roadmaps/test-roadmap/"
SEEN = f"{ROADMAP}changes/seen/"
INT_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807
HUGE = ["2147483648", "-1", "9223372036854775808", "9" * 40, "9" * 5000]


@pytest.mark.parametrize(
    "revision", HUGE, ids=["int+1", "negative", "bigint+1", "40-digits", "5000-digits"]
)
def test_a_revision_outside_its_column_is_a_400_and_changes_nothing(client, revision):
    enrollment = enrolled_learner(client)

    response = client.post(SEEN, {"revision": revision})

    assert response.status_code == 400
    enrollment.refresh_from_db()
    assert enrollment.seen_revision == 0


def test_the_largest_revision_the_column_holds_is_kept(client):
    enrollment = enrolled_learner(client)

    response = client.post(SEEN, {"revision": str(INT_MAX)})

    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.seen_revision == INT_MAX


@pytest.mark.parametrize(
    "milestone_id",
    ["0", str(BIGINT_MAX + 1), "9" * 40, "0" * 30 + "1"],
    ids=["zero", "bigint+1", "40-digits", "padded"],
)
def test_a_milestone_id_that_cannot_exist_is_a_404(client, milestone_id):
    enrolled_learner(client)

    response = client.post(f"{ROADMAP}milestones/{milestone_id}/", {"done": "1"})

    assert response.status_code == 404
    assert not MilestoneProgress.objects.exists()


@pytest.mark.parametrize("link_id", ["0", str(BIGINT_MAX + 1), "9" * 40])
def test_a_link_id_that_cannot_exist_is_a_404(client, link_id):
    enrolled_learner(client)
    client.post(f"{ROADMAP}steps/step-0-0/links/", {"title": "Kept", "url": "https://example.com/"})

    response = client.post(f"{ROADMAP}steps/step-0-0/links/{link_id}/delete/")

    assert response.status_code == 404
    assert PersonalLink.objects.count() == 1


@pytest.mark.parametrize("hours", [*HUGE, "32768"])
def test_weekly_hours_out_of_range_at_enrolment_are_a_form_error(client, hours):
    load_roadmap(roadmap_data())
    client.force_login(make_user())

    response = client.post(f"{ROADMAP}enrol/", {"weekly_hours": hours})

    assert response.status_code == 400
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("goal", [*HUGE, "32768"])
def test_a_weekly_goal_out_of_range_is_a_form_error(client, goal):
    user = make_user()
    client.force_login(user)
    form = {"email": user.email, "time_zone": "UTC", "weekly_hours_goal": goal}

    response = client.post("/accounts/settings/", form)

    assert response.status_code == 400
    assert get_user_model().objects.get(pk=user.pk).weekly_hours_goal == 0


def admin_form_field(model, name, admin_user, rf, inline=None):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    if inline is None:
        change = admin_user if model is get_user_model() else None  # its add form is short
        return model_admin.get_form(request, change).base_fields[name]
    (inline_admin,) = [i for i in model_admin.get_inline_instances(request) if i.model is inline]
    return inline_admin.get_formset(request).form.base_fields[name]


@pytest.mark.parametrize(
    ("model", "inline", "name", "too_big"),
    [
        (Enrollment, None, "seen_revision", INT_MAX + 1),
        (Enrollment, None, "weekly_hours", 81),
        (Step, None, "position", INT_MAX + 1),
        (Phase, Step, "position", INT_MAX + 1),
        (Roadmap, Phase, "position", INT_MAX + 1),
        (get_user_model(), None, "weekly_hours_goal", 81),
    ],
    ids=["revision", "weekly-hours", "step-position", "inline-step", "inline-phase", "goal"],
)
def test_admin_forms_refuse_a_number_beyond_its_column(
    admin_user, rf, model, inline, name, too_big
):
    field = admin_form_field(model, name, admin_user, rf, inline=inline)

    assert field.clean(str(too_big - 1)) == too_big - 1
    with pytest.raises(ValidationError):
        field.clean(str(too_big))
    with pytest.raises(ValidationError):
        field.clean("-1")
