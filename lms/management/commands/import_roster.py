"""Import the HR roster CSV from the command line, as the admin page does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms import tasks
from lms.services.roster import RosterInvalid, import_roster, read_roster_csv


class Command(BaseCommand):
    help = "Bring people and the org chart in step with the HR roster CSV; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The roster CSV (UTF-8).")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Deactivate people with an employee id who are not in the file.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and count; change nothing."
        )
        parser.add_argument(
            "--no-invite", action="store_true", help="Do not invite new people by e-mail."
        )

    def handle(self, *args, file: Path, deactivate_missing, dry_run, no_invite, **options):
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"There is no file {file}.") from None
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = import_roster(
                rows=read_roster_csv(data=data),
                deactivate_missing=deactivate_missing,
                dry_run=dry_run,
                invite_new_people=not no_invite,
            )
        except RosterInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            count = len(invalid.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'' if count == 1 else 's'} in {file}"
            ) from None
        self.stdout.write(result.summary())
        # New and moved people get (or lose) their rule assignments in the background.
        tasks.sync_assignments_later(result.affected_user_ids)
        # After the import's transaction, so the task finds the invitation rows committed.
        if (
            result.invited
            and not result.dry_run
            and not tasks.enqueue(tasks.send_pending_invitations)
        ):
            self.stderr.write(
                "The invitation e-mails could not be queued now; the periodic task will "
                "send them when the task queue is back."
            )
