from .delivery import Acknowledgement, CampaignFeedback, Delivery, Release
from .pages import CampaignIndexPage, CampaignPage
from .suggestions import Suggestion, SuggestionEvent

__all__ = [
    "Acknowledgement",
    "CampaignFeedback",
    "CampaignIndexPage",
    "CampaignPage",
    "Delivery",
    "Release",
    "Suggestion",
    "SuggestionEvent",
]
