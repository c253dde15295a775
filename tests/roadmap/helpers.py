"""Shared set-up for learner tests: a small published roadmap and an enrolled learner."""

from django.urls import reverse

from roadmap import fragments
from roadmap.models import Milestone
from tests.factories import enrol, load_roadmap, make_user, roadmap_data


def enrolled_learner(client, phases=2, steps=2, milestones=2, username="learner"):
    roadmap = load_roadmap(roadmap_data(phases=phases, steps=steps, milestones=milestones))
    user = make_user(username)
    enrollment = enrol(user, roadmap)
    client.force_login(user)
    return enrollment


def tick_url(milestone):
    return reverse("roadmap:milestone-tick", args=[milestone.roadmap.slug, milestone.pk])


def milestone(key):
    return Milestone.objects.select_related("roadmap").get(key=key)


HTMX = {"HTTP_HX_REQUEST": "true"}


def fragment_renders(monkeypatch):
    """The templates roadmap/fragments.py renders from here on, in order (they still render)."""
    rendered = []
    render = fragments.render_to_string

    def counting(template, *args, **kwargs):
        rendered.append(template)
        return render(template, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    return rendered
