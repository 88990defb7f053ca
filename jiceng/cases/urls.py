from django.urls import path

from . import configuration_views, dashboard, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.report, name="report"),
    path("kpi/", dashboard.kpi_dashboard, name="kpi"),
    path("config/", configuration_views.index, name="config"),
    path(
        "config/categories/new/", configuration_views.category_edit, name="category_new"
    ),
    path(
        "config/categories/<int:pk>/",
        configuration_views.category_edit,
        name="category_edit",
    ),
    path(
        "config/rules/<int:pk>/delete/",
        configuration_views.rule_delete,
        name="rule_delete",
    ),
    path("map/", views.case_map, name="map"),
    path("map.geojson", views.case_map_geojson, name="map_geojson"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("s/<str:token>/", views.public, name="public"),
    path("grids.geojson", views.grids_geojson, name="grids"),
]
