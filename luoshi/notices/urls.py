from django.urls import path

from luoshi.notices import views

app_name = "notices"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:notice_id>/", views.notice_open, name="notice_open"),
    path("inbox/<int:notice_id>/read/", views.notice_read, name="notice_read"),
    path("notices/endpoints/", views.endpoint_list, name="endpoint_list"),
    path("notices/endpoints/new/", views.endpoint_create, name="endpoint_create"),
    path("notices/endpoints/<int:endpoint_id>/edit/", views.endpoint_edit, name="endpoint_edit"),
    path(
        "notices/endpoints/<int:endpoint_id>/deactivate/",
        views.endpoint_deactivate,
        name="endpoint_deactivate",
    ),
    path("notices/endpoints/<int:endpoint_id>/test/", views.endpoint_test, name="endpoint_test"),
    path("notices/outbox/", views.outbox_list, name="outbox_list"),
    path("notices/outbox/<int:message_id>/retry/", views.outbox_retry, name="outbox_retry"),
]
