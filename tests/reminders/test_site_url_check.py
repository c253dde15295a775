"""The deployment check that catches a SITE_URL left at this machine's address."""

import pytest

from reminders.checks import site_url_is_public


@pytest.mark.parametrize(
    ("site_url", "hosts", "ids"),
    [
        ("http://127.0.0.1:8000", ["waypoint.example"], ["reminders.W001"]),
        ("http://localhost:8000", [".waypoint.example", "localhost"], ["reminders.W001"]),
        ("https://waypoint.example", ["waypoint.example"], []),
        ("http://127.0.0.1:8000", ["127.0.0.1", "localhost"], []),  # `make serve` on a laptop
        ("waypoint.example", ["waypoint.example"], ["reminders.W002"]),
        ("ftp://waypoint.example", ["waypoint.example"], ["reminders.W002"]),
    ],
)
def test_site_url_must_name_the_public_host(settings, site_url, hosts, ids):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = hosts
    assert [warning.id for warning in site_url_is_public(None)] == ids
