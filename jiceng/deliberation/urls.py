"""议事协商 pages under /deliberation/."""

from django.urls import path

from . import views

app_name = "deliberation"
urlpatterns = [
    path("", views.topic_list, name="index"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/convert/", views.topic_convert, name="topic_convert"),
    path("topics/<int:pk>/", views.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/grade/", views.topic_grade, name="topic_grade"),
    path("topics/<int:pk>/decline/", views.topic_decline, name="topic_decline"),
    path("topics/<int:pk>/consult/", views.topic_consult, name="topic_consult"),
    path("topics/<int:pk>/urgent/", views.topic_urgent, name="topic_urgent"),
    path("topics/<int:pk>/poll/", views.topic_open_poll, name="topic_open_poll"),
    path(
        "topics/<int:pk>/poll/close/", views.topic_close_poll, name="topic_close_poll"
    ),
    path("topics/<int:pk>/vote/", views.topic_vote, name="topic_vote"),
    path("topics/<int:pk>/clerk/", views.topic_clerk, name="topic_clerk"),
    path("topics/<int:pk>/decide/", views.topic_decide, name="topic_decide"),
    path("topics/<int:pk>/confirm/", views.topic_confirm, name="topic_confirm"),
    path("topics/<int:pk>/execute/", views.topic_execute, name="topic_execute"),
    path("topics/<int:pk>/finish/", views.topic_finish, name="topic_finish"),
    path("topics/<int:pk>/rate/", views.topic_rate, name="topic_rate"),
    path(
        "objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"
    ),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/case/", views.task_case, name="task_case"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("bodies/new/", views.body_new, name="body_new"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/discuss/", views.meeting_discuss, name="meeting_discuss"),
    path("disputes/", views.dispute_list, name="dispute_list"),
    path("disputes/new/", views.dispute_new, name="dispute_new"),
    path("disputes/<int:pk>/", views.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/session/", views.dispute_session, name="dispute_session"),
    path(
        "disputes/<int:pk>/escalate/", views.dispute_escalate, name="dispute_escalate"
    ),
    path("disputes/<int:pk>/settle/", views.dispute_settle, name="dispute_settle"),
    path("disputes/<int:pk>/refer/", views.dispute_refer, name="dispute_refer"),
    path("screenings/", views.screening_list, name="screening_list"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/<int:pk>/", views.compound_detail, name="compound_detail"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
