"""Template tags that draw the server-side SVG charts of `roadmap.svg`."""

from django import template
from django.utils.translation import gettext as _

from roadmap import svg

register = template.Library()


@register.simple_tag
def progress_ring(percent, label, ident):
    return svg.ring(percent, label, ident)


@register.simple_tag
def skill_bars(skills, ident):
    items = [(skill.name, skill.percent, f"{skill.percent}%") for skill in skills]
    return svg.bars(items, _("Share of each skill's milestones done or skipped"), ident)


@register.simple_tag
def phase_bars(phases, ident):
    items = [(phase.title, phase.tally.percent, f"{phase.tally.percent}%") for phase in phases]
    return svg.bars(items, _("Percent complete in each phase"), ident)


@register.simple_tag
def activity_heatmap(columns, summary, ident):
    return svg.heatmap(columns, summary, ident)


@register.simple_tag
def funnel_bars(phases, learners, ident):
    from roadmap.progress import percent

    items = [
        (phase.phase.title, percent(phase.finished, learners), f"{phase.finished}/{learners}")
        for phase in phases
    ]
    return svg.bars(items, _("Share of learners through each whole phase"), ident)
