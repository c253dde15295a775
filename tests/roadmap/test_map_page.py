"""The map on the roadmap page: each learner's own states, none for visitors, every step a
link, a fixed number of queries, and a layout worked out once per content version."""

import re

import pytest
from django.contrib.auth.models import Group

from roadmap import learning, map_layout, pages, partials
from roadmap.models import Step
from tests.factories import bulk_roadmap, enrol, load_roadmap, make_user, roadmap_data
from tests.roadmap.helpers import enrolled_learner, fragment_renders, milestone, tick_url

pytestmark = pytest.mark.django_db


def the_map(client, slug="test-roadmap"):
    response = client.get(f"/roadmaps/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'<svg class="map".*?</svg>', html, re.S)
    assert match, "the page has no map"
    return match.group(0)


def links(svg):
    """Each step link's accessible name, in document (reading) order."""
    return re.findall(r'<a class="map__link" href="[^"]*" aria-label="([^"]*)"', svg)


def test_an_enrolled_learner_sees_each_steps_state_and_the_next_step(client):
    enrollment = enrolled_learner(client, phases=2, steps=3)
    for key in ("step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        client.post(tick_url(milestone(key)), {"done": "1"})
    learning.set_skipped(enrollment, [Step.objects.get(key="step-1-0")], True)

    assert links(the_map(client)) == [
        "Step 1.1: Step 0.0 — done",
        "Step 1.2: Step 0.1 — in progress, next step",
        "Step 1.3: Step 0.2 — waiting on prerequisites",
        "Step 2.1: Step 1.0 — skipped, already known",
        "Step 2.2: Step 1.1 — available to start",
        "Step 2.3: Step 1.2 — waiting on prerequisites",
    ]


def test_states_show_by_icon_and_outline_as_well_as_words(client):
    enrolled_learner(client, phases=1, steps=2)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    svg = the_map(client)
    assert 'class="map__node map__node--in-progress map__node--next"' in svg
    assert '<use href="#map-in-progress"' in svg
    assert 'class="map__node map__node--waiting"' in svg
    assert '<use href="#map-waiting"' in svg
    assert ">Next</text>" in svg


def test_the_legend_explains_every_state(client):
    enrolled_learner(client)
    html = client.get("/roadmaps/test-roadmap/").content.decode()
    legend = re.search(r'<ul class="map-legend".*?</ul>', html, re.S).group(0)
    for words in ("Done", "In progress", "Skipped, already known", "Available to start"):
        assert words in legend
    assert "Waiting on prerequisites" in legend
    assert "Your next step" in legend


def test_visitors_see_the_same_map_without_states(client):
    load_roadmap(roadmap_data(phases=2, steps=2))
    svg = the_map(client)
    assert links(svg) == [
        "Step 1.1: Step 0.0",
        "Step 1.2: Step 0.1",
        "Step 2.1: Step 1.0",
        "Step 2.2: Step 1.1",
    ]
    assert "map__node--" not in svg
    assert "map__icon" not in svg
    assert svg.count('class="map__edge"') == 2  # each phase's second step needs its first


def test_a_learner_never_sees_another_learners_states(client):
    owner = enrolled_learner(client, phases=1, steps=2, username="owner")
    for key in ("step-0-0-m0", "step-0-0-m1"):
        client.post(tick_url(milestone(key)), {"done": "1"})
    assert "— done" in the_map(client)

    enrol(make_user("other"), owner.roadmap)
    client.force_login(owner.roadmap.enrollments.get(user__username="other").user)
    assert links(the_map(client)) == [
        "Step 1.1: Step 0.0 — available to start, next step",
        "Step 1.2: Step 0.1 — waiting on prerequisites",
    ]
    client.logout()
    assert "— " not in "".join(links(the_map(client)))


def test_every_step_links_to_its_own_page(client):
    load_roadmap(roadmap_data(phases=1, steps=2))
    hrefs = re.findall(r'<a class="map__link" href="([^"]*)"', the_map(client))
    assert hrefs == [
        "/roadmaps/test-roadmap/steps/step-0-0/",
        "/roadmaps/test-roadmap/steps/step-0-1/",
    ]
    assert pages.step_url("test-roadmap", "step-0-1") == hrefs[1]
    assert client.get(hrefs[1]).status_code == 200


def test_the_map_escapes_content(client):
    data = roadmap_data(phases=1, steps=1)
    data["phases"][0]["title"] = "<b>Phase</b> & co"
    data["phases"][0]["steps"][0]["title"] = '<script>alert("x")</script>'
    load_roadmap(data)
    svg = the_map(client)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    assert "&lt;b&gt;Phase&lt;/b&gt; &amp; co" in svg


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_map_adds_no_query_whatever_the_roadmaps_size(
    size, client, django_assert_max_num_queries
):
    if size == "small":
        roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=1))
    else:
        roadmap = bulk_roadmap(phases=10, steps=50, milestones=1)  # 500 steps
    user = make_user()
    enrol(user, roadmap)
    client.force_login(user)
    # The cache key's versions, session and user, the roadmap and the enrolment, its content,
    # and the learner's progress, skips, notes, links, history and revisions.
    with django_assert_max_num_queries(17):
        svg = the_map(client, roadmap.slug)
    steps = 1 if size == "small" else 500
    assert len(links(svg)) == steps
    assert svg.count('class="map__edge') == steps - 1


def test_the_layout_is_worked_out_once_per_content_version(client, monkeypatch):
    calls = []
    layout = map_layout.layout

    def counting(phases):
        calls.append(phases)
        return layout(phases)

    monkeypatch.setattr(map_layout, "layout", counting)
    roadmap = load_roadmap(roadmap_data(phases=2, steps=2))
    the_map(client)
    for name in ("first", "second"):  # each their own page, all sharing one layout
        user = make_user(name)
        enrol(user, roadmap)
        client.force_login(user)
        the_map(client)
    assert len(calls) == 1

    step = Step.objects.get(key="step-1-1")
    step.title = "Renamed"
    step.save()
    assert links(the_map(client))[-1].startswith("Step 2.2: Renamed —")
    assert len(calls) == 2


def test_a_curator_previewing_a_draft_sees_its_map_without_states(client):
    load_roadmap(roadmap_data(phases=1, steps=2, status="draft"))
    curator = make_user("curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)
    response = client.get("/roadmaps/test-roadmap/preview/")
    svg = re.search(r'<svg class="map".*?</svg>', response.content.decode(), re.S).group(0)
    assert links(svg) == ["Step 1.1: Step 0.0", "Step 1.2: Step 0.1"]


def test_the_map_refreshes_itself_from_its_own_url_after_a_change(client):
    enrolled_learner(client, phases=1, steps=2)
    html = client.get("/roadmaps/test-roadmap/").content.decode()
    assert 'hx-get="/roadmaps/test-roadmap/map/" hx-trigger="progress-changed from:body"' in html
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})

    response = client.get("/roadmaps/test-roadmap/map/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert links(response.content.decode())[0] == "Step 1.1: Step 0.0 — in progress, next step"


def test_the_maps_own_url_shows_only_the_asking_learners_states(client):
    enrolled_learner(client, phases=1, steps=2, username="owner")
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    client.force_login(make_user("intruder"))
    svg = client.get("/roadmaps/test-roadmap/map/").content.decode()
    assert links(svg) == ["Step 1.1: Step 0.0", "Step 1.2: Step 0.1"]
    assert "hx-get" not in svg
    assert client.get("/roadmaps/no-such-roadmap/map/").status_code == 404


def test_the_pages_map_panel_is_the_panel_its_template_renders(client):
    """The roadmap page keeps the map's panel per process and puts each drawing in
    (fragments.map_panel); the map's own URL renders the template whole: the same HTML."""
    enrolled_learner(client, phases=2, steps=3)
    for key in (None, "step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        if key:
            client.post(tick_url(milestone(key)), {"done": "1"})
        page = client.get("/roadmaps/test-roadmap/").content.decode()
        alone = client.get("/roadmaps/test-roadmap/map/").content.decode()
        assert alone.lstrip().startswith('<div id="map"')
        assert alone.strip() in page
    client.logout()
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    alone = client.get("/roadmaps/test-roadmap/map/").content.decode()
    assert "map-legend" not in alone
    assert alone.strip() in page


def test_the_map_panel_is_rendered_once_for_all_the_drawings(client, monkeypatch):
    enrolled_learner(client, phases=2, steps=3)
    rendered = fragment_renders(monkeypatch)
    drawings = set()
    for key in ("step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        client.post(tick_url(milestone(key)), {"done": "1"})
        drawings.add(the_map(client))

    assert len(drawings) == 3
    assert rendered.count(partials.MAP) == 1


def test_the_maps_own_url_shares_the_pages_kept_panel(client, monkeypatch):
    enrolled_learner(client, phases=2, steps=3)
    client.get("/roadmaps/test-roadmap/")  # the page keeps the map's panel
    rendered = fragment_renders(monkeypatch)

    alone = client.get("/roadmaps/test-roadmap/map/").content.decode()

    assert alone.lstrip().startswith('<div id="map"')
    assert partials.MAP not in rendered
