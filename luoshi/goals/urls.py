from django.urls import path

from luoshi.goals import views

app_name = "goals"

urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/set/", views.goal_set, name="goal_set"),
    path("goals/<int:item_id>/", views.goal_detail, name="goal_detail"),
]
