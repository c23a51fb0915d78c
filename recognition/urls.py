from django.urls import path

from recognition.views import points

urlpatterns = [
    # --- Points
    path("recognition/", points.recognition_home, name="recognition_home"),
    # --- end of points
    # --- Badges and Open Badges assertions
    # --- end of badges
    # --- Kudos, the recognition wall, leaderboards and preferences
    # --- end of kudos
    # --- Appraisals
    # --- end of appraisals
]
