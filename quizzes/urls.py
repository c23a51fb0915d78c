from django.urls import path

from quizzes import views

urlpatterns = [
    path("<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path(
        "<int:quiz_id>/people/<int:user_id>/extra-attempt/",
        views.quiz_grant_extra_attempt,
        name="quiz_grant_extra_attempt",
    ),
    path("attempts/<int:pk>/", views.quiz_attempt, name="quiz_attempt"),
    path("attempts/<int:pk>/submit/", views.quiz_submit, name="quiz_submit"),
]
