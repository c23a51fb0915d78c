from django import forms
from django.db.models import Q, QuerySet

from lms.models import Department, JobRole, ManagementLevel, User


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
