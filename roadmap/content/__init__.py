"""Roadmap content files: YAML in, YAML out, one format (see README, "Content format")."""

from roadmap.content.exporter import export_roadmap, roadmap_to_data
from roadmap.content.loader import LoadReport, load_files, write_roadmap
from roadmap.content.reading import parse_file, parse_text
from roadmap.content.schema import ContentError, Problem, validate

__all__ = [
    "ContentError",
    "LoadReport",
    "Problem",
    "export_roadmap",
    "load_files",
    "parse_file",
    "parse_text",
    "roadmap_to_data",
    "validate",
    "write_roadmap",
]
