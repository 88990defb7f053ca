from django.urls import path

from .views import agreements, alliances, meetings, overview, pairing, venues

app_name = "alliances"

urlpatterns = [
    path("", overview.index, name="index"),
    path("report/", overview.report, name="report"),
    # 党建联盟 / 大党委
    path("alliances/", alliances.alliance_list, name="alliance_list"),
    path("alliances/new/", alliances.alliance_new, name="alliance_new"),
    path("alliances/<int:pk>/", alliances.alliance_detail, name="alliance_detail"),
    path("alliances/<int:pk>/members/", alliances.member_add, name="member_add"),
    path("alliances/<int:pk>/rotation/", alliances.rotation, name="rotation"),
    path("alliances/<int:pk>/hand-over/", alliances.hand_over, name="hand_over"),
    path("alliances/<int:pk>/plan/", alliances.plan_new, name="plan_new"),
    path("alliances/<int:pk>/items/", alliances.plan_item_new, name="plan_item_new"),
    path("items/<int:pk>/", alliances.plan_item_update, name="plan_item_update"),
    path("members/<int:pk>/", alliances.member_detail, name="member_detail"),
    path("orgs/", alliances.org_list, name="org_list"),
    path("orgs/new/", alliances.org_edit, name="org_new"),
    path("orgs/<int:pk>/", alliances.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", alliances.org_edit, name="org_edit"),
    # 联席会议 and tasks
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/series/new/", meetings.series_new, name="series_new"),
    path(
        "meetings/series/<int:pk>/schedule/",
        meetings.series_schedule,
        name="series_schedule",
    ),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/topic/", meetings.meeting_topic, name="meeting_topic"),
    path("meetings/<int:pk>/invite/", meetings.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/hold/", meetings.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/decide/", meetings.meeting_decide, name="meeting_decide"),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ics, name="meeting_ics"),
    path("attendance/<int:pk>/", meetings.attendance_mark, name="attendance_mark"),
    path("me/meetings/", meetings.my_meetings, name="my_meetings"),
    path("me/meetings.ics", meetings.my_meetings_ics, name="my_meetings_ics"),
    path("me/tasks/", meetings.my_tasks, name="my_tasks"),
    path("tasks/", meetings.task_list, name="task_list"),
    path("tasks/<int:pk>/", meetings.task_detail, name="task_detail"),
    # 共建协议
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign, name="agreement_sign"),
    path(
        "agreements/<int:pk>/commitments/",
        agreements.commitment_new,
        name="commitment_new",
    ),
    path(
        "agreements/<int:pk>/<str:step>/",
        agreements.agreement_step,
        name="agreement_step",
    ),
    path(
        "commitments/<int:pk>/evaluate/",
        agreements.commitment_evaluate,
        name="commitment_evaluate",
    ),
    path(
        "commitments/<int:pk>/done/", agreements.commitment_done, name="commitment_done"
    ),
    # 包联
    path("coverage/", pairing.coverage, name="coverage"),
    path("pairs/new/", pairing.pair_new, name="pair_new"),
    path("pairs/<int:pk>/", pairing.pair_detail, name="pair_detail"),
    path("visits/<int:pk>/case/", pairing.visit_to_case, name="visit_to_case"),
    path("visits/<int:pk>/task/", pairing.visit_to_task, name="visit_to_task"),
    # 共享空间
    path("venues/", venues.venue_list, name="venue_list"),
    path("venues/new/", venues.venue_new, name="venue_new"),
    path("venues/<int:pk>/", venues.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", venues.venue_new, name="venue_edit"),
    path("venues/<int:pk>/book/", venues.venue_book, name="venue_book"),
    path("bookings/", venues.booking_list, name="booking_list"),
    path("bookings/<int:pk>/", venues.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/decide/", venues.booking_decide, name="booking_decide"),
    path("bookings/<int:pk>/cancel/", venues.booking_cancel, name="booking_cancel"),
    path("b/<str:token>/", venues.booking_checkin, name="booking_checkin"),
    path("usage/", venues.usage, name="usage"),
]
