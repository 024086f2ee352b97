from django.urls import path

from luoshi.assessment import views

app_name = "assessment"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path("indicators/values/", views.value_list, name="value_list"),
    path("indicators/values/import/", views.value_import, name="value_import"),
    path("indicators/values/<int:value_id>/verify/", views.value_verify, name="value_verify"),
]
