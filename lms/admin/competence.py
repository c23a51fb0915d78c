"""The competence framework's edit form, and HR's read-only listing of competence records.

Records are append-only evidence, so the CMS lists and shows them but offers no way to add, edit
or delete one: assessments, certificates and revocations are recorded on the person's
competences page (lms/views/competences.py), where the rules of who may record are kept.
"""

from django.urls import path, reverse
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from lms.models import CompetenceRecord, IsoClause

# Django's own message for the requirement's check constraint: CompetenceRequirement.clean says
# the same in words an editor understands, so the constraint's message is dropped.
_CONSTRAINT_NAME = "requirement_names_a_role_or_level"


class CompetenceRequirementForm(WagtailAdminModelForm):
    """One requirement row: its clean() already says "choose a job role, a management level, or
    both"; the check constraint would add a second, technical message for the same mistake."""

    def _post_clean(self) -> None:
        super()._post_clean()
        errors = self._errors.get("__all__") if self._errors else None
        if errors:
            kept = [message for message in errors if _CONSTRAINT_NAME not in str(message)]
            if kept:
                errors[:] = kept
            else:
                del self._errors["__all__"]


class RequirementsPanel(InlinePanel):
    """The requirements inline, with rows built from CompetenceRequirementForm."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = CompetenceRequirementForm
        return options


class CompetenceForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each clause's label names its standard: load them together, grouped by standard.
        self.fields["clauses"].queryset = IsoClause.objects.select_related("standard").order_by(
            "standard__name", "sort_order", "number"
        )

    def clean(self):
        cleaned = super().clean()
        # The formset refuses two rows for the same role and level in general terms; say which.
        formset = self.formsets.get("requirements")
        if formset is not None:
            formset.is_valid()  # cleans each row, so its cleaned_data can be compared
            seen = set()
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if not form.has_changed() or data.get("DELETE"):
                    continue
                # The submitted values: the formset drops a duplicate's from cleaned_data.
                key = (str(form["job_role"].value() or ""), form["management_level"].value() or "")
                if key in seen:
                    form.add_error(
                        None, "Another requirement names the same job role and management level."
                    )
                seen.add(key)
        return cleaned

    def is_valid(self) -> bool:
        # clean() may add errors to the requirement rows after the formset was validated.
        valid = super().is_valid()
        formset = self.formsets.get("requirements")
        return valid and (formset is None or not any(form.errors for form in formset.forms))


# --- Competence records, read-only


class RecordURLFinder(ModelAdminURLFinder):
    """Links to a record in the CMS open its inspect view: there is no edit view."""

    def construct_edit_url(self, instance):
        return reverse("competence_records:inspect", args=[instance.pk])

    def get_edit_url(self, instance):
        if self.user is not None and not self.user.has_perm("lms.view_competencerecord"):
            return None
        return self.construct_edit_url(instance)


def _evidence(record: CompetenceRecord) -> str:
    if record.kind == CompetenceRecord.Kind.REVOKED:
        return f"Revoked: {record.reason}"
    if record.source == CompetenceRecord.Source.ASSESSMENT:
        return f"Assessed by {record.assessor}"
    if record.source == CompetenceRecord.Source.CERTIFICATE:
        return f"Certificate from {record.certificate_issuer}"
    if record.completion_id:
        return f"Completed “{record.completion.module.title}”"
    return record.get_source_display()


class ReadOnlyViewSet(ModelViewSet):
    """A listing with inspect views and nothing that adds, edits or deletes: for append-only
    evidence and for outboxes the platform alone writes."""

    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    sort_order_field = None
    search_backend_name = None
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # No view adds, edits or deletes a row, so none links to one.
        for name in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


class CompetenceRecordViewSet(ReadOnlyViewSet):
    model = CompetenceRecord
    icon = "success"
    menu_label = "Competence records"
    menu_order = 870
    list_display = [
        Column("user", label="Person", accessor="user"),
        Column("competence", label="Competence", accessor="competence"),
        Column("kind", label="Record", accessor="get_kind_display"),
        Column("level", label="Level", accessor="get_level_display"),
        Column("source", label="Source", accessor="get_source_display"),
        Column("evidence", label="Evidence", accessor=_evidence),
        DateColumn("achieved_at", label="Achieved"),
        DateColumn("expires_at", label="Expires"),
        DateColumn("recorded_at", label="Recorded"),
    ]
    list_filter = ["competence", "kind", "source"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "user__employee_id"]
    ordering = ["-recorded_at", "-pk"]
    inspect_view_fields = [
        "user",
        "competence",
        "kind",
        "level",
        "achieved_at",
        "expires_at",
        "source",
        "completion",
        "revision",
        "attempt",
        "assessor",
        "notes",
        "certificate_issuer",
        "supersedes",
        "reason",
        "recorded_by",
        "recorded_at",
    ]

    def get_queryset(self, request):
        return CompetenceRecord.objects.select_related(
            "user", "competence", "assessor", "completion__module"
        ).defer("completion__module__body")

    @property
    def url_finder_class(self):
        return RecordURLFinder
