from django.urls import path

from luoshi.security import account_views, login_views, platform_views, zone_views

app_name = "security"

# Outside any zone: logging in and one's own account, and the platform administrator's pages.
urlpatterns = [
    path("accounts/login/verify/", login_views.verify_view, name="verify"),
    path("accounts/", account_views.account, name="account"),
    path("accounts/password/", account_views.password, name="password"),
    path("accounts/two-factor/", account_views.two_factor_setup, name="two_factor"),
    path("accounts/two-factor/recovery-codes/", account_views.recovery_codes, name="recovery_codes"),
    path("accounts/two-factor/remove/", account_views.two_factor_remove, name="two_factor_remove"),
    path("accounts/sessions/end/", account_views.end_sessions, name="end_sessions"),
    path("platform/people/", platform_views.people, name="platform_people"),
    path("platform/people/<int:user_id>/", platform_views.person, name="platform_person"),
    path(
        "platform/people/<int:user_id>/<slug:what>/",
        platform_views.person_action,
        name="platform_person_action",
    ),
    path("z/<slug:zone>/security/", zone_views.security_settings, name="settings"),
    path("z/<slug:zone>/security/unlock/<int:user_id>/", zone_views.unlock, name="unlock"),
    path("z/<slug:zone>/audit/", zone_views.audit_list, name="audit_list"),
    path("z/<slug:zone>/audit/export.xlsx", zone_views.audit_export, name="audit_export"),
]
