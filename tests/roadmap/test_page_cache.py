"""The roadmap page and dashboard are cached per enrolment and content version: a second view
is a few queries, and every change, by the learner or by staff, shows on the next view."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from roadmap import curation, fragments, learning, partials
from roadmap.content import write_roadmap
from roadmap.content.schema import validate
from roadmap.models import (
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Resource,
    Skill,
    Step,
    StepSkip,
)
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import enrolled_learner, fragment_renders, milestone, tick_url

pytestmark = pytest.mark.django_db
DASHBOARD = "roadmap:dashboard-roadmap"


def page(client, enrollment):
    response = client.get(enrollment.roadmap.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def step_page(client, enrollment, key="step-0-0"):
    response = client.get(reverse("roadmap:step-detail", args=[enrollment.roadmap.slug, key]))
    assert response.status_code == 200
    return response.content.decode()


def every_page(client, enrollment):
    """The roadmap page and both step pages of a one-phase, two-step roadmap."""
    return "".join(
        [
            page(client, enrollment),
            step_page(client, enrollment),
            step_page(client, enrollment, "step-0-1"),
        ]
    )


def dashboard(client, enrollment):
    response = client.get(reverse(DASHBOARD, args=[enrollment.roadmap.slug]))
    assert response.status_code == 200
    return response.content.decode()


def percent(html):
    return int(re.search(r'<span class="percent"[^>]*>(\d+)%</span>', html).group(1))


@pytest.mark.parametrize("view", [page, step_page, dashboard])
def test_a_second_view_is_served_from_the_cache_in_a_few_queries(
    view, client, django_assert_max_num_queries, django_assert_num_queries
):
    enrollment = enrolled_learner(client, phases=3, steps=4, milestones=3)
    first = view(client, enrollment)

    # The session with its account, and the enrolment with its roadmap: nothing that grows
    # with the roadmap.
    with django_assert_num_queries(2):
        second = view(client, enrollment)

    token = re.compile(r"\b[A-Za-z0-9]{64}\b")  # masked CSRF tokens differ per response
    assert token.sub("", first) == token.sub("", second)


def test_the_cached_page_carries_this_sessions_csrf_token(db):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=2))
    user = make_user()
    enrol(user, roadmap)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    first.get(roadmap.get_absolute_url())  # renders and caches the body
    second.force_login(user)

    html = second.get(roadmap.get_absolute_url()).content.decode()
    target = Milestone.objects.first()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(tick_url(target), {"done": "1", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert "placeholder" not in html


def test_two_learners_never_see_each_others_cached_page(client):
    mine = enrolled_learner(client, phases=1, steps=1, milestones=2)
    learning.set_milestone(mine, Milestone.objects.first(), True)
    assert percent(page(client, mine)) == 50
    other = make_user("other")
    theirs = enrol(other, mine.roadmap)
    client.force_login(other)

    assert percent(page(client, theirs)) == 0
    assert percent(dashboard(client, theirs)) == 0


def tick(client, enrollment):
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})


def skip(client, enrollment):
    url = reverse("roadmap:step-skip", args=[enrollment.roadmap.slug, "step-0-0"])
    client.post(url, {"skipped": "1"})


def note(client, enrollment):
    url = reverse("roadmap:step-notes", args=[enrollment.roadmap.slug, "step-0-0"])
    client.post(url, {"text": "Remember the chain rule"})


def add_link(client, enrollment):
    url = reverse("roadmap:link-add", args=[enrollment.roadmap.slug, "step-0-0"])
    client.post(url, {"title": "Chain rule notes", "url": "https://example.com/chain"})


def pause(client, enrollment):
    client.post(reverse("roadmap:pause", args=[enrollment.roadmap.slug]))


LEARNER_CHANGES = {
    tick: (page, lambda html: percent(html) == 25),
    skip: (page, lambda html: percent(html) == 50),
    note: (step_page, lambda html: "Remember the chain rule" in html),
    add_link: (step_page, lambda html: "Chain rule notes" in html),
    pause: (page, lambda html: ">Resume<" in html),
}


@pytest.mark.parametrize("change", LEARNER_CHANGES, ids=lambda change: change.__name__)
@pytest.mark.parametrize("where", [page, step_page], ids=["roadmap page", "step page"])
def test_every_change_by_the_learner_shows_on_the_next_view(change, where, client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    shown_on, shows = LEARNER_CHANGES[change]
    view = where if where is shown_on or change in (tick, skip) else shown_on
    assert not shows(view(client, enrollment))

    change(client, enrollment)

    assert shows(view(client, enrollment))


def test_unticking_resetting_and_removing_a_link_show_on_the_next_view(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    tick(client, enrollment)
    add_link(client, enrollment)
    assert percent(page(client, enrollment)) == 25
    assert percent(dashboard(client, enrollment)) == 25

    client.post(tick_url(milestone("step-0-0-m0")), {"done": "0"})
    assert percent(page(client, enrollment)) == 0
    assert percent(dashboard(client, enrollment)) == 0

    skip(client, enrollment)
    client.post(
        reverse("roadmap:step-reset", args=[enrollment.roadmap.slug, "step-0-0"]), {"confirm": "1"}
    )
    assert percent(page(client, enrollment)) == 0
    assert not StepSkip.objects.exists()

    link = PersonalLink.objects.get()
    url = reverse("roadmap:link-delete", args=[enrollment.roadmap.slug, "step-0-0", link.pk])
    client.post(url)
    assert "Chain rule notes" not in step_page(client, enrollment)


def test_a_tick_shows_at_once_on_the_cached_dashboard(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    assert percent(dashboard(client, enrollment)) == 0

    tick(client, enrollment)

    assert percent(dashboard(client, enrollment)) == 25


def test_a_new_weekly_goal_shows_at_once_on_the_cached_dashboard(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    assert "You planned 5 hours a week" not in dashboard(client, enrollment)

    get_user_model().objects.filter(pk=enrollment.user_id).update(weekly_hours_goal=5)

    assert "You planned 5 hours a week" in dashboard(client, enrollment)


def rename_milestone(roadmap):
    target = Milestone.objects.get(key="step-0-0-m0")
    target.title = "Freshly renamed milestone"
    target.save()
    return "Freshly renamed milestone"


def rename_step(roadmap):
    step = Step.objects.get(key="step-0-1")
    step.title = "A step renamed in the admin"
    step.save()
    return "A step renamed in the admin"


def rename_skill(roadmap):
    skill = Skill.objects.get(slug="testing")
    skill.name = "Testing, renamed"
    skill.save()
    return "Testing, renamed"


def add_skill_to_step(roadmap):
    skill = Skill.objects.create(slug="calculus", name="Calculus by m2m", category="Maths")
    Step.objects.get(key="step-0-0").skills.add(skill)
    return "Calculus by m2m"


def edit_resource(roadmap):
    resource = Resource.objects.filter(step__key="step-0-0").first()
    resource.title = "A better resource"
    resource.save()
    return "A better resource"


def reload_file(roadmap):
    data = roadmap_data(phases=1, steps=2, milestones=2)
    data["phases"][0]["steps"][1]["milestones"].append(
        {"key": "step-0-1-m9", "title": "Loaded from the file"}
    )
    write_roadmap(validate(data))
    return "Loaded from the file"


CONTENT_CHANGES = [
    rename_milestone,
    rename_step,
    rename_skill,
    add_skill_to_step,
    edit_resource,
    reload_file,
]


@pytest.mark.parametrize("change", CONTENT_CHANGES, ids=lambda change: change.__name__)
def test_every_content_change_shows_on_the_next_view(change, client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    assert "renamed" not in every_page(client, enrollment)  # every page is now cached

    expected = change(enrollment.roadmap)

    assert expected in every_page(client, enrollment)


def test_a_content_change_reaches_visitors_too(client):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    url = reverse("roadmap:step-detail", args=[roadmap.slug, "step-0-0"])
    assert "Freshly renamed milestone" not in client.get(url).text
    assert "Step 0.0" in client.get(roadmap.get_absolute_url()).text

    rename_milestone(roadmap)

    assert "Freshly renamed milestone" in client.get(url).text


def test_archiving_in_the_admin_hides_the_step_at_once(admin_client):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=2, milestones=1))
    user = get_user_model().objects.get(username="admin")
    enrol(user, roadmap)
    assert "Step 0.1" in admin_client.get(roadmap.get_absolute_url()).text
    step = Step.objects.get(key="step-0-1")

    admin_client.post(
        reverse("admin:roadmap_step_changelist"),
        {"action": "archive", "_selected_action": [step.pk]},
    )

    assert "Step 0.1" not in admin_client.get(roadmap.get_absolute_url()).text


def test_a_new_revision_and_its_dismissal_show_at_once(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    curation.record_revision(enrollment.roadmap)
    enrollment.refresh_from_db()
    curation.mark_seen(enrollment, 1)
    assert "What changed" not in page(client, enrollment)

    rename_milestone(enrollment.roadmap)
    curation.record_revision(enrollment.roadmap)
    html = page(client, enrollment)
    assert "What changed" in html
    assert "What changed" in dashboard(client, enrollment)

    client.post(reverse("roadmap:changes-seen", args=[enrollment.roadmap.slug]), {"revision": 2})
    assert "What changed" not in page(client, enrollment)


def test_leaving_and_coming_back_shows_the_enrolment_again(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    tick(client, enrollment)
    assert percent(page(client, enrollment)) == 25

    client.post(
        reverse("roadmap:leave", args=[enrollment.roadmap.slug]), {"erase": "0", "confirm": "1"}
    )
    assert "Enrol in this roadmap" in page(client, enrollment)
    client.post(reverse("roadmap:enrol", args=[enrollment.roadmap.slug]))

    assert percent(page(client, enrollment)) == 25


def test_staff_deleting_a_learners_progress_in_the_admin_shows_at_once(client, admin_client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    tick(client, enrollment)
    assert percent(page(client, enrollment)) == 25
    progress = MilestoneProgress.objects.get()

    admin_client.post(
        reverse("admin:roadmap_milestoneprogress_changelist"),
        {"action": "delete_selected", "_selected_action": [progress.pk], "post": "yes"},
    )

    assert not MilestoneProgress.objects.exists()
    assert percent(page(client, enrollment)) == 0


def test_messages_show_once_and_never_stick_to_the_cached_page(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    page(client, enrollment)  # cached without a message
    pause(client, enrollment)

    assert "Paused. Your progress is kept" in page(client, enrollment)
    assert "Paused. Your progress is kept" not in page(client, enrollment)


def test_becoming_a_curator_shows_the_admin_link_on_the_cached_page(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    assert ">Admin<" not in page(client, enrollment)

    get_user_model().objects.filter(pk=enrollment.user_id).update(is_staff=True)
    assert ">Admin<" not in page(client, enrollment)  # staff alone does not curate

    enrollment.user.groups.add(Group.objects.get(name="Curators"))

    assert ">Admin<" in page(client, enrollment)
    assert ">Admin<" in dashboard(client, enrollment)


def test_visitors_and_members_get_their_own_cached_page(client):
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    assert "Sign up to enrol" in client.get(roadmap.get_absolute_url()).text

    client.force_login(make_user())

    html = client.get(roadmap.get_absolute_url()).text
    assert "Enrol in this roadmap" in html
    assert "Sign up to enrol" not in html


def step_renders(monkeypatch):
    """Count the steps rendered one by one for the page cache."""
    rendered = []
    original = fragments.render_to_string

    def spy(template, context=None, request=None):
        if template == partials.OUTLINE_STEP:
            rendered.append(context["step"].key)
        return original(template, context, request)

    monkeypatch.setattr(fragments, "render_to_string", spy)
    return rendered


def test_after_a_tick_only_the_ticked_step_is_rendered_again(client, monkeypatch):
    enrollment = enrolled_learner(client, phases=2, steps=3, milestones=3)
    rendered = step_renders(monkeypatch)
    page(client, enrollment)
    assert len(rendered) == 6
    rendered.clear()

    tick(client, enrollment)
    html = page(client, enrollment)

    assert rendered == ["step-0-0"]
    assert "1 of 3 milestones" in html


def test_finishing_a_step_updates_the_steps_that_needed_it(client):
    enrollment = enrolled_learner(client, phases=1, steps=2, milestones=2)
    step = re.compile(r'<li class="outline__step[^"]*" id="step-step-0-1">.*?</li>', re.S)
    assert "Needs" in step.search(page(client, enrollment)).group(0)
    needs = re.compile(r'id="needs-title".*?</ul>', re.S)
    assert "Not started" in needs.search(step_page(client, enrollment, "step-0-1")).group(0)

    for key in ("step-0-0-m0", "step-0-0-m1"):
        client.post(tick_url(milestone(key)), {"done": "1"})

    later = step.search(page(client, enrollment)).group(0)
    assert "Needs" not in later
    assert 'class="outline__step step--not-started step--next"' in page(client, enrollment)
    assert "Done" in needs.search(step_page(client, enrollment, "step-0-1")).group(0)


def test_learners_share_one_cached_copy_of_the_roadmap_content(
    client, django_assert_max_num_queries
):
    first = enrolled_learner(client, phases=2, steps=3, milestones=3)
    page(client, first)
    second = enrol(make_user("second"), first.roadmap)
    client.force_login(second.user)

    # Uncached page, cached content: no phase, step, skill, prerequisite, resource or
    # milestone query, only this learner's progress, notes, links, history and revisions.
    with django_assert_max_num_queries(12) as captured:
        assert percent(page(client, second)) == 0
    tables = [query["sql"].split(" FROM ", 1)[-1].split()[0] for query in captured]
    assert '"roadmap_resource"' not in tables
    assert '"roadmap_phase"' not in tables


def test_learners_whose_lines_look_the_same_share_them_and_no_one_else_does(client, monkeypatch):
    """An outline line's key is made of the StepLine it shows (versions.step_key): a second
    learner at the same place renders no line, even with the shared cache emptied (each
    process keeps the lines it used), and a learner elsewhere gets lines of their own."""
    first = enrolled_learner(client, phases=2, steps=3, milestones=3)
    rendered = step_renders(monkeypatch)
    page(client, first)
    assert len(rendered) == 6
    rendered.clear()
    cache.clear()

    client.force_login(enrol(make_user("second"), first.roadmap).user)
    assert percent(page(client, first)) == 0  # the second learner's own page
    assert rendered == []

    tick(client, first)
    html = page(client, first)
    assert rendered == ["step-0-0"]
    assert "1 of 3 milestones" in html


def phase_percents(html):
    """Each phase's percent, as its heading shows it."""
    return re.findall(r'<span class="meta">(\d+)% · ', html)


def test_a_page_after_a_tick_renders_only_the_ticked_phase_around_its_lines(client, monkeypatch):
    """Each process keeps each phase's parts around its steps' lines by what they show
    (fragments.prerender_phases): after a tick only the ticked phase's parts are rendered
    again, and a learner at the same point as another renders none, yet sees their own."""
    first = enrolled_learner(client, phases=3, steps=2, milestones=2)
    page(client, first)
    rendered = fragment_renders(monkeypatch)

    tick(client, first)
    html = page(client, first)
    assert rendered.count(partials.OUTLINE_PHASE) == 1
    assert phase_percents(html) == ["25", "0", "0"]
    assert "1 of 2 milestones" in html

    client.force_login(enrol(make_user("second"), first.roadmap).user)
    rendered.clear()
    assert phase_percents(page(client, first)) == ["0", "0", "0"]  # kept: the first's start
    tick(client, first)
    assert phase_percents(page(client, first)) == ["25", "0", "0"]
    assert partials.OUTLINE_PHASE not in rendered
