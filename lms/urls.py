from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.views import health, people

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", people.home, name="home"),
    path("team/", people.my_team, name="my_team"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("hr/people/", people.hr_people, name="hr_people"),
    path("accounts/", include("allauth.urls")),
    # The CMS signs people in through allauth too, so one set of rate limits covers both.
    path(
        "cms/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="cms_login",
    ),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
