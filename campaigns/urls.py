from django.urls import path

from campaigns.views import feedback_inbox, reach, reading, suggest, triage

urlpatterns = [
    # --- Campaigns for their readers (campaigns/views/reading.py)
    path("campaigns/", reading.my_campaigns, name="my_campaigns"),
    path(
        "campaigns/<int:pk>/acknowledge/",
        reading.campaign_acknowledge,
        name="campaign_acknowledge",
    ),
    path("campaigns/<int:pk>/changes/", reading.campaign_changes, name="campaign_changes"),
    path("campaigns/<int:pk>/feedback/", reading.campaign_feedback, name="campaign_feedback"),
    # --- Reach of campaigns and feedback answers (campaigns/views/reach.py)
    path("campaigns/reach/", reach.campaign_reach_index, name="campaign_reach_index"),
    path("campaigns/<int:pk>/reach/", reach.campaign_reach, name="campaign_reach"),
    path(
        "campaigns/feedback/",
        feedback_inbox.campaign_feedback_inbox,
        name="campaign_feedback_inbox",
    ),
    path(
        "campaigns/feedback/<int:pk>/",
        feedback_inbox.campaign_feedback_answer,
        name="campaign_feedback_answer",
    ),
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
