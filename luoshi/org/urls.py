from django.urls import path

from luoshi.org import views

app_name = "org"

urlpatterns = [
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:unit_id>/edit/", views.unit_edit, name="unit_edit"),
    path("parks/new/", views.park_save, name="park_create"),
    path("parks/<int:park_id>/", views.park_save, name="park_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:user_id>/", views.person_detail, name="person_detail"),
    path("people/<int:user_id>/roles/", views.membership_add, name="membership_add"),
    path("people/<int:user_id>/password/", views.person_password, name="person_password"),
    path("people/<int:user_id>/active/", views.person_active, name="person_active"),
    path("people/<int:user_id>/contact/", views.person_contact, name="person_contact"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("roles/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
]
