"""Two gunicorn servers on one database (and Redis): a tick through A shows at once on B.

The servers run the production profile against the test database, so this runs on SQLite
(one shared file in WAL mode) and, in CI, on PostgreSQL.
"""

import os
import re

import pytest

from roadmap import learning
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
