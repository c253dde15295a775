"""Whole numbers a request carries, bounded by the column they are compared with or stored in.

The bounds are the portable column sizes (PostgreSQL's, the SQL standard's), not the
connection's: SQLite would store any 64-bit number in a PositiveIntegerField, and PostgreSQL
answers a number its column cannot hold with an error.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.module_loading import import_string


def column_range(model_field):
    """(lowest, highest) whole number this model field may hold: its column's size, narrowed by
    the field's own MinValueValidator and MaxValueValidator."""
    low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
    for validator in model_field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, MinValueValidator) and isinstance(limit, int):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator) and isinstance(limit, int):
            high = min(high, limit)
    return low, high


def integer_field(model_field, **kwargs):
    """A form field for this model field's number that refuses what its column cannot hold."""
    low, high = column_range(model_field)
    return forms.IntegerField(min_value=low, max_value=high, **kwargs)


def _highest_id():
    auto_field = import_string(settings.DEFAULT_AUTO_FIELD)
    return BaseDatabaseOperations.integer_field_ranges[auto_field().get_internal_type()][1]


class IdConverter:
    """`<id:name>` in a URL: a row id as the database writes it (1 up to the id column's
    largest, no leading zeros). Anything else matches no URL, so it is the same 404 as an id
    that names no row."""

    regex = "[1-9][0-9]{0,18}"

    def __init__(self):
        self.highest = _highest_id()

    def to_python(self, value):
        number = int(value)
        if number > self.highest:
            raise ValueError(f"{value} is beyond the largest id")
        return number

    def to_url(self, value):
        return str(value)


class BoundedIntegers:
    """Admin mixin: a number field's form refuses what its column cannot hold, as the site's
    own forms do (the model's validators alone let SQLite store any 64-bit number)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        ranges = BaseDatabaseOperations.integer_field_ranges
        if db_field.get_internal_type() in ranges and not db_field.choices:
            low, high = column_range(db_field)
            kwargs.setdefault("min_value", low)
            kwargs.setdefault("max_value", high)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
