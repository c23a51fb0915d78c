"""What the API answers, field by field. Read-only: nothing here validates or saves input.

Statuses use one vocabulary everywhere, the matrix's (`CellStatus`): competent, expiring,
expired, revoked, below (the required level), missing, not_required.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.models import CompetenceRecord, Completion, ManagementLevel, ProficiencyLevel, User
from lms.selectors.competence import CompetenceStatus, Standing
from lms.selectors.matrix import CellStatus, Coverage

# A person's profile says "held" where the matrix says "competent"; the rest are the same words.
STATUS_OF_STANDING = {
    Standing.HELD: CellStatus.COMPETENT,
    Standing.EXPIRING: CellStatus.EXPIRING,
    Standing.EXPIRED: CellStatus.EXPIRED,
    Standing.REVOKED: CellStatus.REVOKED,
    Standing.BELOW: CellStatus.BELOW,
    Standing.MISSING: CellStatus.MISSING,
}


def _level(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=ProficiencyLevel.choices, allow_null=True, **kwargs)


class StatusCountsSerializer(serializers.Serializer):
    """How many required cells are in each status."""

    competent = serializers.IntegerField()
    expiring = serializers.IntegerField()
    expired = serializers.IntegerField()
    revoked = serializers.IntegerField()
    below = serializers.IntegerField()
    missing = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    required = serializers.IntegerField(help_text="Competences required.")
    covered = serializers.IntegerField(
        help_text="Required competences held at the required level (competent or expiring)."
    )
    percent = serializers.FloatField(
        allow_null=True, help_text="covered / required in percent, to one decimal; null if 0."
    )
    by_status = StatusCountsSerializer()


def coverage_data(coverage: Coverage) -> dict:
    return CoverageSerializer(coverage).data


# --- People


class PersonSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", allow_null=True)
    job_role_name = serializers.CharField(source="job_role.name", allow_null=True)
    management_level = serializers.ChoiceField(choices=ManagementLevel.choices)
    competence_status = serializers.SerializerMethodField(
        help_text="Where the person stands with the competences their job role and "
        "management level require."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "employee_id",
            "email",
            "first_name",
            "last_name",
            "department",
            "department_name",
            "job_role",
            "job_role_name",
            "management_level",
            "manager",
            "is_active",
            "competence_status",
        ]
        read_only_fields = fields

    @extend_schema_field(CoverageSerializer)
    def get_competence_status(self, person: User) -> dict:
        return coverage_data(self.context["summaries"].get(person.pk, Coverage()))


class ProfileCompetenceSerializer(serializers.Serializer):
    competence = serializers.IntegerField(source="competence.pk")
    competence_name = serializers.CharField(source="competence.name")
    required = serializers.SerializerMethodField()
    required_level = _level()
    status = serializers.SerializerMethodField()
    level = _level(source="held_level", help_text="The level held; null if none.")
    expires_at = serializers.DateTimeField(source="until", allow_null=True)
    record = serializers.IntegerField(
        source="record.pk", allow_null=True, help_text="Id of the current record, if any."
    )

    def get_required(self, status: CompetenceStatus) -> bool:
        return status.required_level is not None

    @extend_schema_field(serializers.ChoiceField(choices=CellStatus.choices))
    def get_status(self, status: CompetenceStatus) -> str:
        return STATUS_OF_STANDING[status.standing]


class PersonDetailSerializer(PersonSerializer):
    competences = serializers.SerializerMethodField(
        help_text="Every competence required of the person, then those they hold that nothing "
        "requires, each by name."
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "competences"]
        read_only_fields = fields

    @extend_schema_field(ProfileCompetenceSerializer(many=True))
    def get_competences(self, person: User) -> list:
        profile = self.context["profile"]
        return ProfileCompetenceSerializer(profile.required + profile.held, many=True).data


# --- Records and completions


class CompetenceRecordSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id")
    employee_id = serializers.CharField()
    competence_name = serializers.CharField()

    class Meta:
        model = CompetenceRecord
        fields = [
            "id",
            "person",
            "employee_id",
            "competence",
            "competence_name",
            "kind",
            "level",
            "achieved_at",
            "expires_at",
            "source",
            "completion",
            "revision",
            "attempt",
            "assessor",
            "certificate_issuer",
            "notes",
            "supersedes",
            "reason",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class CompletionSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="user_id")
    employee_id = serializers.CharField()
    module_title = serializers.CharField()

    class Meta:
        model = Completion
        fields = [
            "id",
            "person",
            "employee_id",
            "module",
            "module_title",
            "revision",
            "completed_at",
            "assignment",
            "on_time",
        ]
        read_only_fields = fields


# --- The matrix


class MatrixColumnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MatrixCellSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CellStatus.choices)
    level = _level(help_text="The level held; null if none.")
    required_level = _level()
    expires_at = serializers.DateTimeField(allow_null=True)


class MatrixRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    employee_id = serializers.CharField(source="person.employee_id")
    name = serializers.CharField(source="person.name")
    email = serializers.CharField(source="person.email")
    department = serializers.IntegerField(source="person.department_id", allow_null=True)
    department_name = serializers.CharField(source="department")
    job_role = serializers.IntegerField(source="person.job_role_id", allow_null=True)
    job_role_name = serializers.CharField(source="job_role")
    management_level = serializers.ChoiceField(
        source="person.management_level", choices=ManagementLevel.choices
    )
    cells = MatrixCellSerializer(many=True, help_text="One cell per column, in column order.")


class MatrixSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="People on every page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    columns = MatrixColumnSerializer(many=True)
    column_totals = CoverageSerializer(many=True, help_text="One per column, in column order.")
    overall = CoverageSerializer(help_text="Every required cell of every page.")
    results = MatrixRowSerializer(many=True, help_text="The people of this page.")
