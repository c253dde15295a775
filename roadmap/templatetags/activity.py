"""The history list's entries, rendered once each and cached (roadmap/history.py)."""

from django import template

from roadmap import history

register = template.Library()


@register.simple_tag
def history_entries(entries):
    return history.entries_html(entries)
