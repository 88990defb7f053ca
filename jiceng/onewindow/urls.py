from django.urls import path

from .views import applications, catalogue, lists, points, resident, visits

app_name = "onewindow"

urlpatterns = [
    path("", resident.index, name="index"),
    # catalogue
    path("items/", catalogue.item_list, name="items"),
    path("items/new/", catalogue.item_edit, name="item_new"),
    path("items/<int:pk>/", catalogue.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", catalogue.item_edit, name="item_edit"),
    # the window
    path("applications/", applications.application_list, name="applications"),
    path("applications/new/", applications.application_new, name="application_new"),
    path("applications/proxy/", applications.application_proxy, name="proxy"),
    path(
        "applications/<int:pk>/",
        applications.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/materials/",
        applications.application_materials,
        name="application_materials",
    ),
    path(
        "applications/<int:pk>/notice/",
        applications.application_notice,
        name="application_notice",
    ),
    path(
        "applications/<int:pk>/notice/print/",
        applications.notice_print,
        name="notice_print",
    ),
    path(
        "applications/<int:pk>/accept/",
        applications.application_accept,
        name="application_accept",
    ),
    path(
        "applications/<int:pk>/decide/",
        applications.application_decide,
        name="application_decide",
    ),
    path(
        "applications/<int:pk>/collect/",
        applications.application_collect,
        name="application_collect",
    ),
    path("rates/", applications.rates, name="rates"),
    # the resident's phone
    path("apply/", resident.apply_pick, name="apply"),
    path("apply/<int:pk>/", resident.apply_item, name="apply_item"),
    path("my/", resident.my, name="my"),
    path("my/applications/<int:pk>/", resident.my_application, name="my_application"),
    path(
        "my/applications/<int:pk>/resupply/",
        resident.my_resupply,
        name="my_resupply",
    ),
    path("my/applications/<int:pk>/rate/", resident.my_rate, name="my_rate"),
    path(
        "my/appointments/<int:pk>/cancel/",
        resident.cancel_appointment,
        name="cancel_appointment",
    ),
    path("my/visit/", resident.visit_request, name="visit_request"),
    path("track/<str:token>/", resident.track, name="track"),
    # service points
    path("points/", points.point_list, name="points"),
    path("points/new/", points.point_edit, name="point_new"),
    path("points/<int:pk>/", points.point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", points.point_edit, name="point_edit"),
    path("points/<int:pk>/slots/", points.point_slots, name="point_slots"),
    path("points/<int:pk>/book/", resident.book, name="book"),
    path("appointments/<int:pk>/attendance/", points.attendance, name="attendance"),
    path("map/", points.public_map, name="map"),
    path("nearby/", points.nearby, name="nearby"),
    path("riders/", points.riders, name="riders"),
    # 上门服务
    path("visits/", visits.visit_list, name="visits"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/schedule/", visits.visit_schedule, name="visit_schedule"),
    path("visits/<int:pk>/finish/", visits.visit_finish, name="visit_finish"),
    # the district's lists
    path("matters/", lists.matter_list, name="matters"),
    path("matters/add/", lists.matter_add, name="matter_add"),
    path("matters/<int:pk>/remove/", lists.matter_remove, name="matter_remove"),
    path("requests/", lists.request_list, name="requests"),
    path("requests/new/", lists.request_new, name="request_new"),
    path("requests/<int:pk>/", lists.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", lists.request_decide, name="request_decide"),
]
