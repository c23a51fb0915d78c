"""The demo suggestion box: fourteen suggestions of the last six months in every state of the
triage, anonymous and signed, with their history and what their signed authors were told.

A suggestion is found again by its text, so seeding twice adds nothing. Dates are relative to
the day of the first seed. Run it after the demo organisation is in place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campaigns.models import Suggestion, SuggestionEvent
from campaigns.services.triage import author_notice, my_suggestions_url
from lms.models import Department, Notification, User
from lms.services.notifications import notification

Status = Suggestion.Status
Category = Suggestion.Category

TRIAGED_BY = "comms@demo.example"
EMPLOYEE = "employee@demo.example"
# Notifications older than this are shown as read.
READ_AFTER_DAYS = 14


@dataclass(frozen=True)
class DemoSuggestion:
    text: str
    category: str
    department: str | None
    days_ago: int
    author: str | None
    # (status reached, days after submission, note)
    steps: tuple[tuple[str, int, str], ...] = ()
    owner: str | None = None
    action: str = ""
    reason: str = ""
    outcome: str = ""


def _review(after: int, note: str = "") -> tuple[str, int, str]:
    return (Status.UNDER_REVIEW, after, note)


SUGGESTIONS = [
    DemoSuggestion(
        text=(
            "The **emergency stop** on press line 2 is hard to reach since the new guard panel "
            "was fitted. Could it be moved to the front of the panel?"
        ),
        category=Category.SAFETY,
        department="Production",
        days_ago=3,
        author=None,
    ),
    DemoSuggestion(
        text=(
            "Separate bins for clean cardboard and plastic film at the packing stations: most of "
            "it goes into general waste today."
        ),
        category=Category.ENVIRONMENT,
        department=None,
        days_ago=6,
        author="pa01@demo.example",
    ),
    DemoSuggestion(
        text="Print the picking list and the shipping label on one sheet: they get mixed up.",
        category=Category.PROCESS,
        department="Logistics",
        days_ago=10,
        author=None,
    ),
    DemoSuggestion(
        text=(
            "Photograph the first part after each die change and attach the photo to the batch "
            "record. It would settle most questions from the customer in seconds."
        ),
        category=Category.QUALITY,
        department="Production",
        days_ago=20,
        author=EMPLOYEE,
        steps=(_review(4, "Asked the Quality Manager whether the batch record can hold photos."),),
    ),
    DemoSuggestion(
        text="A convex mirror at the blind corner by dock 3: forklifts and people meet there.",
        category=Category.SAFETY,
        department="Logistics",
        days_ago=25,
        author=None,
        steps=(_review(3),),
    ),
    DemoSuggestion(
        text=(
            "A short ISO 9001 refresher at the start of a shift would reach more of us than a "
            "whole afternoon once a year."
        ),
        category=Category.OTHER,
        department="Quality Assurance",
        days_ago=35,
        author=None,
        steps=(_review(5),),
    ),
    DemoSuggestion(
        text="Anti-fatigue mats at the assembly benches: we stand on concrete for eight hours.",
        category=Category.SAFETY,
        department="Production",
        days_ago=50,
        author=EMPLOYEE,
        steps=(_review(2), (Status.ACCEPTED, 9, "")),
        owner="manager@demo.example",
        action="Mats for all six assembly benches, fitted during the next planned stop.",
    ),
    DemoSuggestion(
        text=(
            "The compressors run all weekend and you can hear the air leaking. Switch them off "
            "on Friday evening?"
        ),
        category=Category.ENVIRONMENT,
        department="Health and Safety",
        days_ago=60,
        author=None,
        steps=(_review(3), (Status.ACCEPTED, 10, "Energy aspect for the ISO 14001 register.")),
        owner="hse.manager@demo.example",
        action="A leak survey of the compressed-air network and a weekend shutdown routine.",
    ),
    DemoSuggestion(
        text="Scan the pallets at the dock door instead of walking the paperwork to the office.",
        category=Category.PROCESS,
        department="Logistics",
        days_ago=75,
        author="la01@demo.example",
        steps=(_review(6), (Status.ACCEPTED, 14, "")),
        owner="logistics.manager@demo.example",
        action="A month's trial of two handheld scanners at docks 1 and 2.",
    ),
    DemoSuggestion(
        text="Stop recording the torque checks: they are always within tolerance.",
        category=Category.PROCESS,
        department="Production",
        days_ago=90,
        author=None,
        steps=(_review(4), (Status.DECLINED, 12, "")),
        reason=(
            "The torque records are the evidence our customers audit (ISO 9001 clause 8.5.1). "
            "The check is moving onto the line tablet instead, so recording it takes seconds."
        ),
    ),
    DemoSuggestion(
        text="Move the canteen to the ground floor, nearer to the production hall.",
        category=Category.OTHER,
        department=None,
        days_ago=100,
        author=EMPLOYEE,
        steps=(_review(5), (Status.DECLINED, 15, "")),
        reason="The ground floor is production space and the fire plan does not allow a canteen.",
    ),
    DemoSuggestion(
        text="Label the isolation points of the hydraulic presses: new starters cannot find them.",
        category=Category.SAFETY,
        department="Production",
        days_ago=120,
        author=EMPLOYEE,
        steps=(_review(3), (Status.ACCEPTED, 8, ""), (Status.DONE, 40, "")),
        owner="manager@demo.example",
        action="Label each isolation point of the four presses and add them to the lock-out steps.",
        outcome="All 23 isolation points labelled; lock-out procedure and toolbox talk updated.",
    ),
    DemoSuggestion(
        text="Check the labels against the order before the pallet is wrapped, not after.",
        category=Category.QUALITY,
        department="Logistics",
        days_ago=150,
        author=None,
        steps=(_review(2), (Status.ACCEPTED, 7, ""), (Status.DONE, 45, "")),
        owner="quality.manager@demo.example",
        action="Move the label check before wrapping and add it to the packing instruction.",
        outcome="Labels checked before wrapping; mislabelled shipments fell from 9 to 1 a quarter.",
    ),
    DemoSuggestion(
        text="Reuse the pallets that deliveries arrive on for our own shipments.",
        category=Category.ENVIRONMENT,
        department="Logistics",
        days_ago=170,
        author="lb01@demo.example",
        steps=(_review(4), (Status.ACCEPTED, 11, ""), (Status.DONE, 60, "")),
        owner="logistics.manager@demo.example",
        action="Sort incoming pallets by grade and keep a reuse stack at each dock.",
        outcome="Incoming pallets are sorted and reused; 40% fewer new pallets bought.",
    ),
]


@transaction.atomic
def seed_suggestions(*, today: datetime.date | None = None) -> int:
    """Create the demo suggestions that do not exist yet; returns how many were created."""
    today = today or timezone.localdate()
    existing = set(
        Suggestion.objects.filter(text__in=[s.text for s in SUGGESTIONS]).values_list(
            "text", flat=True
        )
    )
    wanted = [demo for demo in SUGGESTIONS if demo.text not in existing]
    if not wanted:
        return 0
    people = {user.email: user for user in User.objects.filter(email__in=_emails(wanted))}
    departments = {department.name: department for department in Department.objects.all()}
    for demo in wanted:
        _create(demo, people=people, departments=departments, today=today)
    return len(wanted)


def _emails(wanted: list[DemoSuggestion]) -> set[str]:
    return {TRIAGED_BY} | {email for demo in wanted for email in (demo.author, demo.owner) if email}


def _create(
    demo: DemoSuggestion,
    *,
    people: dict[str, User],
    departments: dict[str, Department],
    today: datetime.date,
) -> None:
    submitted_on = today - datetime.timedelta(days=demo.days_ago)
    suggestion = Suggestion.objects.create(
        text=demo.text,
        category=demo.category,
        department=departments.get(demo.department) if demo.department else None,
        submitted_on=submitted_on,
        author=people[demo.author] if demo.author else None,
    )
    status = Status.NEW
    for to_status, after, note in demo.steps:
        on = min(submitted_on + datetime.timedelta(days=after), today)
        SuggestionEvent.objects.create(
            suggestion=suggestion,
            from_status=status,
            to_status=to_status,
            by=people[TRIAGED_BY],
            on=on,
            note=note,
        )
        status = to_status
        _reach(suggestion, demo=demo, status=status, on=on, people=people)
        if suggestion.author_id is not None:
            _notify_author(suggestion, on=on, today=today)
    suggestion.save()


def _reach(
    suggestion: Suggestion,
    *,
    demo: DemoSuggestion,
    status: str,
    on: datetime.date,
    people: dict[str, User],
) -> None:
    suggestion.status, suggestion.status_changed_on = status, on
    if status == Status.ACCEPTED:
        suggestion.owner, suggestion.action = people[demo.owner], demo.action
    elif status == Status.DECLINED:
        suggestion.decline_reason = demo.reason
    elif status == Status.DONE:
        suggestion.outcome = demo.outcome


def _notify_author(suggestion: Suggestion, *, on: datetime.date, today: datetime.date) -> None:
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    note = notification(
        user_id=suggestion.author_id,
        kind=Notification.Kind.SUGGESTION,
        message=author_notice(suggestion=suggestion),
        url=my_suggestions_url(),
    )
    note.created_at = at
    note.read_at = at if (today - on).days > READ_AFTER_DAYS else None
    note.save()
