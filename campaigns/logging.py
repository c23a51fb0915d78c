"""Keep requests to the suggestion box out of the logs.

Django logs a request's failures (django.request, django.security.*) with the request attached,
and the development server logs every request (django.server) with the time; any handler could
then write the person's address, browser, account or the time of day next to the box's path.
Records about the box are dropped; a server error there is kept, stripped of the request, the
details and the time of day, so that someone still learns the box is failing.
"""

import logging
from datetime import datetime

# Every URL of the box starts with this (tests/campaigns/test_suggest.py holds the URLs to it).
SUGGESTION_BOX_PATH = "/suggest/"


class HideSuggestionBoxRequests(logging.Filter):
    """Drop log records about a request to the suggestion box; scrub its server errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_about_the_suggestion_box(record):
            return True
        if record.levelno < logging.ERROR:
            return False
        _scrub(record)
        return True


def is_about_the_suggestion_box(record: logging.LogRecord) -> bool:
    request = getattr(record, "request", None)
    for attribute in ("path_info", "path"):
        path = getattr(request, attribute, None)
        if isinstance(path, str) and path.startswith(SUGGESTION_BOX_PATH):
            return True
    # The development server attaches its socket, not an HttpRequest: the path is in the message.
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = str(record.msg)
    return SUGGESTION_BOX_PATH in message


def _scrub(record: logging.LogRecord) -> None:
    failure = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
    record.msg = "The suggestion box failed (%s); details are withheld to keep it anonymous."
    record.args = (failure or f"status {getattr(record, 'status_code', 'unknown')}",)
    record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    for attribute in ("request", "server_time"):
        record.__dict__.pop(attribute, None)
    # The date stays, the time of day goes.
    midnight = datetime.fromtimestamp(record.created).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    record.created = midnight.timestamp()
    record.msecs = 0.0
    record.relativeCreated = 0.0
