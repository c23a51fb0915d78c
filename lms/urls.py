from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.views import (
    assign,
    certificates,
    competences,
    evidence,
    health,
    learning,
    modules,
    people,
    reports,
    search,
    training_reports,
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", people.home, name="home"),
    path("team/", people.my_team, name="my_team"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("hr/people/", people.hr_people, name="hr_people"),
    # --- My learning, my team's learning and notifications (lms/views/learning.py)
    path("learning/", learning.my_learning, name="my_learning"),
    path("learning/team/", learning.my_team_learning, name="my_team_learning"),
    path(
        "learning/team/<int:pk>/remind/",
        learning.send_team_reminder,
        name="send_team_reminder",
    ),
    path("learning/notifications/", learning.notifications, name="notifications"),
    # --- Assigning training by hand: managers to their team, HR to anyone (lms/views/assign.py)
    path("learning/assign/", assign.assign_module, name="assign_module"),
    # --- Training content: module progress and search (lms/views/modules.py, search.py)
    path(
        "learning/modules/<int:page_id>/sections/<str:section_id>/done/",
        modules.section_done,
        name="module_section_done",
    ),
    path("search/", search.search, name="search"),
    path("learning/catalogue/", modules.training_catalogue, name="training_catalogue"),
    # --- Quizzes (quizzes/urls.py)
    path("quizzes/", include("quizzes.urls")),
    # --- Competences (lms/views/competences.py)
    path("learning/competences/", competences.my_competences, name="my_competences"),
    path(
        "people/<int:pk>/competences/",
        competences.person_competences,
        name="person_competences",
    ),
    path(
        "people/<int:pk>/competences/assessments/",
        competences.record_assessment,
        name="record_competence_assessment",
    ),
    path(
        "people/<int:pk>/competences/certificates/",
        competences.record_certificate,
        name="record_competence_certificate",
    ),
    path(
        "learning/competences/records/<int:pk>/revoke/",
        competences.revoke_record,
        name="revoke_competence_record",
    ),
    path(
        "learning/competences/records/<int:pk>/evidence/",
        competences.competence_evidence,
        name="competence_evidence",
    ),
    path("learning/team/checks/", competences.effectiveness_checks, name="effectiveness_checks"),
    path(
        "learning/team/checks/<int:pk>/",
        competences.answer_effectiveness_check,
        name="answer_effectiveness_check",
    ),
    # --- Certificates and module quizzes (lms/views/certificates.py)
    path(
        "learning/completions/<int:pk>/certificate.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "learning/completions/<int:pk>/certificate/revoke/",
        certificates.revoke_certificate,
        name="revoke_certificate",
    ),
    path("verify/<str:code>/", certificates.verify_certificate, name="verify_certificate"),
    # --- Reports: index and competence matrix (lms/views/reports.py)
    path("reports/", reports.reports_index, name="reports_index"),
    path("reports/matrix/", reports.competence_matrix, name="report_competence_matrix"),
    # --- Reports: gap analysis and training status (lms/views/training_reports.py)
    path("reports/gaps/", training_reports.gap_analysis, name="report_gaps"),
    path(
        "reports/gaps/assign/",
        training_reports.assign_gap_modules,
        name="report_gaps_assign",
    ),
    path("reports/training/", training_reports.training_status, name="report_training_status"),
    # --- Person competence files and audit evidence packs (lms/views/evidence.py)
    path(
        "people/<int:pk>/competences/file/",
        evidence.person_competence_file,
        name="person_competence_file",
    ),
    path(
        "people/<int:pk>/competences/file.pdf",
        evidence.person_competence_file_pdf,
        name="person_competence_file_pdf",
    ),
    path("reports/evidence-pack/", evidence.report_evidence_pack, name="report_evidence_pack"),
    # --- The read-only API for HR systems (lms/api/)
    path("api/v1/", include("lms.api.urls")),
    # --- Campaigns and the suggestion box (campaigns/urls.py)
    path("", include("campaigns.urls")),
    path("", include("recognition.urls")),
    path("accounts/", include("allauth.urls")),
    # The CMS signs people in through allauth too, so one set of rate limits covers both.
    path(
        "cms/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="cms_login",
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
