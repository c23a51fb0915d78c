"""The xAPI outbox in the CMS, read-only: what waits for the LRS, what it refused and why."""

from wagtail.admin.ui.tables import Column, DateColumn

from lms.admin.competence import ReadOnlyViewSet
from lms.models import XapiStatement


def _state(statement: XapiStatement) -> str:
    if statement.sent_at is not None:
        return "Sent"
    return "Waiting: " + statement.last_error if statement.last_error else "Waiting"


class XapiStatementViewSet(ReadOnlyViewSet):
    model = XapiStatement
    icon = "resubmit"
    menu_label = "xAPI outbox"
    menu_order = 880
    list_display = [
        Column("key", label="Fact", accessor="key"),
        Column("verb", label="Verb", accessor=lambda s: s.statement["verb"]["display"]["en-GB"]),
        Column("state", label="State", accessor=_state),
        Column("attempts", label="Attempts", accessor="attempts"),
        DateColumn("created_at", label="Written"),
        DateColumn("sent_at", label="Sent"),
    ]
    search_fields = ["key"]
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "key",
        "statement_id",
        "statement",
        "created_at",
        "sent_at",
        "attempts",
        "last_attempt_at",
        "last_error",
    ]
