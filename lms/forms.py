from datetime import date, timedelta

from django import forms
from django.db.models import Q, QuerySet

from lms.models import (
    Competence,
    Department,
    EffectivenessCheck,
    IsoClause,
    IsoStandard,
    JobRole,
    ManagementLevel,
    ProficiencyLevel,
    TrainingModule,
    User,
)
from lms.selectors.matrix import CellStatus, MatrixFilters


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name, e-mail or employee id", required=False, max_length=100)
    department = forms.ModelChoiceField(queryset=Department.objects.all(), required=False)
    job_role = forms.ModelChoiceField(queryset=JobRole.objects.all(), required=False)
    management_level = forms.ChoiceField(
        choices=[("", "Any level"), *ManagementLevel.choices], required=False
    )
    active = forms.ChoiceField(
        label="Status",
        choices=[("yes", "Active"), ("no", "Deactivated"), ("", "Everyone")],
        required=False,
        initial="yes",
    )

    def filter(self, people: QuerySet[User]) -> QuerySet[User]:
        if not self.is_bound:
            return people.filter(is_active=True)
        if not self.is_valid():
            return people.none()
        data = self.cleaned_data
        if data["q"]:
            term = data["q"]
            people = people.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
                | Q(employee_id__iexact=term)
            )
        if data["department"]:
            people = people.filter(department=data["department"])
        if data["job_role"]:
            people = people.filter(job_role=data["job_role"])
        if data["management_level"]:
            people = people.filter(management_level=data["management_level"])
        if data["active"]:
            people = people.filter(is_active=data["active"] == "yes")
        return people


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV",
        help_text=(
            "Columns: employee_id, email, first_name, last_name, department, job_role, "
            "management_level, manager_employee_id."
        ),
    )
    deactivate_missing = forms.BooleanField(
        label="Deactivate people missing from the file (their records stay)", required=False
    )
    dry_run = forms.BooleanField(label="Only check the file; change nothing", required=False)


class AssignModuleForm(forms.Form):
    """A manager or HR assigns a module by hand. Who may be picked is decided by the view (a
    manager's team, or everyone for HR); the form shows only `shown_people` as checkboxes but
    accepts anyone in `allowed_people`, so a search narrows the list without limiting it."""

    module = forms.ModelChoiceField(
        queryset=TrainingModule.objects.none(),
        empty_label="Choose a module",
        error_messages={"invalid_choice": "That module is not published; choose another one."},
    )
    whole_team = forms.BooleanField(label="My whole team", required=False)
    include_indirect = forms.BooleanField(
        label="Include the people who report to my reports", required=False
    )
    people = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="People",
    )
    due_on = forms.DateField(label="Due date")
    mandatory = forms.BooleanField(
        label="Mandatory: it counts towards compliance", required=False, initial=True
    )

    def __init__(
        self,
        *args,
        allowed_people: QuerySet[User],
        shown_people: list[User],
        may_pick_team: bool,
        today: date,
        not_allowed_message: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["module"].queryset = TrainingModule.objects.live().order_by("title")
        people = self.fields["people"]
        people.queryset = allowed_people
        people.error_messages["invalid_choice"] = not_allowed_message
        people.widget.choices = [(person.pk, _person_label(person)) for person in shown_people]
        if not may_pick_team:
            del self.fields["whole_team"]
            del self.fields["include_indirect"]
        self.fields["due_on"].initial = today + timedelta(days=30)
        self.fields["due_on"].widget = forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "min": today.isoformat()}
        )

    def clean_due_on(self) -> date:
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError("The due date is in the past; choose today or a later day.")
        return due_on

    def clean(self):
        cleaned = super().clean()
        whole_team = cleaned.get("whole_team")
        picked = cleaned.get("people")
        if "people" in self.errors:
            return cleaned
        if whole_team and picked:
            raise forms.ValidationError(
                "Choose either your whole team or the people ticked, not both."
            )
        if not whole_team and not picked:
            raise forms.ValidationError(
                "Tick the people to assign it to"
                + (", or your whole team." if "whole_team" in self.fields else ".")
            )
        return cleaned


def _person_label(person: User) -> str:
    name = person.get_full_name() or person.email
    return f"{name} ({person.employee_id})" if person.employee_id else f"{name} <{person.email}>"


# --- Competences: recording competence by hand, answering effectiveness checks
# (lms/views/competences.py; the services check the same rules again)


def _date_input(today: date) -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "max": today.isoformat()})


def _not_in_future(day: date | None) -> date | None:
    from django.utils import timezone

    if day is not None and day > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future.")
    return day


class _CompetenceLevelForm(forms.Form):
    competence = forms.ModelChoiceField(
        queryset=Competence.objects.order_by("name"),
        empty_label="Choose a competence",
        error_messages={"invalid_choice": "That competence no longer exists; choose another."},
    )
    level = forms.TypedChoiceField(
        choices=ProficiencyLevel.choices,
        coerce=int,
        initial=ProficiencyLevel.COMPETENT,
        error_messages={"invalid_choice": "Choose a level from the proficiency scale."},
    )


class AssessmentForm(_CompetenceLevelForm):
    notes = forms.CharField(
        label="What you observed",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Write what you observed: the notes are the evidence of an assessment."
        },
    )
    achieved_on = forms.DateField(label="Assessed on", required=False, help_text="Empty for today.")

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["achieved_on"].widget = _date_input(timezone.localdate())

    def clean_achieved_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("achieved_on"))


class CertificateForm(_CompetenceLevelForm):
    file = forms.FileField(
        label="Certificate",
        help_text="A PDF, PNG or JPG file of at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"required": "Choose the certificate's file."},
    )
    issuer = forms.CharField(
        label="Issued by",
        max_length=200,
        error_messages={"required": "Name who issued the certificate."},
    )
    achieved_on = forms.DateField(label="Awarded on")
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        help_text="If the certificate states one; else the competence's validity applies.",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["achieved_on"].widget = _date_input(timezone.localdate())

    def clean_file(self):
        from lms.services.competence import validate_certificate_file

        file = self.cleaned_data["file"]
        validate_certificate_file(file)
        return file

    def clean_achieved_on(self) -> date | None:
        return _not_in_future(self.cleaned_data.get("achieved_on"))

    def clean(self):
        cleaned = super().clean()
        achieved_on, expires_on = cleaned.get("achieved_on"), cleaned.get("expires_on")
        if achieved_on and expires_on and expires_on <= achieved_on:
            self.add_error("expires_on", "The expiry date must come after the date it was awarded.")
        return cleaned


class RevokeRecordForm(forms.Form):
    reason = forms.CharField(
        label="Why it is revoked",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Say why the record is revoked: the reason is part of the evidence."
        },
    )


class EffectivenessAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Does the person apply it at work?",
        choices=[
            (EffectivenessCheck.Outcome.CONFIRMED, "Yes, they apply it at work"),
            (EffectivenessCheck.Outcome.NEEDS_SUPPORT, "Not yet: they need support"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the person applies it at work or needs support."
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when they need support: say what support.",
    )

    def clean(self):
        cleaned = super().clean()
        needs_support = cleaned.get("outcome") == EffectivenessCheck.Outcome.NEEDS_SUPPORT
        if needs_support and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what support the person needs.")
        return cleaned


class MatrixFilterForm(forms.Form):
    """The filters of the competence matrix and the reports built on it. Unknown values are
    errors, never silently ignored."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.all(),
        required=False,
        empty_label="Every department",
        help_text="Includes its sub-departments.",
    )
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.all(), required=False, empty_label="Every job role"
    )
    management_level = forms.ChoiceField(
        choices=[("", "Every level"), *ManagementLevel.choices], required=False
    )
    standard = forms.ModelChoiceField(
        queryset=IsoStandard.objects.all(), required=False, empty_label="Every standard"
    )
    clause = forms.ModelChoiceField(
        queryset=IsoClause.objects.select_related("standard"),
        required=False,
        empty_label="Every clause",
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CellStatus.choices],
        required=False,
        help_text="Shows the people with at least one competence in this status.",
    )
    within = forms.IntegerField(
        label="Expiring within (days)",
        required=False,
        min_value=0,
        max_value=366,
        help_text="Empty for the renewal window.",
    )

    def clean(self):
        data = super().clean()
        standard, clause = data.get("standard"), data.get("clause")
        if standard and clause and clause.standard_id != standard.pk:
            raise forms.ValidationError(f"Clause {clause} is not part of {standard}.")
        return data

    def filters(self) -> MatrixFilters:
        """The filters chosen; call only once the form is valid."""
        data = self.cleaned_data
        return MatrixFilters(
            department=data.get("department"),
            job_role=data.get("job_role"),
            management_level=data.get("management_level") or "",
            standard=data.get("standard"),
            clause=data.get("clause"),
            status=data.get("status") or "",
            within_days=data.get("within"),
        )
