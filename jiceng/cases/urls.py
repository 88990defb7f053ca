from django.urls import path

from .views import cases, configuration, keys, kpi

app_name = "cases"

urlpatterns = [
    path("", cases.case_list, name="list"),
    path("new/", cases.report, name="report"),
    path("kpi/", kpi.kpi_dashboard, name="kpi"),
    path("config/", configuration.index, name="config"),
    path("config/categories/new/", configuration.category_edit, name="category_new"),
    path(
        "config/categories/<int:pk>/",
        configuration.category_edit,
        name="category_edit",
    ),
    path(
        "config/rules/<int:pk>/delete/", configuration.rule_delete, name="rule_delete"
    ),
    path("map/", cases.case_map, name="map"),
    path("map.geojson", cases.case_map_geojson, name="map_geojson"),
    path("<int:pk>/", cases.detail, name="detail"),
    path("<int:pk>/act/", cases.act, name="act"),
    path("<int:pk>/merge/", cases.merge, name="merge"),
    path("s/", cases.public_lookup, name="public_lookup"),
    path("s/<str:token>/", cases.public, name="public"),
    path("grids.geojson", cases.grids_geojson, name="grids"),
    path("keys/", keys.key_list, name="keys"),
    path("keys/<str:kind>/<int:pk>/<str:action>/", keys.key_action, name="key_action"),
]
