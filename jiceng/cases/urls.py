from django.urls import path

from . import dashboard, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.report, name="report"),
    path("kpi/", dashboard.kpi_dashboard, name="kpi"),
    path("map/", views.case_map, name="map"),
    path("map.geojson", views.case_map_geojson, name="map_geojson"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("s/<str:token>/", views.public, name="public"),
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("grids.geojson", views.grids_geojson, name="grids"),
]
