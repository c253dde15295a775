"""Read roadmap YAML within fixed bounds, so a hostile file is refused in milliseconds.

PyYAML on its own will expand nested aliases ("billion laughs") until memory runs out, recurse
into a RecursionError on deep nesting, and build every value of a huge file before anything
looks at it. Here a file is read up to MAX_FILE_BYTES, and its parser events are checked
before anything is built: no anchors or aliases, at most MAX_DEPTH levels, MAX_VALUES values
and the per-roadmap counts of schema.py, each refusal naming its place.
"""

from collections import Counter

import yaml
from django.utils.translation import gettext as _
from yaml.constructor import ConstructorError
from yaml.reader import ReaderError

from roadmap.content.schema import COUNTED_LISTS, ContentError, Problem, too_many, validate

MAX_FILE_BYTES = 1024 * 1024  # the shipped roadmap is 57 KB for 46 steps; 500 such, 620 KB
MAX_DEPTH = 12  # the schema itself needs 8 (roadmap > phases > steps > resources > field)
MAX_VALUES = 50_000  # a roadmap at every count limit in schema.py needs about 47,000


class _RoadmapConstruction:
    """Construction rules shared by both loaders: no duplicate keys, every error placed."""

    def construct_object(self, node, deep=False):
        # Timestamps such as 2020-13-45 and integers past Python's 4,300 digits raise a bare
        # ValueError from the constructor; give it the place like every other YAML error.
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError):
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:40] + "…"
            message = _("“%s” is not a valid number or date") % shown
            raise ConstructorError(None, None, message, node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class PythonRoadmapLoader(_RoadmapConstruction, yaml.SafeLoader):
    """The safe loader on PyYAML's pure-Python scanner, used when libyaml is missing."""


LOADERS = [PythonRoadmapLoader]
if yaml.__with_libyaml__:  # PyYAML's wheels include it; it scans twenty times faster

    class LibyamlRoadmapLoader(_RoadmapConstruction, yaml.CSafeLoader):
        """The safe loader on libyaml's scanner and composer."""

    LOADERS.insert(0, LibyamlRoadmapLoader)
RoadmapLoader = LOADERS[0]


class LimitError(yaml.MarkedYAMLError):
    """A document refused for its shape or size, not its syntax; `place` names the item
    (`phases[0].steps[500]`) where there is one, else the line and column are the place."""

    def __init__(self, message, mark, place=""):
        super().__init__(problem=message, problem_mark=mark)
        self.place = place


def check_shape(text, loader=RoadmapLoader):
    """Walk the parser's events, before anything is built, and refuse a hostile shape (with
    its line and column) or a roadmap over a count limit of schema.py (with the item's place).

    An event costs about a microsecond with libyaml, building a value ten, so a file of a
    million small values, or of a thousand steps, is refused in well under a second.
    """
    events = loader(text)
    values = 0
    counted = Counter()
    # One frame per open collection: [field names from the top, place, next index or key]
    frames = []
    try:
        while not events.check_event(yaml.StreamEndEvent):
            event = events.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                _refuse(event, _("anchors and aliases (& and *) are not allowed"))
            if len(frames) >= MAX_DEPTH:
                _refuse(event, _("nested more than %(limit)d levels deep") % {"limit": MAX_DEPTH})
            values += 1
            if values > MAX_VALUES:
                message = _("the file holds more than %(limit)d values")
                _refuse(event, message % {"limit": MAX_VALUES})
            names, place = _position(frames, event)
            if names in COUNTED_LISTS and frames[-1][0] == "sequence":
                counted[names] += 1
                if counted[names] > COUNTED_LISTS[names]:
                    raise LimitError(too_many(names), event.start_mark, place)
            if isinstance(event, yaml.CollectionStartEvent):
                kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
                frames.append([kind, names, place, 0 if kind == "sequence" else None])
    finally:
        events.dispose()


def _position(frames, event):
    """Field names and place (`phases[2].steps[0]`) of the node `event` starts, and move
    the frame of its parent on; a mapping's keys have no place of their own."""
    if not frames:
        return (), ""
    frame = frames[-1]
    kind, names, place, state = frame
    if kind == "sequence":
        frame[3] += 1
        return names, f"{place}[{state}]"
    if state is None:  # a key: remember it for the value that follows
        frame[3] = event.value if isinstance(event, yaml.ScalarEvent) else ""
        return None, None
    frame[3] = None
    if names is None:  # inside a key that is itself a collection
        return None, None
    return (*names, state), f"{place}.{state}" if place else state


def _refuse(event, message):
    raise LimitError(message, event.start_mark)


def parse_file(path):
    """Read and validate one YAML file; raise ContentError naming the file otherwise."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ContentError([Problem(source, "", _("cannot read the file: %s") % error)]) from None
    if len(data) > MAX_FILE_BYTES:
        message = _("the file is larger than %(limit)d KiB, the limit for a roadmap file")
        raise ContentError([Problem(source, "", message % {"limit": MAX_FILE_BYTES // 1024})])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(source, "", _("cannot read the file: %s") % error)]) from None
    return parse_text(text, source)


def parse_text(text, source="<text>", loader=RoadmapLoader):
    """Parse YAML text within the bounds above and validate it."""
    try:
        check_shape(text, loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as error:
        raise ContentError([_yaml_problem(error, text, source)]) from None
    return validate(data, source)


def _yaml_problem(error, text, source):
    if isinstance(error, ReaderError):
        # libyaml reports a byte offset, PyYAML a character index: the first occurrence of the
        # refused character is where both readers stopped.
        position = text.find(chr(error.character))
        line = text.count("\n", 0, position)
        column = position - (text.rfind("\n", 0, position) + 1)
        where = f"line {line + 1}, column {column + 1}" if position >= 0 else ""
        message = _("the character U+%04X is not allowed in a YAML file") % error.character
        return Problem(source, where, message)
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, LimitError):
        return Problem(source, error.place or where, problem)
    return Problem(source, where, _("invalid YAML: %s") % problem)
