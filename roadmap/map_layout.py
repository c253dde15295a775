"""The roadmap map's layout: where each step's box and each prerequisite arrow are drawn.

A pure function of the content, never of a learner, so pages compute it once per content
version and cache it (pages.roadmap_map); the learner's states are drawn on top
(svg.roadmap_map). Phases are bands from top to bottom; a phase's steps fill rows of
COLUMNS boxes, left to right in step order, so reading order is step order.

Arrows run only in the gaps between boxes, which no box ever occupies: out of the bottom of
the step that is needed, along the gap under its row, up or down a gap between columns,
along the gap above the row of the step that needs it, and into that step's top. A step
needed by its right or left neighbour gets a short arrow across the gap between them; one
needed by a step in the next row needs no column gap. Arrows that run side by side in a gap
get lanes of their own, and the gap grows to hold them, so no arrow can pass through a box
and none hides another.

Text is measured with a table of character widths (the server has no fonts to ask): the
widths of DejaVu Sans, the widest common sans-serif, so labels that fit here fit in any
other sans-serif too.
"""

from dataclasses import dataclass
from enum import StrEnum

LAYOUT_VERSION = 1  # part of the cache key: raise it when the geometry's shape changes
COLUMNS = 4
NODE_WIDTH = 186
LINE_HEIGHT = 17  # titles are 14 px; the number and state line above them is 12 px
NODE_TOP = 30  # from a box's top to its first title baseline's line box
NODE_BOTTOM = 10
MAX_LINES = 3
TEXT_INSET = 10
TITLE_SIZE = 14
MARGIN = 4
HEADER_HEIGHT = 30  # a phase band's title strip
BAND_GAP = 10
LANE = 5  # between arrows running side by side
LANE_PAD = 7  # between a gap's edge and its outermost arrow
MIN_ROW_GAP = 2 * LANE_PAD
MIN_COLUMN_GAP = 28
MIN_EDGE_GAP = 16  # left of the first column and right of the last
ELLIPSIS = "…"

# Advance widths in em of DejaVu Sans; characters not listed count as WIDE.
_WIDTHS = {
    **dict.fromkeys(" ", 0.32),
    **dict.fromkeys("ijl'|!.,:;I", 0.3),
    **dict.fromkeys("ft()-[]/", 0.4),
    **dict.fromkeys("r", 0.42),
    **dict.fromkeys('scz"J', 0.56),
    **dict.fromkeys("abdeghknopquvxy0123456789", 0.64),
    **dict.fromkeys("ELFPTYZSKB?&", 0.7),
    **dict.fromkeys("ACDHNRUVX", 0.77),
    **dict.fromkeys("GOQ", 0.79),
    **dict.fromkeys("wM", 0.86),
    **dict.fromkeys("mW", 0.99),
}
WIDE = 0.8


def text_width(text, size):
    """The width in px of text at a font size, measured generously."""
    return sum(_WIDTHS.get(char, WIDE) for char in text) * size


def clip(text, width, size):
    """Text cut to fit in width, with an ellipsis if anything was cut."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + ELLIPSIS, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def wrap(text, width, size=TITLE_SIZE, max_lines=MAX_LINES):
    """Text broken into at most max_lines lines that fit in width; the last one ends with an
    ellipsis if the text does not fit."""
    lines, line = [], ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        if len(lines) == max_lines - 1:
            line = " ".join(words[index:])
            break
    lines.append(clip(line, width, size))
    return tuple(lines[:max_lines])


class StepMark(StrEnum):
    """What the map tells of a learner's step, by icon, outline and word as well as colour."""

    DONE = "done"
    IN_PROGRESS = "in-progress"
    SKIPPED = "skipped"
    AVAILABLE = "available"
    WAITING = "waiting"  # not started, and a step it needs is not done or skipped yet


@dataclass(frozen=True)
class MapStep:
    """What the layout needs to know of a step."""

    key: str
    number: str
    title: str
    requires: tuple = ()  # keys of the steps it needs


@dataclass(frozen=True)
class MapPhase:
    key: str
    number: int
    title: str
    steps: tuple  # of MapStep, in order


@dataclass(frozen=True)
class Node:
    key: str
    phase: str  # its phase's key
    number: str
    title: str
    lines: tuple  # the title, wrapped (and cut with an ellipsis if too long)
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Edge:
    """An arrow from a step (source) to a step that needs it (target), as a polyline of
    horizontal and vertical segments; the last point touches the target."""

    source: str
    target: str
    points: tuple


@dataclass(frozen=True)
class Band:
    key: str
    number: int
    title: str  # cut to fit the band
    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    bands: tuple
    nodes: tuple  # in step order
    edges: tuple


@dataclass
class _Route:
    source_key: str
    target_key: str
    source: tuple  # (row, column) of the step needed
    target: tuple
    kind: str  # "side", "drop" (into the next row) or "around" (by a column gap)
    index: int
    exit_lane: int = 0
    column_lane: int = 0
    entry_lane: int = 0
    exit_port: float = 0.5
    entry_port: float = 0.5


def _assign_lanes(segments):
    """Give each (start, end, route index) interval the lowest lane free over its length;
    touching intervals never share a lane. Returns {route index: lane} and the lane count."""
    lane_ends, lanes = [], {}
    for start, end, index in sorted(segments):
        lane = next((n for n, last in enumerate(lane_ends) if last < start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        lane_ends[lane] = end
        lanes[index] = lane
    return lanes, len(lane_ends)


def _gap_size(lanes, minimum):
    return max(minimum, 2 * LANE_PAD + (lanes - 1) * LANE)


def _lane_offset(lane, lanes, size):
    """Where a lane lies within a gap of this size: the lanes centred in it."""
    return (size - (lanes - 1) * LANE) / 2 + lane * LANE


def layout(phases, columns=COLUMNS):
    """The map's geometry for phases (MapPhase, in order): deterministic, from content only."""
    cells, rows, row_phase = {}, 0, []
    for phase_index, phase in enumerate(phases):
        for position, step in enumerate(phase.steps):
            cells[step.key] = (rows + position // columns, position % columns)
        phase_rows = max(1, -(-len(phase.steps) // columns))
        row_phase += [phase_index] * phase_rows
        rows += phase_rows
    steps = [step for phase in phases for step in phase.steps]
    lines = {step.key: wrap(step.title, NODE_WIDTH - 2 * TEXT_INSET) for step in steps}
    # A row is as tall as its longest title (two lines at least, so most rows look alike).
    row_lines = [2] * rows
    for step in steps:
        row = cells[step.key][0]
        row_lines[row] = max(row_lines[row], len(lines[step.key]))
    row_height = [NODE_TOP + count * LINE_HEIGHT + NODE_BOTTOM for count in row_lines]

    # Horizontal gaps, top to bottom: gap 2r+1 lies under row r and gap 2r above it; rows of
    # one phase share the gap between them (below[r] == above[r + 1]).
    above = {r: 2 * r for r in range(rows)}
    below = {r: 2 * r + 1 for r in range(rows)}
    for r in range(rows - 1):
        if row_phase[r] == row_phase[r + 1]:
            above[r + 1] = below[r]

    routes = []
    for step in steps:
        for required in dict.fromkeys(step.requires):
            if required not in cells or required == step.key:
                continue
            (rs, cs), (rt, ct) = cells[required], cells[step.key]
            if rs == rt and abs(cs - ct) == 1:
                kind = "side"
            elif rt == rs + 1:
                kind = "drop"
            else:
                kind = "around"
            routes.append(_Route(required, step.key, (rs, cs), (rt, ct), kind, len(routes)))

    # Ports: arrows leave from the right half of a box's bottom and arrive in the left half
    # of its top, ordered by where their other end lies so that they cross less.
    exits, entries = {}, {}
    for route in routes:
        if route.kind != "side":
            exits.setdefault(route.source, []).append(route)
            entries.setdefault(route.target, []).append(route)
    for group in exits.values():
        group.sort(key=lambda route: (route.target[1], route.target[0], route.index))
        for n, route in enumerate(group, start=1):
            route.exit_port = 0.55 + 0.35 * n / (len(group) + 1)
    for group in entries.values():
        group.sort(key=lambda route: (route.source[1], route.source[0], route.index))
        for n, route in enumerate(group, start=1):
            route.entry_port = 0.1 + 0.35 * n / (len(group) + 1)

    # Each arrow that goes around climbs or drops in a gap between its two columns (either
    # side of its column if both are in one), the one fewest arrows already use over its
    # stretch, so that no gap grows much wider than the others.
    column_gap, climbing = {}, {k: [] for k in range(columns + 1)}
    for route in routes:
        if route.kind != "around":
            continue
        (rs, cs), (rt, ct) = route.source, route.target
        low, high = sorted((below[rs], above[rt]))
        first, last = (cs, cs + 1) if cs == ct else (min(cs, ct) + 1, max(cs, ct))

        def crowding(k, low=low, high=high, ct=ct):
            busy = sum(1 for a, b in climbing[k] if a <= high and low <= b)
            return (busy, abs(k - ct - 0.5))

        k = min(range(first, last + 1), key=crowding)
        column_gap[route.index] = k
        climbing[k].append((low, high))

    # Lanes, worked out in grid units so that they do not depend on the gaps' sizes: along a
    # row gap, column gap k lies at 2k and column c between 2c + 1 and 2c + 2 (its ports
    # inside); along a column gap, row gap g lies at g. Both orders match the drawing's.
    horizontal, vertical = {}, {}
    for route in routes:
        if route.kind == "side":
            continue
        sx = 2 * route.source[1] + 1 + route.exit_port
        tx = 2 * route.target[1] + 1 + route.entry_port
        exit_gap, entry_gap = below[route.source[0]], above[route.target[0]]
        if route.kind == "drop":
            span = (min(sx, tx), max(sx, tx), route.index)
            horizontal.setdefault(exit_gap, []).append(("exit_lane", span))
            continue
        k = column_gap[route.index]
        horizontal.setdefault(exit_gap, []).append(
            ("exit_lane", (min(sx, 2 * k), max(sx, 2 * k), route.index))
        )
        horizontal.setdefault(entry_gap, []).append(
            ("entry_lane", (min(tx, 2 * k), max(tx, 2 * k), route.index))
        )
        low, high = sorted((exit_gap, entry_gap))
        vertical.setdefault(k, []).append(("column_lane", (low, high, route.index)))

    def lanes_of(groups):
        counts = {}
        for gap, items in groups.items():
            lanes, counts[gap] = _assign_lanes([span for __, span in items])
            for attribute, span in items:
                setattr(routes[span[2]], attribute, lanes[span[2]])
        return counts

    row_lanes, column_lanes = lanes_of(horizontal), lanes_of(vertical)

    column_gaps = [
        _gap_size(column_lanes.get(k, 0), MIN_EDGE_GAP if k in (0, columns) else MIN_COLUMN_GAP)
        for k in range(columns + 1)
    ]
    gap_x, column_x, x = [], [], MARGIN
    for k in range(columns + 1):
        gap_x.append(x)
        x += column_gaps[k]
        if k < columns:
            column_x.append(x)
            x += NODE_WIDTH
    width = x + MARGIN

    gap_y, gap_size, row_y, bands, y = {}, {}, {}, [], MARGIN
    for phase_index, phase in enumerate(phases):
        band_top = y
        y += HEADER_HEIGHT
        for r in (r for r in range(rows) if row_phase[r] == phase_index):
            for gap in (above[r],) if r == 0 or row_phase[r - 1] != phase_index else ():
                gap_y[gap], gap_size[gap] = y, _gap_size(row_lanes.get(gap, 0), MIN_ROW_GAP)
                y += gap_size[gap]
            row_y[r] = y
            y += row_height[r]
            gap = below[r]
            gap_y[gap], gap_size[gap] = y, _gap_size(row_lanes.get(gap, 0), MIN_ROW_GAP)
            y += gap_size[gap]
        title = clip(phase.title, width - 2 * MARGIN - 140, TITLE_SIZE)
        bands.append(
            Band(phase.key, phase.number, title, MARGIN, band_top, width - 2 * MARGIN, y - band_top)
        )
        y += BAND_GAP
    height = y - BAND_GAP + MARGIN if phases else 2 * MARGIN

    def lane_y(gap, lane):
        return round(gap_y[gap] + _lane_offset(lane, row_lanes[gap], gap_size[gap]), 1)

    def lane_x(k, lane):
        return round(gap_x[k] + _lane_offset(lane, column_lanes[k], column_gaps[k]), 1)

    nodes = tuple(
        Node(
            step.key,
            phase.key,
            step.number,
            step.title,
            lines[step.key],
            column_x[c],
            row_y[r],
            NODE_WIDTH,
            row_height[r],
        )
        for phase in phases
        for step in phase.steps
        for r, c in (cells[step.key],)
    )
    edges = []
    for route in routes:
        (rs, cs), (rt, ct) = route.source, route.target
        if route.kind == "side":
            mid = row_y[rs] + row_height[rs] // 2
            if ct > cs:
                points = ((column_x[cs] + NODE_WIDTH, mid), (column_x[ct], mid))
            else:
                points = ((column_x[cs], mid), (column_x[ct] + NODE_WIDTH, mid))
        else:
            sx = round(column_x[cs] + NODE_WIDTH * route.exit_port)
            tx = round(column_x[ct] + NODE_WIDTH * route.entry_port)
            bottom, top = row_y[rs] + row_height[rs], row_y[rt]
            y1 = lane_y(below[rs], route.exit_lane)
            if route.kind == "drop":
                points = ((sx, bottom), (sx, y1), (tx, y1), (tx, top))
            else:
                vx = lane_x(column_gap[route.index], route.column_lane)
                y2 = lane_y(above[rt], route.entry_lane)
                points = ((sx, bottom), (sx, y1), (vx, y1), (vx, y2), (tx, y2), (tx, top))
        edges.append(Edge(route.source_key, route.target_key, points))
    return Geometry(width, height, tuple(bands), nodes, tuple(edges))
