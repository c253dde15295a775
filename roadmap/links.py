"""URLs reversed once per process: what `reverse` gives, for the pages and fragments rendered
on every view after a change (a milestone's tick form, the learner's progress, history,
outline and map).

A URL is named for good by the URL configuration, the script prefix, the view's name and its
arguments, so a process's copy cannot be stale. Reversing (django.urls.reverse) took longer
than the rest of a milestone's line.
"""

from django.urls import get_script_prefix, get_urlconf, reverse

from roadmap.kept import Kept

_urls = Kept(8192)  # a few hundred milestones and steps per roadmap, a few roadmaps


def link(view_name, *args):
    """reverse(view_name, args=args), kept."""
    key = (get_urlconf(), get_script_prefix(), view_name, args)
    return _urls.through(key, lambda: reverse(view_name, args=args))
