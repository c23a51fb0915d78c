from datetime import date, timedelta

from django import forms
from django.db.models import Q, QuerySet

from lms.models import Department, JobRole, ManagementLevel, TrainingModule, User


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
