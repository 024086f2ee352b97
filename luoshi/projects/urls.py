from django.urls import path

from luoshi.projects import boundary_views, dispatch_views, import_views, map_views, views

app_name = "projects"

urlpatterns = [
    path("projects/", views.ledger, name="ledger"),
    path("projects/export.xlsx", views.ledger_export, name="ledger_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:project_id>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:project_id>/investment/", views.project_investment, name="project_investment"),
    path("projects/<int:project_id>/stages/", views.project_stages, name="project_stages"),
    path("projects/<int:project_id>/approvals/", views.project_approvals, name="project_approvals"),
    path("projects/<int:project_id>/blockers/new/", views.blocker_create, name="blocker_create"),
    path("projects/blockers/<int:blocker_id>/edit/", views.blocker_edit, name="blocker_edit"),
    path("projects/blockers/<int:blocker_id>/clear/", views.blocker_clear, name="blocker_clear"),
    path("projects/blockers/<int:blocker_id>/reopen/", views.blocker_reopen, name="blocker_reopen"),
    path("projects/<int:project_id>/photos/", views.photo_add, name="photo_add"),
    path("projects/photos/<int:photo_id>/", views.photo_file, name="photo_file"),
    path("projects/photos/<int:photo_id>/display/", views.photo_display, name="photo_display"),
    path("projects/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("projects/map/", map_views.project_map, name="map"),
    path("projects/map/screen/", map_views.map_screen, name="map_screen"),
    path("projects/board/", map_views.stage_board, name="board"),
    path("projects/gantt/", map_views.gantt, name="gantt"),
    path("projects/boundary/", boundary_views.boundary_upload, name="boundary_upload"),
    path("projects/dispatch/", dispatch_views.dispatch_list, name="dispatch_list"),
    path("projects/dispatch/<int:meeting_id>/", dispatch_views.dispatch_detail, name="dispatch_detail"),
    path(
        "projects/dispatch/<int:meeting_id>/minutes/",
        dispatch_views.dispatch_minutes,
        name="dispatch_minutes",
    ),
    path("projects/dispatch/<int:meeting_id>/docx/", dispatch_views.dispatch_docx, name="dispatch_docx"),
    path(
        "projects/dispatch/<int:meeting_id>/decisions/",
        dispatch_views.dispatch_decision_new,
        name="dispatch_decision_new",
    ),
    path(
        "projects/dispatch/<int:meeting_id>/decisions/<int:decision_id>/",
        dispatch_views.dispatch_decision_edit,
        name="dispatch_decision_edit",
    ),
    path(
        "projects/dispatch/<int:meeting_id>/decisions/<int:decision_id>/delete/",
        dispatch_views.dispatch_decision_delete,
        name="dispatch_decision_delete",
    ),
    path(
        "projects/dispatch/<int:meeting_id>/decisions/<int:decision_id>/done/",
        dispatch_views.dispatch_decision_done,
        name="dispatch_decision_done",
    ),
    path(
        "projects/dispatch/<int:meeting_id>/blockers/<int:blocker_id>/clear/",
        dispatch_views.dispatch_blocker_clear,
        name="dispatch_blocker_clear",
    ),
    path("projects/import/", import_views.import_upload, name="import_upload"),
    path("projects/import/<str:token>/", import_views.import_preview, name="import_preview"),
]
