from django.urls import path

from .views import activities, edits, lists, overview, points, registrations, wishes

app_name = "volunteer"

urlpatterns = [
    path("", overview.index, name="index"),
    path("me/", overview.me, name="me"),
    path("unit/", overview.unit_home, name="unit_home"),
    path("stats/", overview.stats, name="stats"),
    # 双报到
    path("registrations/", registrations.registration_list, name="registrations"),
    path("register/", registrations.register_member, name="register"),
    path("register/unit/", registrations.register_unit, name="register_unit"),
    path(
        "registrations/member/<int:pk>/",
        registrations.member_registration,
        name="member_registration",
    ),
    path(
        "registrations/unit/<int:pk>/",
        registrations.unit_registration,
        name="unit_registration",
    ),
    path(
        "registrations/<str:kind>/<int:pk>/decide/",
        registrations.decide_registration,
        name="registration_decide",
    ),
    path(
        "registrations/<str:kind>/<int:pk>/withdraw/",
        registrations.withdraw_registration,
        name="registration_withdraw",
    ),
    path(
        "registrations/unit/<int:pk>/service/",
        registrations.add_unit_service,
        name="unit_service",
    ),
    path(
        "registrations/member/<int:pk>/evaluate/",
        registrations.evaluate,
        name="evaluate",
    ),
    path("quarterly/", registrations.quarterly, name="quarterly"),
    # activities, hours, teams
    path("activities/", activities.activity_list, name="activities"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/signup/", activities.activity_signup, name="signup"),
    path(
        "activities/<int:pk>/cancel/",
        activities.activity_cancel_signup,
        name="cancel_signup",
    ),
    path(
        "activities/<int:pk>/status/",
        activities.activity_status,
        name="activity_status",
    ),
    path(
        "activities/<int:pk>/confirm-hours/",
        activities.activity_confirm_hours,
        name="activity_confirm_hours",
    ),
    path("c/<str:token>/", activities.checkin, name="checkin"),
    path("hours/", activities.hours_list, name="hours"),
    path("hours/new/", activities.hours_new, name="hours_new"),
    path("hours/<int:pk>/decide/", activities.hours_decide, name="hours_decide"),
    path("themes/", activities.theme_list, name="themes"),
    path("teams/", activities.team_list, name="teams"),
    path("teams/<int:pk>/", activities.team_detail, name="team_detail"),
    # volunteers, points, mall
    path("volunteers/", points.volunteer_list, name="volunteers"),
    path("volunteers/<int:pk>/", points.volunteer_detail, name="volunteer_detail"),
    path(
        "volunteers/<int:pk>/certificate.pdf",
        points.volunteer_certificate,
        name="certificate",
    ),
    path("mall/", points.mall, name="mall"),
    path("mall/<int:pk>/redeem/", points.mall_redeem, name="redeem"),
    path(
        "mall/redemptions/<int:pk>/",
        points.redemption_handle,
        name="redemption_handle",
    ),
    # 微心愿
    path("wishes/", wishes.wish_list, name="wishes"),
    path("wishes/new/", wishes.wish_new, name="wish_new"),
    path("wishes/<int:pk>/", wishes.wish_detail, name="wish_detail"),
    path("wishes/<int:pk>/review/", wishes.wish_review, name="wish_review"),
    path(
        "wishes/<int:pk>/confirm/", wishes.wish_staff_confirm, name="wish_staff_confirm"
    ),
    path("wall/", wishes.wall, name="wall"),
    path("wishes/campaigns/new/", wishes.campaign_new, name="campaign_new"),
    path("wall/campaigns/<int:pk>/", wishes.campaign_wall, name="campaign_wall"),
    path("wall/<int:pk>/", wishes.wall_detail, name="wall_detail"),
    path("wall/<int:pk>/claim/", wishes.wall_claim, name="wall_claim"),
    path(
        "wall/<int:pk>/claims/<int:claim_id>/fulfil/",
        wishes.wall_fulfil,
        name="wall_fulfil",
    ),
    path(
        "wall/<int:pk>/claims/<int:claim_id>/withdraw/",
        wishes.wall_withdraw,
        name="wall_withdraw",
    ),
    path("wall/confirm/<str:token>/", wishes.wish_confirm, name="wish_confirm"),
    # 三张清单
    path("needs/", lists.needs, name="needs"),
    path("resources/", lists.resources, name="resources"),
    path("matches/", lists.matches, name="matches"),
    path("matches/<int:pk>/", lists.match_decide, name="match_decide"),
    path("projects/", lists.projects, name="projects"),
    path("projects/<int:pk>/", lists.project_detail, name="project_detail"),
    path(
        "projects/<int:pk>/<str:action>/", lists.project_action, name="project_action"
    ),
    path("practical/", lists.practical, name="practical"),
    # corrections
    path("activities/<int:pk>/edit/", edits.activity_edit, name="activity_edit"),
    path(
        "activities/<int:pk>/cancel-activity/",
        edits.activity_cancel,
        name="activity_cancel",
    ),
    path("needs/<int:pk>/edit/", edits.need_edit, name="need_edit"),
    path("needs/<int:pk>/close/", edits.need_close, name="need_close"),
    path("resources/<int:pk>/edit/", edits.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/active/", edits.resource_active, name="resource_active"),
    path("mall/<int:pk>/listed/", edits.item_listed, name="item_listed"),
    path(
        "teams/<int:pk>/remove-member/",
        edits.team_member_remove,
        name="team_member_remove",
    ),
    path("teams/<int:pk>/leader/", edits.team_leader, name="team_leader"),
]
