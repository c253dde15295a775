"""The map's layout: deterministic, no overlaps, no arrow through a box, every prerequisite."""

import itertools
import random
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from roadmap import svg
from roadmap.map_layout import MapPhase, MapStep, layout, text_width, wrap
from tests.conftest import ML_ROADMAP

MIN_FONT = 12  # px at a 1280 px wide window, where the map is drawn at its own size
PAGE_COLUMN = 928  # the page's content width at 1280 px (60rem less its padding)


def shipped_phases():
    data = yaml.safe_load(ML_ROADMAP.read_text())
    return tuple(
        MapPhase(
            key=phase["key"],
            number=p,
            title=phase["title"],
            steps=tuple(
                MapStep(step["key"], f"{p}.{s}", step["title"], tuple(step.get("requires", ())))
                for s, step in enumerate(phase["steps"], start=1)
            ),
        )
        for p, phase in enumerate(data["phases"], start=1)
    )


def generated_phases(steps=500, seed=13):
    """A roadmap of random phases and random acyclic prerequisites (each step needs up to
    three earlier ones, anywhere in the roadmap, or sometimes a later one's order reversed)."""
    rng = random.Random(seed)
    keys = [f"step-{n}" for n in range(steps)]
    order = keys[:]
    rng.shuffle(order)  # prerequisites follow this hidden order, not the reading order
    rank = {key: n for n, key in enumerate(order)}
    requires = {
        key: tuple(rng.sample(order[: rank[key]], min(rank[key], rng.randint(0, 3))))
        for key in keys
    }
    phases, position, p = [], 0, 0
    while position < steps:
        size = min(rng.randint(1, 12), steps - position)
        p += 1
        phases.append(
            MapPhase(
                key=f"phase-{p}",
                number=p,
                title=f"Phase {p} " + "with a long title " * rng.randint(0, 6),
                steps=tuple(
                    MapStep(
                        key,
                        f"{p}.{s}",
                        " ".join(
                            rng.choice(["Data", "Models", "Serving", "x"])
                            for __ in range(rng.randint(1, 12))
                        ),
                        requires[key],
                    )
                    for s, key in enumerate(keys[position : position + size], start=1)
                ),
            )
        )
        position += size
    return tuple(phases)


ROADMAPS = {"shipped": shipped_phases, "generated-500": generated_phases}


@pytest.fixture(params=list(ROADMAPS), scope="module")
def case(request):
    phases = ROADMAPS[request.param]()
    return phases, layout(phases)


def overlaps(a, b, strict):
    """Whether two closed boxes (x0, y0, x1, y1) meet; strict: only if their interiors do."""
    if strict:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def box(node):
    return (node.x, node.y, node.x + node.w, node.y + node.h)


def segments(edge):
    for (x0, y0), (x1, y1) in zip(edge.points, edge.points[1:], strict=False):
        yield (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def test_the_layout_is_deterministic(case):
    phases, geometry = case
    assert layout(phases) == geometry
    assert layout(tuple(phases)) == layout(phases)


def test_every_step_has_one_box_in_step_order(case):
    phases, geometry = case
    assert [node.key for node in geometry.nodes] == [
        step.key for phase in phases for step in phase.steps
    ]


def test_no_two_boxes_overlap(case):
    __, geometry = case
    boxes = sorted(map(box, geometry.nodes))
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            if second[0] > first[2]:
                break
            assert not overlaps(first, second, strict=False), (first, second)


def test_boxes_lie_inside_the_drawing_and_their_phase_band(case):
    phases, geometry = case
    band_of = {step.key: phase.key for phase in phases for step in phase.steps}
    bands = {band.key: band for band in geometry.bands}
    for node in geometry.nodes:
        band = bands[band_of[node.key]]
        assert band.x <= node.x
        assert node.x + node.w <= band.x + band.w
        assert band.y <= node.y
        assert node.y + node.h <= band.y + band.h
    for band in geometry.bands:
        assert band.x >= 0
        assert band.x + band.w <= geometry.width
        assert band.y >= 0
        assert band.y + band.h <= geometry.height


def test_phase_bands_run_down_in_phase_order_without_overlapping(case):
    __, geometry = case
    for upper, lower in zip(geometry.bands, geometry.bands[1:], strict=False):
        assert upper.y + upper.h < lower.y


def test_every_prerequisite_is_drawn_as_one_arrow(case):
    phases, geometry = case
    wanted = sorted(
        (required, step.key)
        for phase in phases
        for step in phase.steps
        for required in set(step.requires)
    )
    assert sorted((edge.source, edge.target) for edge in geometry.edges) == wanted


def test_arrows_run_from_the_needed_step_into_the_step_that_needs_it(case):
    __, geometry = case
    nodes = {node.key: node for node in geometry.nodes}
    for edge in geometry.edges:
        assert overlaps(box(nodes[edge.source]), edge.points[0] * 2, strict=False)
        assert overlaps(box(nodes[edge.target]), edge.points[-1] * 2, strict=False)
        assert all(0 <= x <= geometry.width and 0 <= y <= geometry.height for x, y in edge.points)


def test_arrows_are_horizontal_and_vertical_segments(case):
    __, geometry = case
    for edge in geometry.edges:
        for x0, y0, x1, y1 in segments(edge):
            assert x0 == x1 or y0 == y1, edge


def test_no_arrow_passes_through_a_box(case):
    """An arrow touches only its own two boxes, and only their outline."""
    __, geometry = case
    boxes = sorted((box(node), node.key) for node in geometry.nodes)
    for edge in geometry.edges:
        for segment in segments(edge):
            for node_box, key in boxes:
                own = key in (edge.source, edge.target)
                assert not overlaps(node_box, segment, strict=own), (edge, key)


def test_arrows_running_side_by_side_do_not_overlap(case):
    """Two arrows may cross, but never share a stretch of line (they would read as one)."""
    __, geometry = case
    runs = {}
    for edge in geometry.edges:
        for x0, y0, x1, y1 in segments(edge):
            if (x0, y0) != (x1, y1):
                horizontal = y0 == y1
                line = ("h", y0) if horizontal else ("v", x0)
                span = (x0, x1) if horizontal else (y0, y1)
                runs.setdefault(line, []).append((span, edge.target, edge.source))
    for line, spans in runs.items():
        spans.sort()
        for (first, *ends), (second, *other) in itertools.pairwise(spans):
            if ends[0] == other[0] or ends[1] == other[1]:
                continue  # two arrows into (or out of) one box may meet at its port
            assert first[1] < second[0], (line, first, second, ends, other)


def test_the_shipped_map_fits_the_page_at_1280_px():
    """So at 1280 px it is drawn at its own size, its 12 px labels at 12 px (the browser
    tests measure them)."""
    geometry = layout(shipped_phases())
    assert geometry.width <= PAGE_COLUMN


def test_the_map_is_drawn_at_its_own_size_with_no_text_under_12_px():
    geometry = layout(shipped_phases())
    hrefs = {node.key: "#" for node in geometry.nodes}
    drawing = svg.roadmap_map(geometry, "Map", "map", hrefs)
    assert f'viewBox="0 0 {geometry.width} {geometry.height}" width="{geometry.width}"' in drawing
    css = (Path(settings.BASE_DIR) / "static" / "css" / "waypoint.css").read_text()
    rules = re.findall(r"([^{}]*\.map[^{}]*)\{([^}]*)\}", css)
    sizes = [int(size) for __, body in rules for size in re.findall(r"font-size: (\d+)px", body)]
    assert sizes
    assert min(sizes) >= MIN_FONT


def test_titles_wrap_to_fit_their_box_and_long_ones_end_with_an_ellipsis(case):
    __, geometry = case
    for node in geometry.nodes:
        assert 1 <= len(node.lines) <= 3
        assert all(text_width(line, 14) <= node.w - 20 for line in node.lines)
        if " ".join(node.lines) != " ".join(node.title.split()):
            assert node.lines[-1].endswith("…")


def test_wrap_breaks_between_words_and_cuts_a_word_too_long_for_a_line():
    assert wrap("Linear algebra for machine learning", 170) == (
        "Linear algebra for",
        "machine learning",
    )
    (line,) = wrap("Supercalifragilisticexpialidocious" * 3, 170, max_lines=1)
    assert line.endswith("…")
    assert text_width(line, 14) <= 170
