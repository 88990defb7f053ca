from django.urls import path

from .views import careers, grid, mobilisation, phone

app_name = "workforce"

urlpatterns = [
    path("", careers.index, name="index"),
    # careers
    path("workers/", careers.worker_list, name="workers"),
    path("workers/<int:pk>/", careers.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/assess/", careers.assess, name="assess"),
    path("step-ups/", careers.step_ups, name="step_ups"),
    path("step-ups/<int:pk>/", careers.step_up_apply, name="step_up_apply"),
    path("pay/", careers.pay_tables, name="pay_tables"),
    path("sheets/", careers.sheet_list, name="sheets"),
    path("sheets/new/", careers.sheet_make, name="sheet_make"),
    path("sheets/<int:pk>/", careers.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/xlsx/", careers.sheet_xlsx, name="sheet_xlsx"),
    path("rounds/", careers.round_list, name="rounds"),
    path("rounds/<int:pk>/", careers.round_detail, name="round_detail"),
    path("rounds/<int:pk>/score/", careers.round_score, name="round_score"),
    path("rounds/<int:pk>/hire/", careers.round_hire, name="round_hire"),
    path("assessments/", careers.assessment_list, name="assessments"),
    path("courses/", careers.course_list, name="courses"),
    path("courses/<int:pk>/", careers.course_detail, name="course_detail"),
    path("certificates/", careers.certificate_rates, name="certificates"),
    path("mentors/", careers.mentor_list, name="mentors"),
    path("mentors/<int:pk>/", careers.mentor_detail, name="mentor_detail"),
    # grid
    path("coverage/", grid.coverage, name="coverage"),
    path("team/", grid.team, name="team"),
    path("directory/", grid.directory, name="directory"),
    path("duties/", grid.duties, name="duties"),
    path("duties/check/", grid.duty_check, name="duty_check"),
    path("patrols/", grid.patrol_list, name="patrols"),
    path("patrols/<int:pk>/", grid.patrol_detail, name="patrol_detail"),
    path("patrols/<int:pk>/geojson/", grid.patrol_geojson, name="patrol_geojson"),
    path("visits/", grid.visit_list, name="visits"),
    path("visits/<int:pk>/", grid.visit_detail, name="visit_detail"),
    # the grid worker's phone
    path("m/", phone.my_day, name="my_day"),
    path("m/patrols/start/", phone.patrol_start, name="patrol_start"),
    path("m/patrols/<int:pk>/", phone.patrol_live, name="patrol_live"),
    path("m/patrols/<int:pk>/points/", phone.patrol_points, name="patrol_points"),
    path("m/patrols/<int:pk>/findings/", phone.finding_add, name="finding_add"),
    path("m/patrols/<int:pk>/end/", phone.patrol_end, name="patrol_end"),
    path("m/findings/<int:pk>/case/", phone.finding_case, name="finding_case"),
    path("m/visits/new/", phone.visit_new, name="visit_new"),
    path("m/visits/<int:pk>/correct/", phone.visit_correct, name="visit_correct"),
    path("m/visits/<int:pk>/needs/", phone.visit_need, name="visit_need"),
    # 平急结合
    path("modes/", mobilisation.mode_list, name="modes"),
    path("modes/new/", mobilisation.mode_new, name="mode_new"),
    path("modes/<int:pk>/", mobilisation.mode_detail, name="mode_detail"),
    path("modes/<int:pk>/posts/", mobilisation.mode_post_add, name="mode_post_add"),
    path("modes/<int:pk>/shifts/", mobilisation.mode_shift_add, name="mode_shift_add"),
    path("modes/<int:pk>/assign/", mobilisation.mode_assign, name="mode_assign"),
    path("modes/<int:pk>/end/", mobilisation.mode_end, name="mode_end"),
    path("posts/<int:pk>/qr/", mobilisation.post_qr, name="post_qr"),
    path("m/duties/", mobilisation.my_duties, name="my_duties"),
    path("m/duties/<int:pk>/confirm/", mobilisation.duty_confirm, name="duty_confirm"),
    path("m/checkin/<str:token>/", mobilisation.checkin, name="checkin"),
]
