from django.urls import path

from . import views

app_name = "screen"

urlpatterns = [
    path("", views.index, name="index"),
    path("links/", views.links, name="links"),
    path("links/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("d/<slug:token>/", views.display, name="display"),
    path("d/<slug:token>/data.json", views.display_data, name="display_data"),
    path("<slug:code>/", views.place_screen, name="place"),
    path("<slug:code>/data.json", views.place_data, name="data"),
]
