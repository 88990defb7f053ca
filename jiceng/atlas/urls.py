from django.urls import path

from . import views

app_name = "atlas"

urlpatterns = [
    path("<str:ref>/", views.sheet, name="sheet"),
    path("<str:ref>/poster/", views.poster, name="poster"),
]
