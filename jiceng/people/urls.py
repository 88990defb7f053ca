from django.urls import path

from .views import households, residents, tags, units, workers

app_name = "people"

urlpatterns = [
    path("residents/", residents.resident_list, name="resident_list"),
    path("residents/new/", residents.resident_create, name="resident_create"),
    path("residents/<int:pk>/", residents.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", residents.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/tags/new/", tags.tag_create, name="tag_create"),
    path("tags/", tags.tag_list, name="tag_list"),
    path("key-populations/", tags.category_list, name="category_list"),
    path("key-populations/new/", tags.category_form, name="category_create"),
    path("key-populations/<int:pk>/", tags.category_form, name="category_edit"),
    path("tags/<int:pk>/review/", tags.tag_review, name="tag_review"),
    path("households/", residents.household_list, name="household_list"),
    path("households/<int:pk>/", residents.household_detail, name="household_detail"),
    path("households/new/", households.household_create, name="household_create"),
    path(
        "households/<int:pk>/split/",
        households.household_split,
        name="household_split",
    ),
    path(
        "households/<int:pk>/merge/",
        households.household_merge,
        name="household_merge",
    ),
    path("units/", units.unit_list, name="unit_list"),
    path("units/new/", units.unit_form, name="unit_create"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", units.unit_form, name="unit_edit"),
    path("workers/", workers.worker_list, name="worker_list"),
    path("workers/new/", workers.worker_form, name="worker_create"),
    path("workers/<int:pk>/", workers.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", workers.worker_form, name="worker_edit"),
    path("<str:model>/<int:pk>/reveal/<str:field>/", residents.reveal, name="reveal"),
]
