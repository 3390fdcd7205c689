from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", views.recovery_codes_regenerate, name="recovery_codes"),
    path("profile/", views.profile, name="profile"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:code>/", views.organisation_users, name="organisation_users"),
    path("organisations/<uuid:code>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<uuid:code>/invite/", views.user_invite, name="user_invite"),
    path("users/<uuid:code>/", views.user_detail, name="user_detail"),
    path("users/<uuid:code>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<uuid:code>/roles/", views.user_roles, name="user_roles"),
    path("users/<uuid:code>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
]
