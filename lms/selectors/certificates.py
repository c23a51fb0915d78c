"""Reads of certificates: the public check of a code, and a person's certificates."""

from __future__ import annotations

from lms.models import Certificate, Completion, User
from lms.services.certificates import CODE_ALPHABET, CODE_LENGTH, normalise_code


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with `code` (as typed: any case, dashes or not), with its person and
    module; one query, none for text that cannot be a code."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or set(code) - set(CODE_ALPHABET):
        return None
    return (
        Certificate.objects.select_related("completion__user", "completion__module")
        .only(
            "code",
            "valid_until",
            "revoked_at",
            "completion__completed_at",
            "completion__user__first_name",
            "completion__user__last_name",
            "completion__module__title",
        )
        .filter(code=code)
        .first()
    )


def completions_with_certificates(*, user: User) -> list[Completion]:
    """`user`'s completions, latest first, each with its certificate (None before it is issued)
    loaded in the same query."""
    return list(
        Completion.objects.filter(user=user)
        .select_related("module", "certificate")
        .only(
            "completed_at",
            "module__title",
            "certificate__code",
            "certificate__valid_until",
            "certificate__revoked_at",
            "certificate__revoked_reason",
        )
        .order_by("-completed_at", "-pk")
    )
