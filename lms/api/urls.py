from django.urls import path
from rest_framework.routers import SimpleRouter

from lms.api import views

# A simple router: no browsable root and no format suffixes, so every URL is one listed here.
router = SimpleRouter()
router.register("people", views.PeopleViewSet, basename="api-people")
router.register(
    "competence-records", views.CompetenceRecordViewSet, basename="api-competence-records"
)
router.register("completions", views.CompletionViewSet, basename="api-completions")

urlpatterns = [
    *router.urls,
    path("matrix/", views.MatrixView.as_view(), name="api-matrix"),
    path("schema/", views.SchemaView.as_view(), name="api_schema"),
]
