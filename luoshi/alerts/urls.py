from django.urls import path

from luoshi.alerts import views

app_name = "alerts"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:warning_id>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:warning_id>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path("warnings/rules/", views.rule_list, name="rule_list"),
    path("warnings/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
]
