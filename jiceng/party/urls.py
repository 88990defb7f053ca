from django.urls import path

from . import views, views_roster

app_name = "party"

urlpatterns = [
    path("orgs/", views.org_index, name="org_index"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:parent_pk>/new/", views.org_create, name="org_create"),
    path("orgs/<int:pk>/units/", views.joint_unit_add, name="joint_unit_add"),
    path("roster-checks/", views_roster.check_list, name="roster_list"),
    path("roster-checks/new/", views_roster.check_create, name="roster_create"),
    path("roster-checks/<int:pk>/", views_roster.check_detail, name="roster_check"),
    path(
        "roster-checks/<int:pk>/export.xlsx",
        views_roster.check_export,
        name="roster_export",
    ),
    path("roster-pairs/<int:pk>/decide/", views_roster.pair_decide, name="pair_decide"),
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path(
        "members/register/<int:resident_pk>/",
        views.member_register,
        name="member_register",
    ),
]
