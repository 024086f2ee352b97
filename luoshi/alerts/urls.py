from django.urls import path

from luoshi.alerts import order_views, views

app_name = "alerts"

urlpatterns = [
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/<int:warning_id>/", views.warning_detail, name="warning_detail"),
    path("warnings/<int:warning_id>/acknowledge/", views.warning_acknowledge, name="warning_acknowledge"),
    path("warnings/<int:warning_id>/note/", views.warning_note, name="warning_note"),
    path("warnings/<int:warning_id>/dismiss/", views.warning_dismiss, name="warning_dismiss"),
    path("warnings/rules/", views.rule_list, name="rule_list"),
    path("warnings/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("orders/", order_views.order_list, name="order_list"),
    path("orders/new/", order_views.order_new, name="order_new"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order_detail"),
    path("orders/<int:order_id>/sign/", order_views.order_sign, name="order_sign"),
    path("orders/<int:order_id>/feedback/", order_views.order_feedback, name="order_feedback"),
    path("orders/<int:order_id>/return/", order_views.order_return, name="order_return"),
    path("orders/<int:order_id>/close/", order_views.order_close, name="order_close"),
    path("orders/<int:order_id>/escalate/", order_views.order_escalate, name="order_escalate"),
    path("orders/<int:order_id>/instruct/", order_views.order_instruct, name="order_instruct"),
    path("orders/<int:order_id>/urge/", order_views.order_urge, name="order_urge"),
    path("orders/<int:order_id>/hand/", order_views.order_hand, name="order_hand"),
    path("orders/<int:order_id>/print.docx", order_views.order_docx, name="order_docx"),
    path("orders/<int:order_id>/print.pdf", order_views.order_pdf, name="order_pdf"),
]
