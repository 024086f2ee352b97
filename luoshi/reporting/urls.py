from django.urls import path

from luoshi.reporting import approval_views, fill_views, settings_views, views

app_name = "reporting"

urlpatterns = [
    path("reports/", fill_views.fill, name="fill"),
    path("reports/<int:period_id>/items/<int:item_id>/", fill_views.save, name="save"),
    path("reports/<int:period_id>/submit-all/", fill_views.submit_all, name="submit_all"),
    path("reports/<int:report_id>/", views.detail, name="detail"),
    path("reports/<int:report_id>/<slug:verb>/", views.transition, name="transition"),
    path("review/", views.review, name="review"),
    path("review/<int:period_id>/", views.review, name="review_period"),
    path("approvals/", approval_views.approvals, name="approvals"),
    path("approvals/<slug:verb>/", approval_views.approve_many, name="approve_many"),
    path("approvals/reports/<int:report_id>/return/", approval_views.return_one, name="approval_return"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("plans/<int:plan_id>/cycles/", views.cycles, name="cycles"),
    path("plans/<int:plan_id>/cycles/<int:cycle_id>/", views.cycles, name="cycle_edit"),
    path("calendar/<int:year>/", views.calendar, name="calendar"),
    path("review/settings/", settings_views.reporting_settings, name="settings"),
    path("items/<int:item_id>/progress/", views.item_progress, name="item_progress"),
    path("problems/", views.problems, name="problems"),
    path("problems/<int:problem_id>/resolve/", views.resolve, name="resolve"),
]
