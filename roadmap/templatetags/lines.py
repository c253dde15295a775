"""`{% milestone_line milestone %}`: a milestone's line (partials.MILESTONE) for the page in the
context (`page`, whose enrolment and roadmap it reads, and `here`), kept per process
(roadmap/fragments.py: milestone_line). `page=` names another page object, as the dashboard's
plan does.
"""

from django import template

from roadmap import fragments

register = template.Library()


def _read(page, name):
    return page[name] if isinstance(page, dict) else getattr(page, name)


@register.simple_tag(takes_context=True)
def milestone_line(context, milestone, page=None):
    page = context["page"] if page is None else page
    return fragments.milestone_line(
        milestone,
        _read(page, "enrollment"),
        _read(page, "roadmap").slug,
        context.get("here"),
        context.get("csrf_token"),
    )
