from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/<slug:kind>/", views.start, name="start"),
    path("import/<slug:kind>/template.xlsx", views.template, name="template"),
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("jobs/<uuid:pk>/sheet/", views.sheet, name="sheet"),
    path("jobs/<uuid:pk>/mapping/", views.mapping, name="mapping"),
    path("jobs/<uuid:pk>/commit/", views.commit, name="commit"),
    path("jobs/<uuid:pk>/rejected.xlsx", views.rejected, name="rejected"),
    path("export/<slug:kind>.xlsx", views.export, name="export"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<uuid:pk>/", views.export_job, name="export_job"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
]
