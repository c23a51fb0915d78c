from django.views.generic import TemplateView


class RosterImportView(TemplateView):
    template_name = "lms/roster_import.html"
