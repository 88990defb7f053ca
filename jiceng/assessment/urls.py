from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    # 红色物业
    path("rate/", views.rate, name="rate"),
    path("indicators/", views.indicator_set_edit, name="indicator_set_edit"),
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("mutual/", views.mutual_list, name="mutual_list"),
    path("rankings/", views.ranking_list, name="ranking_list"),
    path("rankings/<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("interviews/", views.interview_list, name="interview_list"),
    path("public/rankings/", views.public_rankings, name="public_rankings"),
    path("public/rankings/<int:pk>/", views.public_ranking, name="public_ranking"),
    # 督察检查
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    # 通报
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/download/", views.bulletin_download, name="bulletin_download"),
    path("public/bulletins/", views.public_bulletins, name="public_bulletins"),
    path(
        "public/bulletins/<int:pk>/file/",
        views.public_bulletin_file,
        name="public_bulletin_file",
    ),
    # 示范项目/创投
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.call_apply, name="call_apply"),
    path("calls/<int:pk>/panel/", views.call_panel, name="call_panel"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/milestones/new/",
        views.milestone_new,
        name="milestone_new",
    ),
    # 社区经费
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/budgets/new/", views.budget_new, name="budget_new"),
    path("funds/spendings/new/", views.spending_new, name="spending_new"),
    path("funds/export.xlsx", views.fund_export, name="fund_export"),
    # 评优表彰与述职评议
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_new, name="honour_new"),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("appraisals/", views.appraisal_list, name="appraisal_list"),
    path("appraisals/new/", views.appraisal_new, name="appraisal_new"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
]
