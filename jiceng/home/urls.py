from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/", views.token_create, name="token_create"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("account/totp/", views.totp_setup, name="totp_setup"),
    path("account/totp/disable/", views.totp_disable, name="totp_disable"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/<str:action>/", views.user_action, name="user_action"),
]
