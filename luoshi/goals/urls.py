from django.urls import path

from luoshi.goals import binding_views, link_views, views

app_name = "goals"

urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/set/", views.goal_set, name="goal_set"),
    path("goals/<int:item_id>/", views.goal_detail, name="goal_detail"),
    path("goals/items/<int:item_id>/", link_views.item_sight, name="item_sight"),
    path(
        "goals/items/<int:item_id>/indicators/", link_views.item_link_indicators, name="item_link_indicators"
    ),
    path("goals/projects/<int:project_id>/", link_views.project_sight, name="project_sight"),
    path("goals/units/<int:unit_id>/", link_views.unit_sight, name="unit_sight"),
    path("goals/indicators/<int:indicator_id>/", link_views.indicator_sight, name="indicator_sight"),
    path("goals/projects/<int:project_id>/items/", link_views.project_link_items, name="project_link_items"),
    path("goals/indicator-links/<int:link_id>/delete/", link_views.unlink_indicator, name="unlink_indicator"),
    path("goals/project-links/<int:link_id>/delete/", link_views.unlink_project, name="unlink_project"),
    path("goals/targets/<int:target_id>/bind/", binding_views.bind_target, name="bind_target"),
    path("goals/target-bindings/<int:binding_id>/delete/", binding_views.unbind_target, name="unbind_target"),
]
