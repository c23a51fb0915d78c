from django.urls import path

from recognition.views import appraisals as appraisal_views
from recognition.views import badges as badge_views
from recognition.views import kudos as kudos_views
from recognition.views import leaderboards as leaderboard_views
from recognition.views import points as points_views
from recognition.views import wall as wall_views

urlpatterns = [
    # Points (recognition/views/points_views.py)
    path("recognition/", points_views.recognition_home, name="recognition_home"),
    path("recognition/people/<int:pk>/points/", points_views.person_points, name="person_points"),
    path(
        "recognition/people/<int:pk>/points/correct/",
        points_views.points_correct,
        name="points_correct",
    ),
    path(
        "recognition/people/<int:pk>/points/adjust/",
        points_views.points_adjust,
        name="points_adjust",
    ),
    # Badges and their Open Badges 2.0 assertions (recognition/views/badges.py)
    path("recognition/badges/", badge_views.my_badges, name="my_badges"),
    path(
        "recognition/badges/<uuid:uid>/share/",
        badge_views.badge_award_share,
        name="badge_award_share",
    ),
    # Public, for verifiers and anyone the holder shares a badge with. The issuer and the
    # uuid patterns come before the slug ones, which would take them.
    path("badges/issuer.json", badge_views.badge_issuer, name="badge_issuer"),
    path("badges/assertions/<uuid:uid>.json", badge_views.badge_assertion, name="badge_assertion"),
    path("badges/<uuid:uid>/", badge_views.badge_public, name="badge_public"),
    path("badges/<slug:slug>.json", badge_views.badge_class, name="badge_class"),
    path("badges/<slug:slug>/", badge_views.badge_criteria, name="badge_criteria"),
    # Kudos, the recognition wall, leaderboards and preferences
    path("recognition/kudos/", kudos_views.my_kudos, name="my_kudos"),
    path("recognition/kudos/send/", kudos_views.send_kudos_page, name="send_kudos"),
    path("recognition/kudos/team/", kudos_views.team_kudos, name="team_kudos"),
    path("recognition/kudos/<int:pk>/hide/", kudos_views.kudos_hide, name="kudos_hide"),
    path("recognition/wall/", wall_views.recognition_wall, name="recognition_wall"),
    path("recognition/leaderboards/", leaderboard_views.leaderboards, name="leaderboards"),
    path(
        "recognition/preferences/",
        wall_views.recognition_preferences,
        name="recognition_preferences",
    ),
    path("appraisals/", appraisal_views.appraisal_periods, name="appraisal_periods"),
    path("appraisals/<int:pk>/", appraisal_views.appraisal_period, name="appraisal_period"),
    path("appraisals/<int:pk>/close/", appraisal_views.appraisal_close, name="appraisal_close"),
    path(
        "appraisals/<int:pk>/people/<int:user_pk>/",
        appraisal_views.appraisal_summary,
        name="appraisal_summary",
    ),
    # csv or xlsx; any other extension is a 404.
    path(
        "appraisals/<int:pk>/export.<str:export_format>",
        appraisal_views.appraisal_export,
        name="appraisal_export",
    ),
]
