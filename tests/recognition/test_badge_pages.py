"""The badge pages: my badges with their history and progress, sharing (owner only), the public
page of a shared badge, the criteria page, and HR revoking an award in the CMS."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recognition.models import BadgeAward, BadgeCriterion
from tests.recognition.factories import BadgeAwardFactory, BadgeFactory, KudosFactory

pytestmark = pytest.mark.django_db

MY_BADGES = "/recognition/badges/"


def _share_url(award) -> str:
    return reverse("badge_award_share", args=[award.uid])


@pytest.fixture
def kudos_badge(db):
    return BadgeFactory(
        name="Appreciated",
        slug="appreciated",
        criterion=BadgeCriterion.KUDOS_RECEIVED,
        threshold=3,
        criteria_narrative="Receive kudos from three colleagues.",
    )


def _history(
    person, badge, *, awards: int, current: bool = True, after: int = 0
) -> list[BadgeAward]:
    """`awards` expired awards of `badge` (numbered from `after` + 1), then a current one
    unless `current` is false."""
    now = timezone.now()
    made = [
        BadgeAwardFactory(
            badge=badge,
            user=person,
            sequence=after + n,
            awarded_at=now - datetime.timedelta(days=400 * (awards + 1 - n)),
            expires_at=now - datetime.timedelta(days=400 * (awards - n) + 35),
        )
        for n in range(1, awards + 1)
    ]
    if current:
        made.append(BadgeAwardFactory(badge=badge, user=person, sequence=after + awards + 1))
    return made


# --- My badges


def test_my_badges_shows_what_i_hold_with_its_history_and_what_i_can_earn(
    client, employee, outsider, kudos_badge
):
    held = BadgeFactory(name="Team player", slug="team-player")
    _history(employee, held, awards=2)
    KudosFactory(receiver=employee, sender=outsider)
    client.force_login(employee)

    response = client.get(MY_BADGES)

    assert response.status_code == 200
    page = response.context
    [entry] = page["held"]
    assert entry.badge == held
    assert [award.sequence for award in entry.awards] == [3, 2, 1]
    assert len(entry.history) == 2
    [available] = page["available"]
    assert (available.badge, available.measure.count, available.target) == (kudos_badge, 1, 3)
    html = response.content.decode()
    assert "Earlier awards" in html
    assert "1 of 3" in html
    assert "Share “Team player” publicly" in html


def test_my_badges_shows_only_my_own_awards(client, employee, outsider, kudos_badge):
    BadgeAwardFactory(user=outsider, badge=kudos_badge)
    client.force_login(employee)

    response = client.get(MY_BADGES)

    assert response.context["held"] == []
    assert [entry.badge for entry in response.context["available"]] == [kudos_badge]


def _count_my_badges(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(MY_BADGES).status_code == 200


# Session and user, awards, active badges (no images here), the six criteria (nine queries),
# then the site shell.
MY_BADGES_QUERIES = 16


def test_my_badges_runs_a_fixed_number_of_queries_whatever_the_history(
    client, employee, manager, kudos_badge, django_assert_num_queries
):
    # Every criterion is weighed at both sizes: the awards are expired, so each badge is also
    # one the person can earn again.
    others = [BadgeFactory(criterion=criterion) for criterion in BadgeCriterion.values]
    client.force_login(employee)
    for badge in others:
        _history(employee, badge, awards=1, current=False)
    _count_my_badges(client, django_assert_num_queries, MY_BADGES_QUERIES)

    for badge in others:
        _history(employee, badge, awards=4, current=False, after=1)
    for _ in range(5):
        KudosFactory(receiver=employee, sender=manager)
    _count_my_badges(client, django_assert_num_queries, MY_BADGES_QUERIES)


# --- Sharing


def test_the_holder_shares_a_badge_and_stops_sharing_it(client, employee):
    award = BadgeAwardFactory(user=employee)
    client.force_login(employee)

    response = client.post(_share_url(award), {"public": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{MY_BADGES}#award-{award.uid}"
    award.refresh_from_db()
    assert award.is_public
    client.post(_share_url(award), {"public": "0"})
    award.refresh_from_db()
    assert not award.is_public


@pytest.mark.parametrize("persona", ["manager", "hr", "outsider"])
def test_nobody_else_can_share_a_badge(client, personas, persona):
    award = BadgeAwardFactory(user=personas["employee"])
    client.force_login(personas[persona])

    response = client.post(_share_url(award), {"public": "1"})

    assert response.status_code == 404
    award.refresh_from_db()
    assert not award.is_public


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_share_without_a_clear_choice_is_refused_with_a_message(client, employee, value):
    award = BadgeAwardFactory(user=employee)
    client.force_login(employee)

    response = client.post(_share_url(award), {"public": value})

    assert response.status_code == 400
    assert "Choose whether to share the badge or not." in response.content.decode()
    award.refresh_from_db()
    assert not award.is_public


def test_a_revoked_badge_cannot_be_shared_and_says_why(client, employee):
    award = BadgeAwardFactory(
        user=employee, revoked_at=timezone.now(), revocation_reason="Awarded by mistake."
    )
    client.force_login(employee)

    response = client.post(_share_url(award), {"public": "1"})

    assert response.status_code == 400
    assert "This badge was revoked: it cannot be shared." in response.content.decode()
    award.refresh_from_db()
    assert not award.is_public


# --- The public page


@pytest.fixture
def shared(employee, kudos_badge):
    return BadgeAwardFactory(
        user=employee,
        badge=kudos_badge,
        is_public=True,
        evidence_narrative="Received 3 kudos from colleagues.",
    )


def test_a_shared_badge_has_a_public_page_naming_its_holder_by_first_name_and_initial(
    client, shared
):
    response = client.get(f"/badges/{shared.uid}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Awarded to Team M." in html
    assert "Member" not in html
    assert "employee@example.com" not in html
    assert "Receive kudos from three colleagues." in html
    assert (
        f'<link rel="alternate" type="application/ld+json" '
        f'href="/badges/assertions/{shared.uid}.json">' in html
    )


def test_a_badge_not_shared_has_no_public_page(client, employee, shared):
    shared.is_public = False
    shared.save()
    client.force_login(employee)  # not even for its holder: the page is for others

    assert client.get(f"/badges/{shared.uid}/").status_code == 404


def test_a_revoked_badge_has_no_public_page(client, shared, hr):
    from recognition.services.badges import revoke_award

    revoke_award(award=shared, reason="Awarded by mistake.", by=hr)

    assert client.get(f"/badges/{shared.uid}/").status_code == 404


def test_the_criteria_page_is_public(client, kudos_badge):
    response = client.get("/badges/appreciated/")

    assert response.status_code == 200
    assert "Receive kudos from three colleagues." in response.content.decode()


# --- HR revokes an award in the CMS


def _revoke_url(award) -> str:
    return reverse("badge_award_revoke", args=[award.pk])


def test_hr_revokes_an_award_with_a_reason(client, hr, employee):
    award = BadgeAwardFactory(user=employee, is_public=True)
    client.force_login(hr)

    assert client.get(_revoke_url(award)).status_code == 200
    response = client.post(_revoke_url(award), {"reason": "Awarded by mistake."})

    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.revocation_reason, award.is_public) == ("Awarded by mistake.", False)


def test_a_revocation_without_a_reason_is_refused_with_a_message(client, hr, employee):
    award = BadgeAwardFactory(user=employee)
    client.force_login(hr)

    response = client.post(_revoke_url(award), {"reason": " "})

    assert response.status_code == 400
    assert "Say why the badge is revoked." in response.content.decode()
    award.refresh_from_db()
    assert award.revoked_at is None


@pytest.mark.parametrize(("persona", "expected"), [("manager", 302), ("comms", 403)])
def test_only_hr_revokes_awards(client, personas, persona, expected):
    # A manager has no way into the CMS (sent to log in); Communications has, but not this.
    award = BadgeAwardFactory(user=personas["employee"])
    client.force_login(personas[persona])

    response = client.post(_revoke_url(award), {"reason": "Mistake."})

    assert response.status_code == expected
    award.refresh_from_db()
    assert award.revoked_at is None


def test_hr_sees_the_awards_in_the_cms(client, hr, employee):
    BadgeAwardFactory(user=employee, badge=BadgeFactory(name="Quality champion"))
    client.force_login(hr)

    response = client.get(reverse("badge_awards:index"))

    assert response.status_code == 200
    assert "Quality champion" in response.content.decode()


def test_hr_defines_a_badge_in_the_cms_and_communications_only_sees_them(client, hr, comms):
    client.force_login(hr)
    assert client.get(reverse("wagtailsnippets_recognition_badge:add")).status_code == 200
    response = client.post(
        reverse("wagtailsnippets_recognition_badge:add"),
        {
            "name": "Voice of improvement",
            "slug": "voice-of-improvement",
            "description": "Suggestions that changed how we work.",
            "criterion": BadgeCriterion.SUGGESTIONS_ACCEPTED,
            "threshold": "5",
            "criteria_narrative": "Have five signed suggestions accepted.",
        },
    )
    assert response.status_code == 302
    assert client.get("/badges/voice-of-improvement/").status_code == 200

    client.force_login(comms)
    assert client.get(reverse("wagtailsnippets_recognition_badge:list")).status_code == 200
    assert client.get(reverse("wagtailsnippets_recognition_badge:add")).status_code in (302, 403)
