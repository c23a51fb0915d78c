"""Operations on people and the org chart."""

from __future__ import annotations

from django.db import transaction

from lms.models import Invitation, User

# Deeper than any real organisation, so a walk up the chain always ends.
MAX_CHAIN_LENGTH = 64


def manager_chain_back_to(*, person: User, manager: User) -> list[User]:
    """The reporting chain that would lead from `person` back to themselves if `manager` became
    their line manager, starting and ending with `person`; empty when there would be no loop."""
    chain = [person]
    current: User | None = manager
    for _ in range(MAX_CHAIN_LENGTH):
        if current is None:
            return []
        chain.append(current)
        if person.pk is not None and current.pk == person.pk:
            return chain
        current = current.manager
    return chain


def set_usable_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])


def invite_people_without_password(*, users: list[User]) -> int:
    """Write one invitation row per person who cannot log in yet; the rows are sent later."""
    rows = [Invitation(user=u) for u in users if not u.has_usable_password()]
    with transaction.atomic():
        Invitation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
