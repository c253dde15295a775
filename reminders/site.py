"""Absolute links for what leaves the site (e-mails, calendar feeds): SITE_URL plus a path."""

from django.conf import settings


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path
