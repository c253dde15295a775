"""`{% link %}` gives what `{% url %}` gives, reversed once per process
(roadmap/links.py)."""

from django.template import engines
from django.urls import reverse, set_script_prefix

from roadmap import links


def render(source, **context):
    return engines["django"].from_string("{% load links %}" + source).render(context)


def test_a_link_is_the_url_the_url_tag_gives():
    source = (
        "{% VERB 'roadmap:milestone-tick' slug pk %}|{% VERB 'roadmap:history' slug as h %}{{ h }}"
    )
    context = {"slug": "machine-learning", "pk": 12}

    linked = render(source.replace("VERB", "link"), **context)

    assert linked == render(source.replace("VERB", "url"), **context)
    assert linked == (
        reverse("roadmap:milestone-tick", args=["machine-learning", 12])
        + "|"
        + reverse("roadmap:history", args=["machine-learning"])
    )


def test_a_link_is_reversed_once_then_kept(monkeypatch):
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return reverse(*args, **kwargs)

    monkeypatch.setattr(links, "reverse", counting)
    for __ in range(3):
        render("{% link 'roadmap:history' 'kept-once' %}")

    assert len(calls) == 1


def test_a_link_follows_the_sites_prefix():
    source = "{% link 'roadmap:history' 'prefixed' %}"
    try:
        set_script_prefix("/learn/")
        under_prefix = render(source)
    finally:
        set_script_prefix("/")

    assert under_prefix == "/learn" + reverse("roadmap:history", args=["prefixed"])
    assert render(source) == reverse("roadmap:history", args=["prefixed"])
