"""The quiz engine in the CMS: quizzes as snippets (with revisions and a learner's-eye preview),
and their item statistics, linked from each quiz in the listing."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from quizzes.models import Quiz
from quizzes.views import ItemStatisticsView


def describe_attempts(quiz: Quiz) -> str:
    return "Unlimited" if quiz.max_attempts is None else str(quiz.max_attempts)


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "help"
    menu_label = "Quizzes"
    menu_name = "quizzes"
    menu_order = 850
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "title",
        Column("pass_mark_percent", label="Pass mark (%)"),
        Column("max_attempts", label="Maximum attempts", accessor=describe_attempts),
        Column("updated_at", label="Updated"),
    ]
    search_fields = ["title"]
    ordering = ["title"]


register_snippet(QuizViewSet)


@hooks.register("register_admin_urls")
def register_item_statistics_url():
    return [
        path(
            "quizzes/<int:quiz_id>/statistics/",
            ItemStatisticsView.as_view(),
            name="quizzes_item_statistics",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def item_statistics_button(snippet, user, next_url=None):
    if isinstance(snippet, Quiz) and user.has_perm("quizzes.view_quiz_statistics"):
        yield ListingButton(
            "Statistics",
            reverse("quizzes_item_statistics", args=[snippet.pk]),
            icon_name="table",
            attrs={"aria-label": f"Item statistics for “{snippet.title}”"},
            priority=5,
        )
