"""Two gunicorn servers on one database (and Redis): a tick through A shows at once on B, and
so does an edit of an own roadmap made in A's editor.

The servers run the production profile against the test database, so this runs on SQLite
(one shared file in WAL mode) and, in CI, on PostgreSQL.
"""

import os
import re

import pytest

from roadmap import learning
from roadmap.content import validate
from roadmap.models import Enrollment, Milestone, Step
from roadmap.ownership import create_own_roadmap
from tests.factories import load_roadmap, make_user, roadmap_data
from tests.scale.servers import PRODUCTION, Browser, database_url, percent, start_gunicorn, stop


@pytest.fixture
def servers(transactional_db, static_files):
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": database_url()}
    processes, urls = [], []
    try:
        for __ in range(2):
            process, url = start_gunicorn(env)
            processes.append(process)
            urls.append(url)
        yield urls
    finally:
        for process in processes:
            stop(process)


def test_a_tick_on_server_a_shows_at_once_on_server_b(servers):
    a, b = servers
    roadmap = load_roadmap(roadmap_data(phases=1, steps=1, milestones=4))
    user = make_user()
    learning.enrol(user, roadmap)
    browser = Browser()
    browser.log_in(a)

    assert percent(browser.get(f"{b}/roadmaps/test-roadmap/")) == 0  # B knows my session
    page = browser.get(f"{a}/roadmaps/test-roadmap/")
    tick_url = re.search(r'action="(/roadmaps/test-roadmap/milestones/\d+/)"', page).group(1)
    browser.post(f"{a}{tick_url}", {"done": "1"}, page)

    assert percent(browser.get(f"{b}/roadmaps/test-roadmap/")) == 25
    assert 'id="dashboard-percent">25%<' in browser.get(f"{b}/dashboard/test-roadmap/")


def test_an_edit_in_server_a_editor_shows_at_once_on_server_b(servers):
    """B's roadmap and step pages, cached before the edit, are never served stale after it:
    a step renamed and a milestone added through A's editor show on B's next request."""
    a, b = servers
    user = make_user()
    roadmap = create_own_roadmap(user, validate(roadmap_data(slug="mine", phases=1, steps=2)))
    enrollment = Enrollment.objects.get(user=user, roadmap=roadmap)
    learning.set_milestone(
        enrollment, Milestone.objects.get(roadmap=roadmap, key="step-0-0-m0"), True
    )
    page_url, step_url = roadmap.get_absolute_url(), f"{roadmap.get_absolute_url()}steps/step-0-0/"
    next_step_url = f"{roadmap.get_absolute_url()}steps/step-0-1/"
    editor_url = f"/my/roadmaps/{roadmap.slug}/edit/steps/step-0-0/"
    browser = Browser()
    browser.log_in(a)

    # B has rendered (and cached) the pages before the edits.
    assert percent(browser.get(f"{b}{page_url}")) == 25
    assert '<h1 id="step-title">Step 0.0</h1>' in browser.get(f"{b}{step_url}")
    assert "Step 0.0</a>" in browser.get(f"{b}{next_step_url}")  # its prerequisite

    editor = browser.get(f"{a}{editor_url}")
    fields = {"action": "save", "title": "Renamed on A", "summary": "Learn it.", "hours": "3"}
    browser.post(f"{a}{editor_url}", fields, editor)
    assert Step.objects.get(roadmap=roadmap, key="step-0-0").title == "Renamed on A"

    page = browser.get(f"{b}{page_url}")
    assert ">Renamed on A</a>" in page
    assert ">Step 0.0<" not in page
    assert percent(page) == 25
    assert '<h1 id="step-title">Renamed on A</h1>' in browser.get(f"{b}{step_url}")
    assert "Renamed on A</a>" in browser.get(f"{b}{next_step_url}")

    editor = browser.get(f"{a}{editor_url}")
    version = re.search(r'name="version" value="(\d+)"', editor).group(1)
    browser.post(f"{a}{editor_url}milestones/", {"title": "Added on A", "version": version}, editor)
    assert Milestone.objects.filter(roadmap=roadmap, title="Added on A").exists()

    assert percent(browser.get(f"{b}{page_url}")) == 20  # 1 of 5 milestones now
    step_page = browser.get(f"{b}{step_url}")
    labels = re.findall(r'<span class="tick__label">([^<]+)</span>', step_page)
    assert labels == ["Milestone 0 of step-0-0", "Milestone 1 of step-0-0", "Added on A"]
