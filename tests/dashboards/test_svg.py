"""The server-drawn SVG charts: accessible, escaped, and the right shape."""

from datetime import date

from roadmap.dashboards import heatmap
from roadmap.svg import bars, ring


def test_a_ring_has_a_title_and_clamps_its_percent():
    html = ring(140, "Roadmap: 140% complete", "r1")

    assert 'role="img"' in html
    assert '<title id="r1-title">Roadmap: 140% complete</title>' in html
    assert ">100%</text>" in html


def test_bars_escape_their_labels_and_scale_their_width():
    html = bars([("<b>Maths</b>", 50, "50%")], "Skills", "b1", width=200)

    assert "&lt;b&gt;Maths&lt;/b&gt;" in html
    assert 'width="100.0"' in html
    assert '<title id="b1-title">Skills</title>' in html


def test_the_heatmap_draws_one_cell_per_day_with_month_labels():
    from roadmap.svg import heatmap as draw

    today = date(2026, 11, 23)
    html = draw(heatmap({today: 2}, today), "2 milestones on 1 day", "h1")

    assert html.count("<rect") == 52 * 7 + 1
    assert 'data-date="2026-11-23" data-count="2"' in html
    assert html.count('class="heat__month"') >= 12
    assert '<title id="h1-title">2 milestones on 1 day</title>' in html
