"""versions.release: the keys of rendered HTML name the deployment's templates and code, so a
deploy never serves what an older one left in a shared cache."""

import pytest
from django.test import Client

from roadmap import partials, versions
from roadmap.history import HistoryEntry
from tests.roadmap.helpers import enrolled_learner, fragment_renders


@pytest.fixture
def project(tmp_path, settings):
    """A project folder of its own for release(), and release() worked out afresh."""
    (tmp_path / "templates" / "roadmap").mkdir(parents=True)
    (tmp_path / "templates" / "roadmap" / "line.html").write_text("<li>{{ step.title }}</li>")
    (tmp_path / "roadmap").mkdir()
    (tmp_path / "roadmap" / "pages.py").write_text("TITLE = 'x'\n")
    settings.BASE_DIR = tmp_path
    versions.release.cache_clear()
    yield tmp_path
    versions.release.cache_clear()


def test_the_release_follows_every_template_and_source_file(project):
    first = versions.release()
    assert versions.release.__wrapped__() == first  # the same files, the same release

    (project / "templates" / "roadmap" / "line.html").write_text("<li>{{ step.number }}</li>")
    changed_template = versions.release.__wrapped__()
    (project / "roadmap" / "pages.py").write_text("TITLE = 'y'\n")
    changed_code = versions.release.__wrapped__()
    (project / "static").mkdir()
    (project / "static" / "app.css").write_text("body { color: black }")
    added_static = versions.release.__wrapped__()

    assert len({first, changed_template, changed_code, added_static}) == 4


def test_compiled_python_does_not_change_the_release(project):
    first = versions.release.__wrapped__()
    (project / "roadmap" / "__pycache__").mkdir()
    (project / "roadmap" / "__pycache__" / "pages.cpython-311.pyc").write_bytes(b"\0\1\2")

    assert versions.release.__wrapped__() == first


def test_a_file_moved_between_folders_changes_the_release(project):
    first = versions.release.__wrapped__()
    line = project / "templates" / "roadmap" / "line.html"
    line.rename(project / "templates" / "line.html")

    assert versions.release.__wrapped__() != first


def test_every_key_of_rendered_html_names_the_release(monkeypatch):
    entry = HistoryEntry(1, "ticked", None, "A milestone", "A step")

    def keys():
        return [
            versions.page_key(["roadmap", 1, 2]),
            versions.frame_key(("a frame",)),
            versions.history_key(entry),
        ]

    monkeypatch.setattr(versions, "release", lambda: "older")
    older = keys()
    monkeypatch.setattr(versions, "release", lambda: "newer")
    newer = keys()

    assert all(old != new for old, new in zip(older, newer, strict=True))


@pytest.mark.django_db
def test_a_page_an_older_release_cached_is_rendered_again_by_a_newer_one(monkeypatch):
    client = Client()
    enrollment = enrolled_learner(client)
    url = enrollment.roadmap.get_absolute_url()
    monkeypatch.setattr(versions, "release", lambda: "older")
    client.get(url)  # rendered and cached by the older release
    rendered = fragment_renders(monkeypatch)

    client.get(url)
    assert rendered == []  # the same release: from the cache

    monkeypatch.setattr(versions, "release", lambda: "newer")
    response = client.get(url)

    assert response.status_code == 200
    assert partials.ROADMAP_PAGE in rendered  # its frame rendered again, not the older one's
    assert partials.OUTLINE_PHASE in rendered
