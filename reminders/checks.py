"""A deployment check: links that leave the site (e-mails, calendar feeds) need SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Warn when the site serves public hosts but SITE_URL still names this machine: every
    link in a reminder e-mail or calendar entry would then lead nowhere."""
    url = urlsplit(settings.SITE_URL)
    public_hosts = [host for host in settings.ALLOWED_HOSTS if host.lstrip(".") not in LOCAL_HOSTS]
    if url.scheme not in ("http", "https") or not url.hostname:
        return [Warning("SITE_URL must be an absolute http(s) address.", id="reminders.W002")]
    if public_hosts and url.hostname in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL}, but the site serves {', '.join(public_hosts)}: "
                "links in reminder e-mails and calendar feeds would lead to this machine.",
                hint="Set SITE_URL to the public address, e.g. https://waypoint.example.org.",
                id="reminders.W001",
            )
        ]
    return []
