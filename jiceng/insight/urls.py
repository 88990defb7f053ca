from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.place, name="place"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<str:code>/report.pdf", views.export_pdf, name="export_pdf"),
]
