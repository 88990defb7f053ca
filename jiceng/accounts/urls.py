from django.urls import path

from .views import own, staff

app_name = "accounts"

urlpatterns = [
    path("", staff.account_list, name="account_list"),
    path("<int:pk>/<str:action>/", staff.account_action, name="account_action"),
    path("registrations/", staff.registration_list, name="registration_list"),
    path(
        "registrations/<int:pk>/",
        staff.registration_detail,
        name="registration_detail",
    ),
    path("invitations/", staff.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/", staff.invitation_detail, name="invitation_detail"),
    path(
        "invitations/<int:pk>/toggle/",
        staff.invitation_toggle,
        name="invitation_toggle",
    ),
    path("open/resident/<int:pk>/", staff.open_for_resident, name="open_resident"),
    path("open/member/<int:pk>/", staff.open_for_member, name="open_member"),
    path("open/worker/<int:pk>/", staff.open_for_worker, name="open_worker"),
    path("batch/", staff.batch, name="batch"),
    path("workers/<int:pk>/record/", staff.worker_record, name="worker_record"),
    path("register/<str:code>/", own.register, name="register"),
    path("password/", own.first_password, name="first_password"),
    path("me/", own.me, name="me"),
    path("gig/", own.gig_report, name="gig_report"),
]
