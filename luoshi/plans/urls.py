from django.urls import path

from luoshi.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/issue/", views.plan_issue, name="plan_issue"),
    path("plans/<int:plan_id>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:plan_id>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:plan_id>/children/<int:item_id>/", views.plan_children, name="plan_children"),
    path("plans/<int:plan_id>/items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:item_id>/status/", views.item_status, name="item_status"),
    path("items/<int:item_id>/move/", views.item_move, name="item_move"),
    path("items/<int:item_id>/targets/new/", views.target_create, name="target_create"),
    path("targets/<int:target_id>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("items/<int:item_id>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:milestone_id>/toggle/", views.milestone_toggle, name="milestone_toggle"),
    path("milestones/<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
]
