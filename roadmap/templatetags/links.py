"""`{% link %}`: what `{% url %}` gives, reversed once per process (roadmap/links.py), for the
fragments rendered on every view after a change.

    {% load links %}
    <form action="{% link 'roadmap:milestone-tick' page.roadmap.slug milestone.pk %}">
    {% link 'roadmap:step-detail' roadmap.slug step.key as step_url %}
"""

from django import template

from roadmap import links

register = template.Library()

register.simple_tag(links.link, name="link")
