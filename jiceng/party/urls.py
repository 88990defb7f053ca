from django.urls import path

from .views import members, orgs, roster

app_name = "party"

urlpatterns = [
    path("orgs/", orgs.org_index, name="org_index"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:parent_pk>/new/", orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/units/", orgs.joint_unit_add, name="joint_unit_add"),
    path("roster-checks/", roster.check_list, name="roster_list"),
    path("roster-checks/new/", roster.check_create, name="roster_create"),
    path("roster-checks/<int:pk>/", roster.check_detail, name="roster_check"),
    path(
        "roster-checks/<int:pk>/export.xlsx",
        roster.check_export,
        name="roster_export",
    ),
    path("roster-pairs/<int:pk>/decide/", roster.pair_decide, name="pair_decide"),
    path("members/", members.member_list, name="member_list"),
    path("members/<int:pk>/", members.member_detail, name="member_detail"),
    path(
        "members/register/<int:resident_pk>/",
        members.member_register,
        name="member_register",
    ),
]
