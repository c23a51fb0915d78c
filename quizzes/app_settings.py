"""The quiz engine's own settings, read with defaults here so the engine needs nothing else of the
project: the project points `LMS_QUIZ_MARKDOWN_RENDERER` at its one sanitising renderer and
`LMS_QUIZ_ADAPTER` at an adapter that knows who may see whose attempts."""

from functools import cache

from django.conf import settings
from django.utils.html import escape, linebreaks
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString


def _setting(name: str, default):
    return getattr(settings, name, default)


def grace_seconds() -> int:
    """How long after the time limit a submission still counts: the time a form takes to arrive."""
    return _setting("LMS_QUIZ_GRACE_SECONDS", 15)


@cache
def _markdown_renderer():
    path = _setting("LMS_QUIZ_MARKDOWN_RENDERER", "")
    return import_string(path) if path else None


def render_markdown(text: str) -> SafeString:
    renderer = _markdown_renderer()
    if renderer is None:
        return linebreaks(escape(text or ""))
    return renderer(text)


@cache
def _adapter_class():
    return import_string(_setting("LMS_QUIZ_ADAPTER", "quizzes.adapter.QuizAdapter"))


def adapter():
    return _adapter_class()()
