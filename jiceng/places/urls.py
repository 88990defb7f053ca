from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.index, name="index"),
    path("basemap.geojson", views.basemap, name="basemap"),
    path("pick/", views.pick, name="pick"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/map.json", views.map_data, name="map_data"),
    path("<int:parent_pk>/new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
]
