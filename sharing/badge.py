"""The progress badge: a small stand-alone SVG (roadmap title, percent) for a README or a CV.

It is fetched as an image from other sites, so it carries its own colours (no stylesheet)
and every text is escaped. Widths are measured like the roadmap map's text (map_layout).
"""

from django.utils.html import format_html
from django.utils.translation import gettext as _

from roadmap.map_layout import clip, text_width

HEIGHT = 20
FONT = 11
PAD = 6
TITLE_MAX_WIDTH = 240  # a longer roadmap title is cut, with an ellipsis


def _width(text):
    return round(text_width(text, FONT)) + 2 * PAD


def progress_badge(title, percent):
    """The badge as SVG markup: the title on grey, the percent on green (blue under 100)."""
    title = clip(title, TITLE_MAX_WIDTH, FONT)
    value = _("%(percent)d%%") % {"percent": percent}
    left, right = _width(title), _width(value)
    label = _("%(roadmap)s: %(percent)d%% complete") % {"roadmap": title, "percent": percent}
    colour = "#1a7f37" if percent >= 100 else "#0969da"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        "<title>{label}</title>"
        '<rect width="{left}" height="{height}" fill="#3d444d"/>'
        '<rect x="{left}" width="{right}" height="{height}" fill="{colour}"/>'
        '<g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="{font}">'
        '<text x="{title_x}" y="14">{title}</text>'
        '<text x="{value_x}" y="14" text-anchor="middle">{value}</text>'
        "</g></svg>",
        width=left + right,
        height=HEIGHT,
        label=label,
        left=left,
        right=right,
        colour=colour,
        font=FONT,
        title_x=PAD,
        title=title,
        value_x=left + right / 2,
        value=value,
    )
