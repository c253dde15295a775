"""Small inline-SVG charts drawn on the server: a progress ring, bars and a year heatmap.

No chart library, no canvas, no script. Every chart is an `<svg role="img">` with a `<title>`
(its text alternative); colours come from CSS classes so the site's light and dark themes
apply; sizes use a viewBox so charts shrink to a 360 px screen.
"""

from django.utils.dates import MONTHS_3
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def heatmap(columns, title, ident):
    """A GitHub-style year of days: one column per week, Monday at the top, month labels."""
    top = 18
    width = LABEL_WIDTH + len(columns) * (CELL + GAP)
    height = top + 7 * (CELL + GAP)
    cells, months, last_month = [], [], None
    tips = {}  # count -> its translated sentence: 371 cells share a handful of counts
    for week, column in enumerate(columns):
        x = LABEL_WIDTH + week * (CELL + GAP)
        for weekday, day in enumerate(column):
            count, date = int(day.count), day.day.isoformat()
            if count not in tips:
                tips[count] = ngettext(
                    "%(date)s: %(count)d milestone", "%(date)s: %(count)d milestones", count
                )
            tip = escape(tips[count] % {"date": date, "count": count})
            # Numbers and ISO dates need no escaping; plain formatting keeps 371 cells cheap.
            y = top + weekday * (CELL + GAP)
            cells.append(
                f'<rect class="heat heat--{int(day.level)}" x="{x}" y="{y}" width="{CELL}" '
                f'height="{CELL}" rx="2" data-date="{date}" data-count="{count}">'
                f"<title>{tip}</title></rect>"
            )
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
