"""On PostgreSQL the database itself refuses to change or delete a competence record, so not even
a raw query or a queryset `.update()` can rewrite evidence. (The model refuses it on every
database; SQLite, the embedded default, has only that.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lms_competence_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'competence records are append-only: add a new record instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lms_competence_record_append_only
    BEFORE UPDATE OR DELETE ON lms_competencerecord
    FOR EACH ROW EXECUTE FUNCTION lms_competence_record_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS lms_competence_record_append_only ON lms_competencerecord;
DROP FUNCTION IF EXISTS lms_competence_record_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lms", "0007_notification_kinds")]

    operations = [migrations.RunPython(create, drop)]
