from django.urls import path

from .views import edits, life, members, orgs, roster, work

app_name = "party"

urlpatterns = [
    path("orgs/", orgs.org_index, name="org_index"),
    path("orgs/<int:pk>/", orgs.org_detail, name="org_detail"),
    path("orgs/<int:parent_pk>/new/", orgs.org_create, name="org_create"),
    path("orgs/<int:pk>/units/", orgs.joint_unit_add, name="joint_unit_add"),
    path("orgs/<int:pk>/edit/", edits.org_edit, name="org_edit"),
    path("orgs/<int:pk>/move/", edits.org_move, name="org_move"),
    path("orgs/<int:pk>/dissolve/", edits.org_dissolve, name="org_dissolve"),
    path("orgs/<int:pk>/part-time/new/", edits.part_time_add, name="part_time_add"),
    path(
        "joint-units/<int:pk>/remove/",
        edits.joint_unit_remove,
        name="joint_unit_remove",
    ),
    path("part-time/<int:pk>/remove/", edits.part_time_remove, name="part_time_remove"),
    path("members/<int:pk>/edit/", edits.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", edits.member_transfer, name="member_transfer"),
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
    path("meetings/", life.meeting_list, name="meeting_list"),
    path("meetings/new/", life.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", life.meeting_detail, name="meeting_detail"),
    path(
        "attendance/<int:pk>/make-up/",
        life.attendance_make_up,
        name="attendance_make_up",
    ),
    path("compliance/", life.compliance_view, name="compliance"),
    path("transfers/", work.transfer_list, name="transfer_list"),
    path("members/<int:pk>/send/", work.transfer_send, name="transfer_send"),
    path(
        "transfers/<int:pk>/<str:decision>/",
        work.transfer_decide,
        name="transfer_decide",
    ),
    path("coverage/", work.coverage_view, name="coverage"),
    path("coverage/<int:unit_pk>/", work.coverage_edit, name="coverage_edit"),
    path("flex/", work.flex_list, name="flex_list"),
    path("flex/<int:pk>/", work.flex_detail, name="flex_detail"),
    path("flex/<int:pk>/dissolve/", work.flex_dissolve, name="flex_dissolve"),
    path("standards/", work.standard_list, name="standard_list"),
    path("recruits/", work.recruit_list, name="recruit_list"),
    path("orgs/<int:org_pk>/dues.xlsx", work.dues_export, name="dues_export"),
]
