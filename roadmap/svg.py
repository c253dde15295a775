"""Inline SVG drawn on the server: a progress ring, bars, a year heatmap and the roadmap map.

No chart library, no canvas, no script. Every chart is an `<svg role="img">` with a `<title>`
(its text alternative); colours come from CSS classes so the site's light and dark themes
apply; sizes use a viewBox so charts shrink to a 360 px screen.
"""

import functools
from html import escape as _escape  # Django's escape, without its per-call wrapping

from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from roadmap.map_layout import StepMark, clip, text_width

RING_RADIUS = 42
CELL = 11  # heatmap cell size, with a 2 px gap
GAP = 2
LABEL_WIDTH = 36


def ring(percent, label, ident):
    """A circular progress ring with the percent in the middle."""
    percent = max(0, min(100, int(percent)))
    circumference = 2 * 3.14159265 * RING_RADIUS
    filled = circumference * percent / 100
    return format_html(
        '<svg class="chart ring" viewBox="0 0 100 100" width="120" height="120" role="img" '
        'aria-labelledby="{ident}-title">'
        '<title id="{ident}-title">{label}</title>'
        '<circle class="ring__track" cx="50" cy="50" r="{r}" />'
        '<circle class="ring__value" cx="50" cy="50" r="{r}" '
        'stroke-dasharray="{filled} {circumference}" transform="rotate(-90 50 50)" />'
        '<text class="ring__text" x="50" y="50" text-anchor="middle" dominant-baseline="central">'
        "{percent}%</text></svg>",
        ident=ident,
        label=label,
        r=RING_RADIUS,
        filled=f"{filled:.2f}",
        circumference=f"{circumference:.2f}",
        percent=percent,
    )


def bars(items, title, ident, width=360):
    """Horizontal bars, one per (label, percent, caption) item, as one accessible image."""
    return _bars(tuple(items), str(title), ident, width)


# Pure: after a tick most of a dashboard's bar charts are drawn again unchanged.
@functools.lru_cache(maxsize=4096)
def _bars(items, title, ident, width):
    row = 38
    height = max(row * len(items), row)
    rows = []
    for index, (label, percent, caption) in enumerate(items):
        y = index * row
        rows.append(
            format_html(
                '<g class="bar"><text class="bar__label" x="0" y="{ty}">{label}</text>'
                '<text class="bar__caption" x="{width}" y="{ty}" text-anchor="end">{caption}'
                "</text>"
                '<rect class="bar__track" x="0" y="{by}" width="{width}" height="8" rx="4" />'
                '<rect class="bar__value" x="0" y="{by}" width="{value}" height="8" rx="4" />'
                "</g>",
                ty=y + 15,
                by=y + 22,
                label=label,
                caption=caption,
                width=width,
                value=f"{width * max(0, min(100, percent)) / 100:.1f}",
            )
        )
    return format_html(
        '<svg class="chart bars" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{ident}-title"><title id="{ident}-title">{title}</title>{rows}</svg>',
        width=width,
        height=height,
        ident=ident,
        title=title,
        rows=mark_safe("".join(rows)),
    )


# One week of the heatmap: after a tick only the current week's column changes, so the other
# 52 come from here (bounded: a year of weeks for a few hundred learners per process).
@functools.lru_cache(maxsize=16384)
def _heat_column(x, top, days, language):
    cells = []
    tips = {}  # count -> its translated sentence: a week shares a handful of counts
    for weekday, (day, count, level) in enumerate(days):
        date = day.isoformat()
        if count not in tips:
            tips[count] = ngettext(
                "%(date)s: %(count)d milestone", "%(date)s: %(count)d milestones", count
            )
        tip = escape(tips[count] % {"date": date, "count": count})
        # Numbers and ISO dates need no escaping; plain formatting keeps 371 cells cheap.
        y = top + weekday * (CELL + GAP)
        cells.append(
            f'<rect class="heat heat--{level}" x="{x}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="2" data-date="{date}" data-count="{count}">'
            f"<title>{tip}</title></rect>"
        )
    return "".join(cells)


def heatmap(columns, title, ident):
    """A GitHub-style year of days: one column per week, Monday at the top, month labels."""
    top = 18
    width = LABEL_WIDTH + len(columns) * (CELL + GAP)
    height = top + 7 * (CELL + GAP)
    cells, months, last_month = [], [], None
    language = get_language()
    for week, column in enumerate(columns):
        x = LABEL_WIDTH + week * (CELL + GAP)
        days = tuple((day.day, int(day.count), int(day.level)) for day in column)
        cells.append(_heat_column(x, top, days, language))
        first = column[0].day if column else None
        if first and first.month != last_month:
            if last_month is not None or first.day <= 7:
                months.append(
                    format_html(
                        '<text class="heat__month" x="{x}" y="13">{name}</text>',
                        x=x,
                        name=capfirst(MONTHS_3[first.month]),
                    )
                )
            last_month = first.month
    weekdays = format_html_join(
        "",
        '<text class="heat__weekday" x="0" y="{}">{}</text>',
        (
            (top + row * (CELL + GAP) + CELL - 2, name)
            for row, name in ((0, _("Mon")), (2, _("Wed")), (4, _("Fri")))
        ),
    )
    return format_html(
        '<svg class="chart heatmap" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="{ident}-title"><title id="{ident}-title">{title}</title>'
        "{weekdays}{months}{cells}</svg>",
        width=width,
        height=height,
        ident=ident,
        title=title,
        weekdays=weekdays,
        months=mark_safe("".join(months)),
        cells=mark_safe("".join(cells)),
    )


MARK_WORDS = {  # in a step's box: short
    StepMark.DONE: _lazy("Done"),
    StepMark.IN_PROGRESS: _lazy("In progress"),
    StepMark.SKIPPED: _lazy("Skipped"),
    StepMark.AVAILABLE: _lazy("Available"),
    StepMark.WAITING: _lazy("Waiting"),
}
MARK_SENTENCES = {  # in a step's link text and the legend: plain words
    StepMark.DONE: _lazy("done"),
    StepMark.IN_PROGRESS: _lazy("in progress"),
    StepMark.SKIPPED: _lazy("skipped, already known"),
    StepMark.AVAILABLE: _lazy("available to start"),
    StepMark.WAITING: _lazy("waiting on prerequisites"),
}


def mark_icon(mark, cx, cy):
    """The icon of a step's state, centred on (cx, cy), 14 px across."""
    if mark == StepMark.DONE:
        shape = (
            f'<circle class="map__icon-fill" cx="{cx}" cy="{cy}" r="7"/>'
            f'<path class="map__icon-cut" d="M{cx - 3.5} {cy} l2.5 2.5 l4.5 -5"/>'
        )
    elif mark == StepMark.IN_PROGRESS:
        shape = (
            f'<circle class="map__icon-line" cx="{cx}" cy="{cy}" r="6.25"/>'
            f'<path class="map__icon-fill" '
            f'd="M{cx} {cy - 6.25} A6.25 6.25 0 0 1 {cx} {cy + 6.25} Z"/>'
        )
    elif mark == StepMark.SKIPPED:
        shape = (
            f'<path class="map__icon-fill" d="M{cx - 6} {cy - 5} l5.5 5 l-5.5 5 Z '
            f'M{cx} {cy - 5} l5.5 5 l-5.5 5 Z"/>'
        )
    elif mark == StepMark.WAITING:
        shape = (
            f'<path class="map__icon-line" d="M{cx - 3.5} {cy - 1} v-2.5 a3.5 3.5 0 0 1 7 0 v2.5"/>'
            f'<rect class="map__icon-fill" x="{cx - 5.5}" y="{cy - 1}" width="11" height="8" '
            'rx="1.5"/>'
        )
    else:
        shape = f'<circle class="map__icon-line" cx="{cx}" cy="{cy}" r="6.25"/>'
    return f'<g class="map__icon map__icon--{mark}" aria-hidden="true">{shape}</g>'


def legend_icon(mark):
    """A state's icon on its own, for the map's legend."""
    return mark_safe(
        f'<svg class="map-legend__icon map-legend__icon--{mark}" viewBox="0 0 16 16" '
        f'width="16" height="16" aria-hidden="true">{mark_icon(mark, 8, 8)}</svg>'
    )


def _n(value):
    """A coordinate, as short as it can be written."""
    value = round(value, 1)
    return str(int(value)) if value == int(value) else str(value)


@functools.lru_cache(maxsize=4096)  # pure, and the same arrows are drawn on every view
def _rounded(points, radius=5):
    """An SVG path along points, its corners rounded (within the segments, so the path never
    leaves the gaps the layout routed it through)."""
    d = [f"M{_n(points[0][0])} {_n(points[0][1])}"]
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        r = min(
            radius,
            (abs(corner[0] - before[0]) + abs(corner[1] - before[1])) / 2,
            (abs(after[0] - corner[0]) + abs(after[1] - corner[1])) / 2,
        )

        def toward(target, r=r, corner=corner):
            dx, dy = target[0] - corner[0], target[1] - corner[1]
            length = abs(dx) + abs(dy) or 1
            return f"{_n(corner[0] + dx * r / length)} {_n(corner[1] + dy * r / length)}"

        d.append(f"L{toward(before)}Q{_n(corner[0])} {_n(corner[1])} {toward(after)}")
    d.append(f"L{_n(points[-1][0])} {_n(points[-1][1])}")
    return "".join(d)


def _words():
    return {
        "step": _("Step %(number)s: %(title)s"),
        "next step": _("next step"),
        "next": _("Next"),
        **{mark: str(MARK_SENTENCES[mark]) for mark in StepMark},
        **{f"short {mark}": str(MARK_WORDS[mark]) for mark in StepMark},
    }


# A box depends on its node (content), its mark and whether it is the next step, and the
# language: after a tick one or two boxes of a map change, so the others come from here.
# Bounded: a few hundred steps times four marks.
@functools.lru_cache(maxsize=8192)
def _drawn_node(node, ident, href, mark, is_next, language):
    return _node(node, ident, href, mark, is_next, _words())


def _node(node, ident, href, mark, is_next, words):
    """One step's box, a link, drawn in its own coordinates. A map has hundreds of steps, so
    this is plain string formatting (every text escaped) with the translations looked up
    once per map (words)."""
    name = words["step"] % {"number": node.number, "title": node.title}
    if mark:
        name = f"{name} — {words[mark]}"
    if is_next:
        name = f"{name}, {words['next step']}"
    name = _escape(name)
    classes = "map__node" + (f" map__node--{mark}" if mark else "")
    classes += " map__node--next" if is_next else ""
    text_x = 30 if mark else 10
    meta = _escape(node.number)
    if mark:
        room = node.w - text_x - (54 if is_next else 10) - text_width(node.number, 12) - 12
        word = _escape(clip(words[f"short {mark}"], room, 12))
        meta = f'{meta} <tspan class="map__state">· {word}</tspan>'
    # The full title as a tooltip, where the box shows only part of it.
    cut = " ".join(node.lines) != " ".join(node.title.split())
    parts = [
        f'<a class="map__link" href="{_escape(href)}" aria-label="{name}">',
        f"<title>{name}</title>" if cut else "",
        f'<g class="{classes}" transform="translate({node.x} {node.y})">',
        f'<rect class="map__focus" x="-4" y="-4" width="{node.w + 8}" height="{node.h + 8}" '
        f'rx="11"/><rect class="map__box" width="{node.w}" height="{node.h}" rx="8"/>',
        f'<use href="#{ident}-{mark}"/>' if mark else "",
        f'<text class="map__meta" x="{text_x}" y="20">{meta}</text>',
    ]
    if is_next:
        parts.append(
            f'<rect class="map__badge" x="{node.w - 48}" y="6" width="40" height="19" rx="9.5"/>'
            f'<text class="map__badge-text" x="{node.w - 28}" y="20" text-anchor="middle">'
            f"{_escape(words['next'])}</text>"
        )
    parts.append('<text class="map__title">')
    for n, line in enumerate(node.lines):
        parts.append(f'<tspan x="10" y="{43 + n * 17}">{_escape(line)}</tspan>')
    parts.append("</text></g></a>")
    return "".join(parts)


def roadmap_map(geometry, label, ident, hrefs, marks=None, next_key=None):
    """The roadmap's map as an inline SVG: a labelled group of links, one per step, in
    reading order, each saying its step's state in words (marks: step key -> StepMark, None
    for visitors); arrows lead from a step to the steps that need it.

    After a tick one or two of a map's boxes and arrows change, and none of its phases: the
    layers that do not follow progress (phases, their labels, the icons' definitions), each
    arrow and each box are drawn once per process (for the language) and looked up after."""
    marks = marks or {}
    done = {key for key, mark in marks.items() if mark in (StepMark.DONE, StepMark.SKIPPED)}
    language = get_language()
    defs, bands, labels, openings = _layers(geometry.bands, ident, bool(marks), language)
    openings = dict(openings)
    edges = "".join(_edge(edge, edge.source in done, ident) for edge in geometry.edges)
    groups = {key: [] for key in openings}
    for node in geometry.nodes:
        groups[node.phase].append(
            _drawn_node(
                node, ident, hrefs[node.key], marks.get(node.key), node.key == next_key, language
            )
        )
    nodes = "".join(f"{openings[key]}{''.join(links)}</g>" for key, links in groups.items())
    return mark_safe(
        f'<svg class="map" viewBox="0 0 {geometry.width} {geometry.height}" '
        f'width="{geometry.width}" height="{geometry.height}" role="group" '
        f'aria-label="{conditional_escape(label)}"><defs>{defs}</defs>'
        f'<g aria-hidden="true">{bands}</g><g aria-hidden="true">{edges}</g>'
        f'<g aria-hidden="true">{labels}</g>{nodes}</svg>'
    )


@functools.lru_cache(maxsize=256)  # per roadmap content, language and marked or not
def _layers(bands, ident, marked, language):
    """(icon and arrow definitions, phase bands, phase labels, (phase key, its group's
    opening tag) of each phase) of a map: none of them follows progress. Immutable, as every
    caller shares it."""
    rects, labels, openings = [], [], []
    for band in bands:
        rects.append(
            f'<rect class="map__band" x="{band.x}" y="{band.y}" width="{band.w}" '
            f'height="{band.h}" rx="10"/>'
        )
        labels.append(
            format_html(
                '<text class="map__phase" x="{}" y="{}"><tspan class="map__phase-number">{}'
                "</tspan> {}</text>",
                band.x + 12,
                band.y + 21,
                _("Phase %(number)s") % {"number": band.number},
                band.title,
            )
        )
        opening = format_html(
            '<g role="group" aria-label="{}">',
            _("Phase %(number)s: %(title)s") % {"number": band.number, "title": band.title},
        )
        openings.append((band.key, opening))
    defs = "".join(
        f'<marker id="{ident}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path class="map__arrowhead{extra}" '
        f'd="M0 1 L10 5 L0 9 Z"/></marker>'
        for name, extra in (("arrow", ""), ("arrow-met", " map__arrowhead--met"))
    )
    if marked:
        defs += "".join(
            mark_icon(mark, 17, 16).replace("<g ", f'<g id="{ident}-{mark}" ', 1)
            for mark in StepMark
        )
    return defs, "".join(rects), "".join(labels), tuple(openings)


@functools.lru_cache(maxsize=8192)  # a few hundred arrows per roadmap, met or not
def _edge(edge, met, ident):
    met = " map__edge--met" if met else ""
    arrow = f"{ident}-arrow-met" if met else f"{ident}-arrow"
    return f'<path class="map__edge{met}" d="{_rounded(edge.points)}" marker-end="url(#{arrow})"/>'
