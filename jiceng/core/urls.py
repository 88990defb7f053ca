from django.urls import path

from . import account_views, media, views

app_name = "core"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/totp/", views.totp_setup, name="totp_setup"),
    path("account/totp/disable/", views.totp_disable, name="totp_disable"),
    path("audit/", views.audit_list, name="audit_list"),
    path("healthz", views.healthz, name="healthz"),
    path("files/<str:token>/", media.serve, name="media"),
    path("users/", account_views.user_list, name="user_list"),
    path("users/new/", account_views.user_create, name="user_create"),
    path("users/<int:pk>/", account_views.user_detail, name="user_detail"),
    path("users/<int:pk>/<str:action>/", account_views.user_action, name="user_action"),
]
