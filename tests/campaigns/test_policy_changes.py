"""Policy campaigns that change: a minor change asks nobody again; a material one asks the
audience again and shows each reader what changed since the version they acknowledged."""

import re

import pytest
from django.urls import reverse

from campaigns.models import CampaignPage
from campaigns.selectors.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    SAME,
    SKIPPED,
    Piece,
    campaign_text,
    text_diff,
)
from campaigns.selectors.reading import reader_standing
from campaigns.services.reading import acknowledge
from tests.campaigns.factories import make_campaign, md, publish_change
from tests.lms.factories_training import make_clause

POLICY = [
    md("## Calibration\n\nEvery gauge is checked weekly against the reference set."),
    md("Out-of-date gauges are taken out of use."),
]


@pytest.fixture
def policy(operations):
    return make_campaign(
        title="Measuring equipment policy",
        body=POLICY,
        audience_departments=[operations],
        needs_acknowledgement=True,
        is_policy=True,
        policy_reference="POL-QA-007",
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _changes(client, campaign):
    return client.get(reverse("campaign_changes", args=[campaign.pk]))


NEW_POLICY = [
    md("## Calibration\n\nEvery gauge is checked daily against the reference set."),
    md("Out-of-date gauges are taken out of use."),
]


class TestMinorAndMaterialChanges:
    def test_a_minor_change_asks_nobody_again(self, client, employee, policy):
        acknowledge(campaign=policy, user=employee)
        publish_change(policy, material=False, body=[md("## Calibration"), *POLICY[1:]])
        standing = reader_standing(campaign=policy, user=employee)
        assert standing.acknowledgement is not None
        assert not standing.must_acknowledge
        client.force_login(employee)
        text = _text(client.get(policy.url))
        assert "You acknowledged this on" in text
        assert reverse("campaign_changes", args=[policy.pk]) not in text

    def test_a_material_change_asks_again_and_links_to_what_changed(self, client, employee, policy):
        acknowledge(campaign=policy, user=employee)
        publish_change(
            policy, material=True, body=NEW_POLICY, change_summary="Gauges are checked daily."
        )
        standing = reader_standing(campaign=policy, user=employee)
        assert standing.asked_again
        client.force_login(employee)
        text = _text(client.get(policy.url))
        assert "It has changed since you acknowledged it" in text
        assert "It has changed in a way that matters: Gauges are checked daily." in text
        assert f'href="{reverse("campaign_changes", args=[policy.pk])}"' in text
        assert "I acknowledge this</button>" in text

    def test_what_changed_shows_the_words_and_the_summary(self, client, employee, policy):
        acknowledge(campaign=policy, user=employee)
        publish_change(
            policy, material=True, body=NEW_POLICY, change_summary="Gauges are checked daily."
        )
        client.force_login(employee)
        response = _changes(client, policy)
        text = _text(response)
        assert response.status_code == 200
        assert "What changed in POL-QA-007" in text
        assert "Compared with the version you acknowledged on" in text
        assert "Gauges are checked daily." in text
        assert (
            'Every gauge is checked <del class="diff__removed"><span class="diff__label">'
            'Removed:</span> weekly</del><ins class="diff__added"><span class="diff__label">'
            "Added:</span> daily</ins> against the reference set."
        ) in text

    def test_acknowledging_the_new_version_ends_the_question(self, client, employee, policy):
        first = acknowledge(campaign=policy, user=employee)
        publish_change(policy, material=True, body=NEW_POLICY)
        second = acknowledge(campaign=policy, user=employee)
        assert second.pk != first.pk
        assert second.revision_id != first.revision_id
        standing = reader_standing(campaign=policy, user=employee)
        assert standing.acknowledgement == second and not standing.asked_again

    def test_a_minor_change_after_a_material_one_keeps_asking_about_the_material_one(
        self, employee, policy
    ):
        acknowledge(campaign=policy, user=employee)
        material = publish_change(policy, material=True, body=NEW_POLICY)
        publish_change(policy, material=False, summary="A typo fixed.")
        second = acknowledge(campaign=policy, user=employee)
        assert second.revision_id == material.revision_id

    def test_someone_who_never_acknowledged_sees_the_change_from_the_version_before(
        self, client, manager, policy
    ):
        publish_change(policy, material=True, body=NEW_POLICY, change_summary="Daily checks.")
        client.force_login(manager)
        text = _text(_changes(client, policy))
        assert "Compared with the version published before this one." in text
        assert "Added:</span> daily</ins>" in text

    def test_the_first_version_has_nothing_to_compare_with(self, client, employee, policy):
        client.force_login(employee)
        text = _text(_changes(client, policy))
        assert "There is no earlier version to compare with" in text

    def test_text_from_the_editor_is_escaped(self, client, employee, policy):
        acknowledge(campaign=policy, user=employee)
        publish_change(policy, material=True, body=[md("<script>alert('x')</script> weekly")])
        client.force_login(employee)
        text = _text(_changes(client, policy))
        assert "<script>" not in text
        assert "&lt;script&gt;" in text

    def test_someone_outside_the_audience_gets_403(self, client, outsider, policy):
        client.force_login(outsider)
        assert _changes(client, policy).status_code == 403

    def test_an_unpublished_campaign_is_404(self, client, employee, policy):
        policy.unpublish()
        client.force_login(employee)
        assert _changes(client, policy).status_code == 404

    def test_anonymous_visitors_are_sent_to_log_in(self, client, policy):
        response = _changes(client, policy)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


class TestCampaignText:
    def test_it_takes_headings_paragraphs_list_items_and_markdown_source(self, db):
        clause = make_clause(number="7.3", title="Awareness")
        page = CampaignPage(
            title="Policy",
            summary="Why it matters.",
            body=[
                {
                    "type": "rich_text",
                    "value": (
                        "<h3>Scope</h3><p>All <b>sites</b>.</p><ul><li>One</li><li>Two</li></ul>"
                    ),
                },
                md("- first\n- second"),
                {"type": "checklist", "value": {"title": "Before use", "items": ["Check label"]}},
                {"type": "callout", "value": {"kind": "warning", "title": "", "text": "Stop."}},
                {"type": "iso_clause", "value": {"clause": clause.pk, "note": "Be aware."}},
            ],
        )
        assert campaign_text(page) == [
            "Policy",
            "Why it matters.",
            "Scope",
            "All sites.",
            "• One",
            "• Two",
            "- first",
            "- second",
            "Before use",
            "• Check label",
            "Warning",
            "Stop.",
            f"{clause.standard.name} clause 7.3 Awareness",
            "Be aware.",
        ]


class TestTextDiff:
    def test_a_reworded_line_is_compared_word_by_word(self):
        (line,) = text_diff(["Checked weekly by the operator."], ["Checked daily by the operator."])
        assert line.kind == CHANGED
        assert line.pieces == (
            Piece(SAME, "Checked "),
            Piece(REMOVED, "weekly"),
            Piece(ADDED, "daily"),
            Piece(SAME, " "),
            Piece(SAME, "by the operator."),
        )

    def test_a_rewritten_line_is_shown_removed_and_added(self):
        lines = text_diff(["Old rule entirely."], ["Something new altogether here."])
        assert [line.kind for line in lines] == [REMOVED, ADDED]

    def test_new_and_dropped_paragraphs(self):
        lines = text_diff(["Keep", "Drop"], ["Keep", "New"])
        assert [line.kind for line in lines] == [SAME, REMOVED, ADDED]

    def test_long_unchanged_runs_are_folded(self):
        old = [f"Paragraph {n}" for n in range(10)]
        new = [*old[:9], "Paragraph nine, reworded"]
        lines = text_diff(old, new, context=2)
        assert lines[0].kind == SKIPPED and lines[0].skipped == 7
        assert [line.kind for line in lines[1:3]] == [SAME, SAME]
