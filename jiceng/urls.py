"""URL routes: pages per app, the API at /api/v1/."""

from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("jiceng.core.urls")),
    path("", include("jiceng.home.urls")),
    path("places/", include("jiceng.places.urls")),
    path("party/", include("jiceng.party.urls")),
    path("people/", include("jiceng.people.urls")),
    path("transfer/", include("jiceng.transfer.urls")),
    path("cases/", include("jiceng.cases.urls")),
    path("notices/", include("jiceng.notices.urls")),
    path("volunteer/", include("jiceng.volunteer.urls")),
    path("alliances/", include("jiceng.alliances.urls")),
    path("deliberation/", include("jiceng.deliberation.urls")),
    path("accounts/", include("jiceng.accounts.urls")),
    path("onewindow/", include("jiceng.onewindow.urls")),
    path("workforce/", include("jiceng.workforce.urls")),
    path("assessment/", include("jiceng.assessment.urls")),
    path("open311/v2/", include("jiceng.cases.open311_urls")),
    path("intelligence/", include("jiceng.intelligence.urls")),
    path("insight/", include("jiceng.insight.urls")),
    path("atlas/", include("jiceng.atlas.urls")),
    path("api/v1/", api.urls),
    path("screen/", include("jiceng.screen.urls")),
    path("public/", include("jiceng.portal.urls")),
]
