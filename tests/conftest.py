from pathlib import Path

import pytest

from roadmap.content import load_files
from roadmap.models import Roadmap

SHIPPED = Path(__file__).resolve().parent.parent / "content" / "roadmaps"
ML_ROADMAP = SHIPPED / "machine-learning-engineer.yaml"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords quickly; production keeps Django's slow, strong default."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (rolled-back tests can reuse ids and times)."""
    from django.core.cache import cache

    from roadmap import kept

    cache.clear()
    kept.forget_all()


@pytest.fixture
def ml_roadmap(db):
    """The shipped Machine Learning Engineer roadmap, loaded through the real loader."""
    load_files([ML_ROADMAP])
    return Roadmap.objects.get(slug="machine-learning-engineer")


def pytest_terminal_summary(terminalreporter):
    """Say loudly when the browser tests did not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("Browser tests need Chromium" in str(report.longrepr) for report in skipped):
        from tests.browser.conftest import MISSING

        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(MISSING, red=True, bold=True)
