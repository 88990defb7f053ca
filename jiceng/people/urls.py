from django.urls import path

from . import views, views_tags, views_workers

app_name = "people"

urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:pk>/tags/new/", views_tags.tag_create, name="tag_create"),
    path("tags/", views_tags.tag_list, name="tag_list"),
    path("key-populations/", views_tags.category_list, name="category_list"),
    path("key-populations/new/", views_tags.category_form, name="category_create"),
    path("key-populations/<int:pk>/", views_tags.category_form, name="category_edit"),
    path("tags/<int:pk>/review/", views_tags.tag_review, name="tag_review"),
    path("households/", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_form, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_form, name="unit_edit"),
    path("workers/", views_workers.worker_list, name="worker_list"),
    path("workers/new/", views_workers.worker_form, name="worker_create"),
    path("workers/<int:pk>/", views_workers.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views_workers.worker_form, name="worker_edit"),
    path("<str:model>/<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
]
