from django.urls import path

from luoshi.front import home_views, screen_views, views

app_name = "front"

urlpatterns = [
    path("", home_views.zone_home, name="zone_home"),
    path("screen/", screen_views.cockpit_screen, name="cockpit_screen"),
    path("items/", home_views.item_list, name="item_list"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", views.unit_items, name="unit_items"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
]
