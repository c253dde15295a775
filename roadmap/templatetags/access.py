"""Template filters over roadmap.access, so templates ask the one rule rather than restate it."""

from django import template

from roadmap import access

register = template.Library()


@register.filter
def is_curator(user):
    return access.is_curator(user)
