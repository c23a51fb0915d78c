"""Wagtail's user management with the fields that place a person in the organisation."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from lms import tasks
from lms.models import User

PERSON_FIELDS = {"employee_id", "department", "job_role", "management_level", "manager"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        # Two people can share a name; the address tells them apart.
        name = obj.get_full_name()
        return f"{name} <{obj.email}>" if name else obj.email


class PersonFormMixin:
    """The org-chart fields of a person; the line manager loop check is User.clean's."""

    def __init__(self, *args, may_grant_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant_admin:
            # Only an administrator may make someone an administrator.
            self.fields.pop("is_superuser", None)
        self.fields["employee_id"].label = "Employee ID"
        instance = self.instance
        choices = User.objects.filter(Q(is_active=True) | Q(pk=instance.manager_id))
        if instance.pk is not None:
            choices = choices.exclude(pk=instance.pk)
        self.fields["manager"] = PersonChoiceField(
            queryset=choices,
            required=False,
            label="Line manager",
            help_text="Whom this person reports to.",
        )


class PersonCreationForm(PersonFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PERSON_FIELDS


class PersonEditForm(PersonFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PERSON_FIELDS


class IndexView(users.IndexView):
    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(3, Column("department", label="Department", width="15%"))
        return columns

    @cached_property
    def search_fields(self):
        return ["first_name", "last_name", "email", "employee_id"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department")


# Fields that can move a person into or out of an assignment rule's audience.
AUDIENCE_FIELDS = {"department", "job_role", "management_level", "is_active"}


class CreateView(users.CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_grant_admin": self.request.user.is_superuser}

    def save_instance(self):
        person = super().save_instance()
        tasks.sync_assignments_later([person.pk])
        return person


class EditView(users.EditView):
    def dispatch(self, request, *args, **kwargs):
        # Whoever could change an administrator's address or password could become them.
        if self.object.is_superuser and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "may_grant_admin": self.request.user.is_superuser}

    def save_instance(self):
        person = super().save_instance()
        if AUDIENCE_FIELDS & set(self.form.changed_data):
            tasks.sync_assignments_later([person.pk])
        return person


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm
