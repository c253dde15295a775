"""`{% link %}`: what `{% url %}` gives, for the fragments rendered on every view after a change
(a milestone's tick form, the learner's progress, history and outline): the same URL, reversed
once per process instead of on every render.

A URL is named for good by the URL configuration, the script prefix, the view's name and its
arguments, so a process's copy cannot be stale. Reversing (django.urls.reverse) took longer
than the rest of a milestone's line.

    {% load links %}
    <form action="{% link 'roadmap:milestone-tick' page.roadmap.slug milestone.pk %}">
    {% link 'roadmap:step-detail' roadmap.slug step.key as step_url %}
"""

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse

from roadmap.kept import Kept

register = template.Library()

_urls = Kept(8192)  # a few hundred milestones and steps per roadmap, a few roadmaps


@register.simple_tag
def link(view_name, *args):
    key = (get_urlconf(), get_script_prefix(), view_name, args)
    url = _urls.get(key)
    if url is None:
        url = _urls.keep(key, reverse(view_name, args=args))
    return url
