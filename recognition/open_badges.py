"""Open Badges 2.0 documents, as JSON-LD: the hosted assertion of an award, the BadgeClass of a
badge and the issuer's Profile.
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html

Ids are absolute URLs on WAGTAILADMIN_BASE_URL (never the request's Host header, which a
client chooses), and each resolves to the document it names.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from recognition.models import Badge, BadgeAward

CONTEXT = "https://w3id.org/openbadges/v2"
CONTENT_TYPE = "application/ld+json"
IMAGE_RENDITION = "fill-400x400"
DEFAULT_IMAGE = "recognition/badge-default.svg"


def absolute(path: str) -> str:
    """`path` (a site path, or a URL already absolute, as S3 media are) as an absolute URL."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def hashed_identity(email: str, salt: str) -> str:
    """The recipient's identity as Open Badges hashes it: sha256 of the e-mail and the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def issuer_profile() -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": absolute(reverse("badge_issuer")),
        "name": settings.LMS_OPEN_BADGES_ISSUER_NAME,
        "url": settings.LMS_OPEN_BADGES_ISSUER_URL,
        "email": settings.LMS_OPEN_BADGES_ISSUER_EMAIL,
    }


def image_url(badge: Badge) -> str:
    if badge.image is None:
        return absolute(static(DEFAULT_IMAGE))
    return absolute(badge.image.get_rendition(IMAGE_RENDITION).url)


def alignment(clauses) -> list[dict]:
    """One alignment per ISO clause: "ISO 9001 7.2" and the clause's title."""
    aligned = []
    for clause in clauses:
        standard = clause.standard.name.split(":")[0].strip()
        aligned.append(
            {
                "targetName": f"{standard} {clause.number}",
                "targetDescription": clause.title,
                "targetCode": clause.number,
                "targetFramework": clause.standard.name,
            }
        )
    return aligned


def badge_class(badge: Badge, *, clauses) -> dict:
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": absolute(reverse("badge_class", args=[badge.slug])),
        "name": badge.name,
        "description": badge.description,
        "image": image_url(badge),
        "criteria": {
            "id": absolute(reverse("badge_criteria", args=[badge.slug])),
            "narrative": badge.criteria_narrative,
        },
        "issuer": absolute(reverse("badge_issuer")),
        "alignment": alignment(clauses),
        "tags": [badge.get_criterion_display()],
    }


def assertion(award: BadgeAward) -> dict:
    """The hosted assertion of `award`; the recipient's e-mail is only ever given hashed."""
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_id(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.salt,
            "identity": hashed_identity(award.user.email, award.salt),
        },
        "badge": absolute(reverse("badge_class", args=[award.badge.slug])),
        "verification": {"type": "hosted"},
        "issuedOn": award.awarded_at.isoformat(),
    }
    if award.expires_at is not None:
        document["expires"] = award.expires_at.isoformat()
    if award.evidence_path or award.evidence_narrative:
        evidence = {"narrative": award.evidence_narrative}
        if award.evidence_path:
            evidence["id"] = absolute(award.evidence_path)
        document["evidence"] = [evidence]
    return document


def revoked_assertion(award: BadgeAward) -> dict:
    return {
        "@context": CONTEXT,
        "id": assertion_id(award),
        "type": "Assertion",
        "revoked": True,
        "revocationReason": award.revocation_reason,
    }


def assertion_id(award: BadgeAward) -> str:
    return absolute(reverse("badge_assertion", args=[award.uid]))
