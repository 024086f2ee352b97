from django.urls import path

from luoshi.assessment import benchmark_views, scheme_views, views

app_name = "assessment"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_new, name="indicator_new"),
    path("indicators/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path("indicators/values/", views.value_list, name="value_list"),
    path("indicators/values/import/", views.value_import, name="value_import"),
    path("indicators/values/<int:value_id>/verify/", views.value_verify, name="value_verify"),
    path("assessment/", scheme_views.scheme_list, name="scheme_list"),
    path("assessment/evaluation/", views.evaluation, name="evaluation"),
    path("assessment/evaluation/facts/", views.facts_collect, name="facts_collect"),
    path("assessment/<int:scheme_id>/", scheme_views.scheme_detail, name="scheme_detail"),
    path("assessment/<int:scheme_id>/versions/", scheme_views.version_create, name="version_create"),
    path(
        "assessment/versions/<int:version_id>/publish/", scheme_views.version_publish, name="version_publish"
    ),
    path("assessment/<int:scheme_id>/runs/", scheme_views.run_create, name="run_create"),
    path("assessment/runs/<int:run_id>/", scheme_views.run_detail, name="run_detail"),
    path("assessment/runs/<int:run_id>/screen/", scheme_views.run_screen, name="run_screen"),
    path("assessment/runs/<int:run_id>/sensitivity/", scheme_views.run_sensitivity, name="run_sensitivity"),
    path(
        "assessment/runs/<int:run_id>/units/<int:unit_id>/", scheme_views.result_detail, name="result_detail"
    ),
    path("assessment/<int:scheme_id>/screen/", scheme_views.scheme_screen, name="scheme_screen"),
    path("assessment/runs/<int:run_id>/publish/", scheme_views.run_publish, name="run_publish"),
    path("assessment/<int:scheme_id>/benchmarks/", benchmark_views.benchmark_list, name="benchmark_list"),
    path(
        "assessment/<int:scheme_id>/benchmarks/import/",
        benchmark_views.benchmark_import,
        name="benchmark_import",
    ),
    path("assessment/benchmarks/<int:benchmark_id>/", benchmark_views.benchmark_gap, name="benchmark_gap"),
    path(
        "assessment/benchmarks/<int:benchmark_id>/gap.xlsx",
        benchmark_views.benchmark_export,
        name="benchmark_export",
    ),
]
