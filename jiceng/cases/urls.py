from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("s/<str:token>/", views.public, name="public"),
    path("grids.geojson", views.grids_geojson, name="grids"),
]
