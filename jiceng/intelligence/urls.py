from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/map.geojson", views.task_geojson, name="task_geojson"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("dispatch/", views.dispatch_overview, name="dispatch"),
    path("dispatch/streets/<int:pk>/", views.street_setting, name="street_setting"),
]
