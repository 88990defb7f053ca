"""The public portal under /public/: no login, for residents and sharing."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.section, name="section"),
]
