"""`{% hole "name" %}…{% endhole %}`: a part of a page that changes with the learner's
progress, in a page whose rest (its frame) does not (roadmap/fragments.py: render_framed).

Rendered normally, a hole renders what it holds, so a page with holes reads as any other.
While a frame is rendered, a hole renders only a marker where it goes; the holes are then
rendered on their own, with the page's whole context, each time the page is.
"""

from django import template

from roadmap import fragments

register = template.Library()


class HoleNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        if context.get(fragments.FRAMING):
            return fragments.hole_marker(self.name)
        return self.nodelist.render(context)


@register.tag
def hole(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% hole "name" %}…{% endhole %}')
    name = bits[1][1:-1]
    if not fragments.HOLE_NAME.fullmatch(name):
        raise template.TemplateSyntaxError(f"A hole's name is lower-case letters: {name!r}")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(name, nodelist)
