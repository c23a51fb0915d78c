from .suggestions import Suggestion, SuggestionEvent

__all__ = ["Suggestion", "SuggestionEvent"]
