"""The HR roster import page in the Wagtail admin: upload, check, import, say what happened."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.defaults import permission_denied
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms import tasks
from lms.forms import RosterUploadForm
from lms.services.roster import RosterInvalid, RosterProblem, import_roster, read_roster_csv

# A roster at the 100,000-row default limit is about 11 MB; anything far bigger is not a roster.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
PROBLEMS_SHOWN = 200


class RosterImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "lms.import_roster"
    form_class = RosterUploadForm
    template_name = "lms/roster_import.html"
    page_title = "Import roster"
    header_icon = "group"

    def handle_no_permission(self):
        if not self.request.user.is_authenticated:
            return super().handle_no_permission()
        # Wagtail's admin turns PermissionDenied into a redirect to its dashboard; a plain 403
        # tells the browser (and the access log) what really happened.
        return permission_denied(self.request, PermissionDenied("Only HR can import the roster."))

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_success_url(self) -> str:
        return reverse("lms_roster_import")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = self.get_success_url()
        context["submit_button_label"] = "Import"
        context["submit_button_active_label"] = "Importing…"
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error(
                "file", f"This file is larger than {MAX_UPLOAD_BYTES // 2**20} MB; is it a roster?"
            )
            return self.form_invalid(form)
        try:
            result = import_roster(
                rows=read_roster_csv(data=upload.read()),
                deactivate_missing=form.cleaned_data["deactivate_missing"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except RosterInvalid as invalid:
            return self._show_problems(form, invalid.problems, upload.name)
        messages.success(self.request, result.summary())
        # New and moved people get (or lose) their rule assignments in the background.
        tasks.sync_assignments_later(result.affected_user_ids)
        # Sent only now, after the import's transaction has committed the invitation rows.
        if (
            result.invited
            and not result.dry_run
            and not tasks.enqueue(tasks.send_pending_invitations)
        ):
            messages.warning(
                self.request,
                "The invitation e-mails could not be queued just now; they will go out "
                "automatically when the task queue is back.",
            )
        return redirect(self.get_success_url())

    def _show_problems(self, form, problems: list[RosterProblem], file_name: str):
        count = len(problems)
        messages.error(
            self.request,
            f"Nothing was imported: {count} problem{'' if count == 1 else 's'} in {file_name}.",
        )
        context = self.get_context_data(
            form=form,
            problems=problems[:PROBLEMS_SHOWN],
            problems_not_shown=max(count - PROBLEMS_SHOWN, 0),
            file_name=file_name,
        )
        return self.render_to_response(context)
