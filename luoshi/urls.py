from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from luoshi.front.views import home
from luoshi.reporting.views import national_calendar
from luoshi.security.login_views import login_view

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("luoshi.security.urls")),
    path("platform/calendar/<int:year>/", national_calendar, name="platform_calendar"),
    path("z/<slug:zone>/", include("luoshi.front.urls")),
    path("z/<slug:zone>/", include("luoshi.plans.urls")),
    path("z/<slug:zone>/", include("luoshi.org.urls")),
    path("z/<slug:zone>/", include("luoshi.reporting.urls")),
    path("z/<slug:zone>/", include("luoshi.alerts.urls")),
    path("z/<slug:zone>/", include("luoshi.notices.urls")),
    path("z/<slug:zone>/", include("luoshi.assessment.urls")),
    path("z/<slug:zone>/", include("luoshi.arena.urls")),
    path("z/<slug:zone>/", include("luoshi.projects.urls")),
    path("z/<slug:zone>/", include("luoshi.goals.urls")),
    path("z/<slug:zone>/", include("luoshi.innovation.urls")),
    path("z/<slug:zone>/", include("luoshi.bulletins.urls")),
]
