"""Lines and panels each process keeps rendered (roadmap/fragments.py says by what):

- `{% milestone_line milestone %}`: a milestone's line (partials.MILESTONE) for the page in
  the context (`page`, whose enrolment and roadmap it reads, and `here`); `page=` names
  another page object, as the dashboard's plan does;
- `{% map_panel map %}`: the map's panel (partials.MAP) around a pages.RoadmapMap's drawing;
- `{% step_status step %}`, `{% phase_progress phase %}`, `{% overall_progress page %}` and
  `{% announcer page %}`: progress (pages.StepStatus, PhaseProgress, OverallProgress,
  Announcement), out of band where the context says `oob`.
"""

from django import template

from roadmap import fragments, pages

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


@register.simple_tag
def map_panel(drawn):
    return fragments.map_panel(drawn)


def _progress_tag(kind):
    def tag(context, shown):
        return fragments.shown(kind.of(shown, context.get("oob")))

    return tag


for _name, _kind in (
    ("step_status", pages.StepStatus),
    ("phase_progress", pages.PhaseProgress),
    ("overall_progress", pages.OverallProgress),
    ("announcer", pages.Announcement),
):
    register.simple_tag(_progress_tag(_kind), takes_context=True, name=_name)
