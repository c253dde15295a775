"""Framed pages (roadmap/fragments.py: render_framed): the roadmap page's frame is rendered
once and its holes on every miss, and the result is the page the template renders in one go,
byte for byte, whoever looks and whatever their progress."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.template import TemplateSyntaxError, engines
from django.template.loader import render_to_string
from django.urls import reverse

from roadmap import curation, fragments, versions
from roadmap.content import validate
from roadmap.models import Enrollment, Milestone
from roadmap.ownership import create_own_roadmap
from roadmap.permissions import CURATORS
from tests.factories import enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def without_tokens(html):
    """The page with its CSRF tokens blanked: each response masks its own."""
    return TOKEN.sub(r"\1", html)


@pytest.fixture
def unframed(monkeypatch):
    """A switch: render pages in one go instead of frame and holes."""

    def in_one_go(request, template, context, frame):
        return render_to_string(template, context, request)

    def switch(on):
        if on:
            monkeypatch.setattr(fragments, "render_framed", in_one_go)
        else:
            monkeypatch.undo()

    return switch


@pytest.fixture
def frames_rendered(monkeypatch):
    """The frames rendered from here on: (template, FRAMING) of every framing render."""
    rendered = []
    real = fragments.render_to_string

    def counting(template, context=None, request=None):
        if context and context.get(fragments.FRAMING):
            rendered.append(template)
        return real(template, context, request)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return rendered


def both_ways(client, url, unframed):
    """The page at url rendered framed and then in one go (cache cleared between)."""
    from django.core.cache import cache

    from roadmap import kept

    framed = client.get(url)
    assert framed.status_code == 200
    cache.clear()
    kept.forget_all()
    unframed(True)
    whole = client.get(url)
    unframed(False)
    cache.clear()
    kept.forget_all()
    return without_tokens(framed.content.decode()), without_tokens(whole.content.decode())


def tick(client, key, done="1"):
    return client.post(tick_url(milestone(key)), {"done": done})


def learner_with_progress(client):
    enrollment = enrolled_learner(client, phases=2, steps=3, milestones=2)
    tick(client, "step-0-0-m0")
    tick(client, "step-0-0-m1")
    tick(client, "step-0-1-m0")
    return enrollment


def changed_since_seen(enrollment):
    """A change to the roadmap since the learner last looked: a notice on their pages."""
    roadmap = enrollment.roadmap
    curation.record_revision(roadmap)
    curation.mark_seen(Enrollment.objects.get(pk=enrollment.pk), 1)
    Milestone.objects.filter(key="step-0-0-m0").update(title="Renamed")
    versions.content_changed(roadmap.pk)
    roadmap.refresh_from_db()
    curation.record_revision(roadmap)


def make_curator(user):
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=CURATORS))


def test_a_learners_page_framed_is_the_page_rendered_in_one_go(client, unframed):
    enrollment = learner_with_progress(client)
    url = enrollment.roadmap.get_absolute_url()
    client.get(url)  # the frame is cached from here on
    tick(client, "step-1-0-m0")  # a miss, with the frame from the cache
    framed, whole = both_ways(client, url, unframed)
    assert framed == whole
    assert 'id="overall-progress"' in framed
    assert "hole:" not in framed


@pytest.mark.parametrize(
    "state", ["paused", "finished hidden", "undo offer", "changes", "curator", "own", "visitor"]
)
def test_every_kind_of_page_framed_is_the_page_rendered_in_one_go(client, unframed, state):
    enrollment = learner_with_progress(client)
    roadmap = enrollment.roadmap
    url = roadmap.get_absolute_url()
    if state == "paused":
        client.post(reverse("roadmap:pause", args=[roadmap.slug]))
        assert "Paused." in client.get(url).text  # its message, shown once
    elif state == "finished hidden":
        url += "?finished=hide"
    elif state == "undo offer":
        client.post(
            reverse("roadmap:step-reset", args=[roadmap.slug, "step-0-0"]), {"confirm": "1"}
        )
        assert "undo-offer" in client.get(url).text
    elif state == "changes":
        changed_since_seen(enrollment)
    elif state == "curator":
        make_curator(enrollment.user)
    elif state == "own":
        owner = make_user("owner")
        url = create_own_roadmap(owner, validate(roadmap_data(slug="mine"))).get_absolute_url()
        client.force_login(owner)
    elif state == "visitor":
        client.logout()
    framed, whole = both_ways(client, url, unframed)
    assert framed == whole
    assert "hole:" not in framed
    if state == "changes":
        assert "What changed since you last looked" in framed
    if state == "curator":
        assert reverse("admin:index") in framed


@pytest.mark.parametrize("state", ["learner", "changes", "curator", "undo offer"])
def test_a_roadmaps_dashboard_framed_is_the_dashboard_rendered_in_one_go(client, unframed, state):
    enrollment = learner_with_progress(client)
    roadmap = enrollment.roadmap
    url = reverse("roadmap:dashboard-roadmap", args=[roadmap.slug])
    client.get(url)  # the frame is cached from here on
    tick(client, "step-1-0-m0")  # a miss, with the frame from the cache
    if state == "changes":
        changed_since_seen(enrollment)
    elif state == "curator":
        make_curator(enrollment.user)
    elif state == "undo offer":
        client.post(
            reverse("roadmap:step-reset", args=[roadmap.slug, "step-0-0"]), {"confirm": "1"}
        )
    framed, whole = both_ways(client, url, unframed)
    assert framed == whole
    assert "hole:" not in framed
    assert "Recent activity" in framed
    assert f'href="{reverse("sharing:settings", args=[roadmap.slug])}"' in framed
    if state == "changes":
        assert "What changed since you last looked" in framed
    if state == "curator":
        assert reverse("admin:index") in framed
    if state == "undo offer":
        assert "undo-offer" in framed


def test_one_dashboard_frame_serves_every_learner_with_their_own_progress(client, frames_rendered):
    enrollment = learner_with_progress(client)
    url = reverse("roadmap:dashboard-roadmap", args=[enrollment.roadmap.slug])
    first = client.get(url).text
    other = make_user("other")
    enrol(other, enrollment.roadmap)
    client.force_login(other)
    second = client.get(url).text

    assert frames_rendered.count("roadmap/dashboards/roadmap.html") == 1
    assert "3 milestones ticked" in first
    assert "0 milestones ticked" in second


def test_one_frame_serves_every_learner_with_their_own_progress(client, frames_rendered):
    enrollment = learner_with_progress(client)
    roadmap = enrollment.roadmap
    client.get(roadmap.get_absolute_url())
    assert len(frames_rendered) == 1

    other = make_user("other")
    enrol(other, roadmap)
    client.force_login(other)
    html = client.get(roadmap.get_absolute_url()).text
    assert len(frames_rendered) == 1  # the same frame: same roadmap, menu and language
    assert '<span class="percent">0%</span>' in html

    tick(client, "step-0-0-m0")
    html = client.get(roadmap.get_absolute_url()).text
    assert len(frames_rendered) == 1  # after a tick only the holes are rendered
    assert '<span class="percent">8%</span>' in html


def test_a_change_to_what_the_frame_shows_renders_a_new_frame(client, frames_rendered):
    enrollment = learner_with_progress(client)
    roadmap = enrollment.roadmap
    client.get(roadmap.get_absolute_url())
    roadmap.title = "A new title"
    roadmap.save()
    html = client.get(roadmap.get_absolute_url()).text
    assert len(frames_rendered) == 2
    assert '<h1 id="roadmap-title">A new title</h1>' in html

    client.get(roadmap.get_absolute_url() + "?finished=hide")
    assert len(frames_rendered) == 3  # the outline's links differ


def test_a_page_with_messages_is_rendered_in_one_go(client, frames_rendered):
    roadmap = load_roadmap(roadmap_data())
    client.force_login(make_user())
    response = client.post(reverse("roadmap:enrol", args=[roadmap.slug]), follow=True)
    assert "You are enrolled" in response.text
    assert frames_rendered == []


def test_a_holes_name_is_plain_and_its_markers_never_reach_a_page():
    engine = engines["django"]
    with pytest.raises(TemplateSyntaxError):
        engine.from_string('{% load frames %}{% hole "Map 1" %}x{% endhole %}')
    with pytest.raises(TemplateSyntaxError):
        engine.from_string("{% load frames %}{% hole map %}x{% endhole %}")
    template = engine.from_string('{% load frames %}<p>{% hole "map" %}{{ x }}{% endhole %}</p>')
    assert template.render({"x": "in"}) == "<p>in</p>"
    marker = fragments.hole_marker("map")
    assert template.render({"x": "in", fragments.FRAMING: True}) == f"<p>{marker}</p>"
    # text that looks like a marker is escaped, so it can never be taken for one
    assert marker not in template.render({"x": marker})


def test_the_enrolment_read_with_the_page_versions_is_the_orms_row(client):
    enrollment = learner_with_progress(client)
    Enrollment.objects.filter(pk=enrollment.pk).update(weekly_hours=7, target_date=date(2027, 3, 1))
    read = versions.page_versions(enrollment.roadmap.slug, enrollment.user).enrollment
    row = Enrollment.objects.get(pk=enrollment.pk)
    fields = [field.attname for field in Enrollment._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(row, name) for name in fields]
    assert read.created_at.tzinfo is not None


def test_no_enrolment_is_read_for_a_visitor_or_a_learner_who_left(client):
    enrollment = learner_with_progress(client)
    slug = enrollment.roadmap.slug
    from django.contrib.auth.models import AnonymousUser

    assert versions.page_versions(slug, AnonymousUser()).enrollment is None
    Enrollment.objects.filter(pk=enrollment.pk).update(status=Enrollment.Status.LEFT)
    assert versions.page_versions(slug, enrollment.user).enrollment is None
