from django.urls import path

from luoshi.front import views

app_name = "front"

urlpatterns = [
    path("", views.zone_home, name="zone_home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", views.unit_items, name="unit_items"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
]
