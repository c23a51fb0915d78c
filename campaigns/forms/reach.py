"""The choice of the version whose reach a page shows."""

from __future__ import annotations

from django import forms

from campaigns.selectors.reach import AskedVersion


class ReachVersionForm(forms.Form):
    revision = forms.TypedChoiceField(
        label="Version",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the versions listed."},
        help_text="A version is what a release asked people to read; a minor change keeps the "
        "version it follows.",
    )

    def __init__(self, *args, versions: list[AskedVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].choices = [
            (version.revision_id, version.label) for version in reversed(versions)
        ]
