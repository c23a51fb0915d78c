from django.urls import path

from campaigns.views import suggest, triage

urlpatterns = [
    # --- The suggestion box, its authors' view and "you said, we did" (campaigns/views/suggest.py)
    # Every URL of the box itself starts with /suggest/, which campaigns/logging.py keeps out
    # of the logs.
    path("suggest/", suggest.suggest, name="suggest"),
    path("suggest/thanks/", suggest.suggest_thanks, name="suggest_thanks"),
    path("suggestions/mine/", suggest.my_suggestions, name="my_suggestions"),
    path("you-said-we-did/", suggest.you_said_we_did, name="you_said_we_did"),
    # --- Triage and reports of suggestions (campaigns/views/triage.py)
    path("suggestions/triage/", triage.suggestion_triage, name="suggestion_triage"),
    path(
        "suggestions/triage/<int:pk>/",
        triage.suggestion_triage_detail,
        name="suggestion_triage_detail",
    ),
    path("suggestions/report/", triage.suggestion_report_page, name="suggestion_report"),
]
