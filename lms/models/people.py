"""People and the org chart: who someone is, where they sit, and whom they report to."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class ManagementLevel(models.TextChoices):
    TOP = "top", "Top management"
    MIDDLE = "middle", "Middle management"
    FRONTLINE = "frontline", "Frontline management"
    STAFF = "staff", "Staff"


class Department(models.Model):
    name = models.CharField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The department this one belongs to, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        seen = {self.pk}
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": f"{ancestor} already sits under {self}."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class JobRole(models.Model):
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("A person needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", max_length=254, unique=True)
    # Null rather than blank so that accounts outside the HR roster (an administrator, a service
    # account) do not collide on the unique constraint.
    employee_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.SET_NULL, related_name="holders"
    )
    management_level = models.CharField(
        max_length=16, choices=ManagementLevel.choices, default=ManagementLevel.STAFF
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name="line manager",
    )
    is_active = models.BooleanField(
        default=True, help_text="Clear this instead of deleting: a leaver's records stay."
    )
    is_staff = models.BooleanField(default=False, help_text="Can log in to the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
            models.CheckConstraint(
                condition=models.Q(manager__isnull=True) | ~models.Q(manager=models.F("pk")),
                name="user_is_not_own_manager",
            ),
        ]
        permissions = [
            ("import_roster", "Can import the HR roster"),
            ("view_all_people", "Can see every person's records"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.manager_id is None:
            return
        from lms.services.people import manager_chain_back_to

        chain = manager_chain_back_to(person=self, manager=self.manager)
        if chain:
            names = " → ".join(str(p) for p in chain)
            raise ValidationError(
                {"manager": f"{self} cannot report to {self.manager}: {names} would be a loop."}
            )


class Invitation(models.Model):
    """An e-mail asking a person from the roster to choose a password, written before sending."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation for {self.user}"
