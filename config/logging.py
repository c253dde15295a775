"""Log records on one line each, tracebacks included, so one request error is one line."""

import logging


class OneLineFormatter(logging.Formatter):
    """Format as usual, then escape line breaks: a traceback stays in its record's line."""

    def format(self, record):
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")
