"""The points rules a new organisation starts with; HR changes them in the CMS."""

from django.db import migrations

DEFAULT_RULES = [
    # event, points, bonus, weekly cap, description
    ("module_completed", 10, 5, None, "Completing a training module; 5 more if on time."),
    ("quiz_passed", 10, 5, None, "Passing a quiz once; 5 more at the first attempt."),
    ("campaign_acknowledged", 5, 0, None, "Acknowledging a campaign within the time asked."),
    ("suggestion_accepted", 25, 0, None, "A signed suggestion accepted for action."),
    ("effectiveness_check", 5, 0, 50, "Answering an effectiveness check for a team member."),
    ("team_on_time", 50, 0, None, "Every mandatory assignment of the team done on time."),
    ("kudos_received", 5, 0, 25, "Kudos from a colleague."),
]


def add_rules(apps, schema_editor):
    PointsRule = apps.get_model("recognition", "PointsRule")
    for event, points, bonus, cap, description in DEFAULT_RULES:
        PointsRule.objects.get_or_create(
            event=event,
            defaults={
                "points": points,
                "bonus_points": bonus,
                "weekly_cap": cap,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0002_hr_runs_recognition")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
