"""A link to a learner's own roadmap may show the roadmap only, without their progress: the
choice on the share controls, what each choice shows, the badge, the cache, and who may choose.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmap import learning
from roadmap.content import validate
from roadmap.models import Enrollment, Milestone, Step
from roadmap.ownership import create_own_roadmap
from sharing import links
from sharing.models import Share
from tests.factories import make_user, roadmap_data
from tests.roadmap.helpers import HTMX, enrolled_learner
from tests.sharing.helpers import LINK, badge_url, make_link, page_url, settings_url

pytestmark = pytest.mark.django_db

NOTE = "zebra-note-7431 my private thoughts"
LINK_TITLE = "okapi-link-9921"
LINK_URL = "https://private.example/okapi-9921"
# What only a page with progress shows: state classes, percents, tallies, the map's marks.
PROGRESS_SIGNS = re.compile(
    r"step--|state--|map__node--|map__state|<progress|percent|%|\bdone\b|skipped|"
    r"not started|in progress|Finished|The next step|complete",
    re.IGNORECASE,
)


def own(user, slug="rust", **size):
    return create_own_roadmap(user, validate(roadmap_data(slug=slug, **size)))


def make_roadmap_link(client, slug):
    """Make a link that shows the roadmap only, as the controls' first form does."""
    response = client.post(settings_url(slug), {"action": "new", "shows": "roadmap"}, follow=True)
    assert response.status_code == 200
    return LINK.search(response.content.decode()).group(1)


def choose(client, slug, shows, **extra):
    return client.post(settings_url(slug), {"action": "shows", "shows": shows}, **extra)


def main_part(html):
    """The page without the site's header and footer (which say nothing of the learner)."""
    return html.split('<main id="main"')[1].split("</main>")[0]


def shares():
    return list(Share.objects.order_by("pk").values())


@pytest.fixture
def owner(client):
    """A learner with an own roadmap with some of everything on it: ticks, a skip, a note, a
    link. Returns (roadmap, enrollment)."""
    user = make_user("wombat-5521")
    client.force_login(user)
    roadmap = own(user)
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    step = Step.objects.get(roadmap=roadmap, key="step-0-0")
    for key in ("step-0-0-m0", "step-0-0-m1", "step-0-1-m0"):
        learning.set_milestone(enrollment, Milestone.objects.get(roadmap=roadmap, key=key), True)
    learning.set_skipped(enrollment, [Step.objects.get(roadmap=roadmap, key="step-1-0")], True)
    learning.save_note(enrollment, step, NOTE)
    learning.add_link(enrollment, step, LINK_TITLE, LINK_URL)
    return roadmap, enrollment


def test_an_own_roadmaps_controls_offer_the_choice_and_a_curated_ones_do_not(client, owner):
    roadmap, __ = owner

    mine = client.get(settings_url(roadmap.slug)).content.decode()
    enrolled_learner(client, username="curated-learner")
    curated = client.get(settings_url()).content.decode()

    assert "What the link shows" in mine
    assert 'name="shows" value="progress" checked' in mine
    assert 'name="shows" value="roadmap"' in mine
    assert "Share your roadmap" in mine
    assert "What the link shows" not in curated
    assert 'name="shows"' not in curated


def test_a_first_link_shows_progress_unless_told_otherwise(client, owner):
    roadmap, enrollment = owner

    make_link(client, roadmap.slug)

    assert Share.objects.get(enrollment=enrollment).shows == Share.Shows.PROGRESS


def test_the_roadmap_only_shows_the_content_and_no_progress(client, owner):
    roadmap, enrollment = owner
    token = make_roadmap_link(client, roadmap.slug)

    response = Client().get(page_url(token))

    html = response.content.decode()
    page = " ".join(main_part(html).split())
    assert response.status_code == 200
    assert Share.objects.get(enrollment=enrollment).shows == Share.Shows.ROADMAP
    assert "Shared roadmap · read-only" in page
    assert "<h1>Roadmap rust</h1>" in page
    assert "A roadmap for tests." in page
    assert "2 phases · 4 steps · 8 milestones · about 40 hours" in page
    assert "Phase 1</span> Phase 0" in page
    assert '<span class="step__number">1.2</span> Step 0.1' in page
    assert "Learn a thing." in page
    assert "2 milestones · about 10 hours" in page
    assert "Milestone 1 of step-1-1" in page
    assert 'Before this step: <a href="#step-step-1-0">2.1 Step 1.0</a>' in page
    assert '<a href="https://example.com/docs" rel="noopener nofollow">Docs</a>' in page
    assert "Documentation" in page
    assert "Map of Roadmap rust: 4 steps" in page
    assert PROGRESS_SIGNS.search(page) is None, PROGRESS_SIGNS.search(page)


def test_the_roadmap_only_links_nowhere_its_owner_alone_may_go(client, owner):
    roadmap, __ = owner
    token = make_roadmap_link(client, roadmap.slug)

    page = Client().get(page_url(token)).content.decode()

    assert f"/roadmaps/{roadmap.slug}/" not in page
    assert 'href="#step-step-0-0"' in page  # the map leads to the step on this page
    assert 'id="step-step-0-0"' in page


def test_the_progress_page_of_an_own_roadmap_links_nowhere_its_owner_alone_may_go(client, owner):
    roadmap, __ = owner
    token = make_link(client, roadmap.slug)

    page = Client().get(page_url(token)).content.decode()

    assert "step--done" in page
    assert f"/roadmaps/{roadmap.slug}/" not in page
    assert 'href="#step-step-0-0"' in page
    assert 'id="step-step-0-0"' in page


def test_the_roadmap_only_never_shows_notes_links_who_it_is_or_when(client, owner):
    roadmap, enrollment = owner
    user = enrollment.user
    user.display_name = "Quokka Displayname"
    user.save()
    token = make_roadmap_link(client, roadmap.slug)
    today = timezone.localdate()

    page = Client().get(page_url(token)).content.decode()

    for secret in (NOTE, "zebra-note", LINK_TITLE, LINK_URL, "okapi", user.username, user.email):
        assert secret not in page, secret
    assert "Quokka" not in page
    assert "<time" not in page
    assert str(today.year) not in page.split('<footer class="site-footer">')[0]
    assert today.strftime("%B") not in page


def test_changing_the_choice_keeps_the_link_and_switches_what_it_shows(client, owner):
    roadmap, __ = owner
    token = make_link(client, roadmap.slug)
    visitor = Client()
    fingerprint = Share.objects.get().token_hash

    with_progress = visitor.get(page_url(token)).content.decode()
    chosen = choose(client, roadmap.slug, "roadmap")
    roadmap_only = visitor.get(page_url(token)).content.decode()
    choose(client, roadmap.slug, "progress")
    progress_again = visitor.get(page_url(token)).content.decode()

    assert chosen.status_code == 302
    assert Share.objects.get().token_hash == fingerprint
    assert Share.objects.count() == 1
    assert 'id="shared-percent">62%' in with_progress  # 3 done + 2 skipped of 8
    assert PROGRESS_SIGNS.search(main_part(with_progress))  # the check can fail
    assert "shared-percent" not in roadmap_only
    assert PROGRESS_SIGNS.search(main_part(roadmap_only)) is None
    assert 'id="shared-percent">62%' in progress_again
    controls = client.get(settings_url(roadmap.slug)).content.decode()
    assert "It shows the roadmap with your progress." in controls


def test_with_htmx_the_choice_swaps_the_controls_in_place(client, owner):
    roadmap, __ = owner
    token = make_link(client, roadmap.slug)

    response = choose(client, roadmap.slug, "roadmap", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="share-controls"')
    assert "Your link now shows the roadmap only" in html
    assert 'name="shows" value="roadmap" checked' in html
    assert token not in html
    assert "shared-percent" not in Client().get(page_url(token)).content.decode()


def test_without_javascript_the_choice_redirects_back_with_a_message(client, owner):
    roadmap, __ = owner
    make_link(client, roadmap.slug)

    response = choose(client, roadmap.slug, "roadmap", follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(settings_url(roadmap.slug), 302)]
    assert "Your link now shows the roadmap only" in html
    assert "It shows the roadmap only, without your progress." in html
    assert 'name="shows" value="roadmap" checked' in html


def test_a_new_link_keeps_the_choice_and_the_old_link_stops_working(client, owner):
    roadmap, __ = owner
    old = make_roadmap_link(client, roadmap.slug)

    response = client.post(settings_url(roadmap.slug), {"action": "new"}, follow=True)

    html = response.content.decode()
    new = LINK.search(html).group(1)
    assert Share.objects.get().shows == Share.Shows.ROADMAP
    assert Client().get(page_url(old)).status_code == 404
    assert "shared-percent" not in Client().get(page_url(new)).content.decode()
    assert "not your progress" in html
    assert 'id="share-badge"' not in html  # no badge to copy while it shows no progress
    assert "No progress badge while the link shows the roadmap only" in html


def test_the_badge_is_a_404_while_the_link_shows_the_roadmap_only(client, owner):
    roadmap, __ = owner
    token = make_roadmap_link(client, roadmap.slug)
    visitor = Client()

    hidden = visitor.get(badge_url(token))
    choose(client, roadmap.slug, "progress")
    shown = visitor.get(badge_url(token))

    assert hidden.status_code == 404
    assert shown.status_code == 200
    assert ">62%</text>" in shown.content.decode()


def test_the_roadmap_only_page_keeps_the_privacy_headers_and_noindex_choice(client, owner):
    roadmap, __ = owner
    token = make_roadmap_link(client, roadmap.slug)
    visitor = Client()

    private = visitor.get(page_url(token))
    client.post(settings_url(roadmap.slug), {"action": "indexing", "allow_indexing": "1"})
    listed = visitor.get(page_url(token))

    assert private["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in private.content.decode()
    assert "X-Robots-Tag" not in listed
    assert 'name="robots"' not in listed.content.decode()
    for response in (private, listed):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "private, no-cache"


def test_a_revoked_or_wrong_roadmap_only_link_is_a_404(client, owner):
    roadmap, __ = owner
    token = make_roadmap_link(client, roadmap.slug)
    visitor = Client()
    assert visitor.get(page_url(token)).status_code == 200  # and now in the cache
    wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    client.post(settings_url(roadmap.slug), {"action": "revoke"})

    for link in (token, wrong):
        assert visitor.get(page_url(link)).status_code == 404
        assert visitor.get(badge_url(link)).status_code == 404


def test_a_cached_roadmap_only_page_is_never_stale(client, owner):
    roadmap, enrollment = owner
    token = make_roadmap_link(client, roadmap.slug)
    visitor = Client()
    visitor.get(page_url(token))  # cached
    step = Step.objects.get(roadmap=roadmap, key="step-0-1")

    step.title = "Ownership and borrowing"
    step.save()
    renamed = visitor.get(page_url(token)).content.decode()
    learning.set_milestone(
        enrollment, Milestone.objects.get(roadmap=roadmap, key="step-1-1-m0"), True
    )
    choose(client, roadmap.slug, "progress")
    progress = visitor.get(page_url(token)).content.decode()

    assert "Ownership and borrowing" in renamed
    assert "Step 0.1" not in renamed
    assert 'id="shared-percent">75%' in progress  # 4 done + 2 skipped of 8


def test_user_text_on_the_roadmap_only_page_is_escaped(client, owner):
    roadmap, __ = owner
    Step.objects.filter(roadmap=roadmap, key="step-0-0").update(
        title='<script>alert("x")</script>', summary="<b>bold</b> & co"
    )
    roadmap.title = "<i>mine</i>"
    roadmap.save()  # raises the content version, as every content change does
    token = make_roadmap_link(client, roadmap.slug)

    page = Client().get(page_url(token)).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert "<i>mine</i>" not in page


def test_the_export_says_what_the_link_shows(client, owner):
    roadmap, __ = owner
    make_roadmap_link(client, roadmap.slug)

    document = json.loads(client.post(reverse("accounts:export")).content)

    assert document["enrolments"][0]["shared_link"]["shows"] == "roadmap"


# Bad input: a clear answer, and nothing changes -------------------------------------------


def test_a_curated_roadmaps_link_cannot_show_the_roadmap_only(client):
    enrollment = enrolled_learner(client)
    make_link(client)
    before = shares()

    chosen = client.post(settings_url(), {"action": "shows", "shows": "roadmap"})
    made = client.post(settings_url(), {"action": "new", "shows": "roadmap"})

    assert chosen.status_code == made.status_code == 400
    assert shares() == before
    assert Share.objects.get(enrollment=enrollment).shows == Share.Shows.PROGRESS
    with pytest.raises(ValueError, match="cannot show"):
        links.set_shows(enrollment, Share.Shows.ROADMAP)


@pytest.mark.parametrize("shows", ["", "everything", "ROADMAP"])
def test_an_unknown_choice_is_refused_and_changes_nothing(client, owner, shows):
    roadmap, __ = owner
    make_link(client, roadmap.slug)
    before = shares()

    assert choose(client, roadmap.slug, shows).status_code == 400
    assert client.post(settings_url(roadmap.slug), {"action": "shows"}).status_code == 400
    assert shares() == before


def test_choosing_before_a_link_is_made_is_refused(client, owner):
    roadmap, __ = owner

    assert choose(client, roadmap.slug, "roadmap").status_code == 400
    assert not Share.objects.exists()


def test_choosing_twice_in_two_tabs_keeps_one_link(client, owner):
    roadmap, __ = owner
    token = make_link(client, roadmap.slug)

    choose(client, roadmap.slug, "roadmap")
    choose(client, roadmap.slug, "roadmap")

    assert Share.objects.count() == 1
    assert Client().get(page_url(token)).status_code == 200


# Access ---------------------------------------------------------------------------------


def _curator():
    user = make_user("curator", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.mark.parametrize("who", ["anonymous", "another learner", "a curator"])
def test_nobody_but_the_owner_can_change_the_choice(client, owner, who):
    roadmap, __ = owner
    token = make_link(client, roadmap.slug)
    before = shares()
    other = Client()
    if who == "another learner":
        other.force_login(make_user("stranger"))
    elif who == "a curator":
        other.force_login(_curator())
    missing = settings_url("rust_00000000")

    for data in ({"action": "shows", "shows": "roadmap"}, {"action": "new", "shows": "roadmap"}):
        response = other.post(settings_url(roadmap.slug), data)
        if who == "anonymous":
            expected = other.post(missing, data)
            assert response.status_code == expected.status_code == 302
            assert response.url == expected.url.replace("rust_00000000", roadmap.slug)
            assert response.url.startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 404, data
    assert shares() == before
    assert 'id="shared-percent"' in Client().get(page_url(token)).content.decode()


# Queries --------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _counts(size, steps):
    user = make_user(f"owner-{size}")
    roadmap = create_own_roadmap(
        user, validate(roadmap_data(slug="mine", phases=10, steps=steps, milestones=3))
    )
    enrollment = Enrollment.objects.get(roadmap=roadmap)
    token = links.issue(enrollment, Share.Shows.ROADMAP)
    visitor = Client()
    cold = _count(visitor, page_url(token))
    warm = _count(visitor, page_url(token))
    links.set_shows(enrollment, Share.Shows.PROGRESS)
    progress = _count(visitor, page_url(token))
    return cold, warm, progress


def test_the_shared_page_runs_as_many_queries_on_a_small_and_a_150_step_own_roadmap():
    small = _counts("small", 1)  # 10 steps
    large = _counts("large", 15)  # 150 steps

    assert small == large
    cold, warm, progress = large
    assert cold <= 7  # the share, the roadmap's content (then cached), the map's layout
    assert warm <= 1  # the share: the page itself comes from the cache
    assert progress <= 3
