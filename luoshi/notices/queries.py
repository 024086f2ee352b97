"""Reads of notices, always through the user's Access: a notification that is not yours does not exist."""

from django.db.models import QuerySet
from django.http import Http404

from luoshi.notices.choices import ENDPOINT_MANAGERS
from luoshi.notices.models import Notification, OutboxMessage, WebhookEndpoint
from luoshi.org.queries import Access


def inbox(access: Access) -> QuerySet[Notification]:
    """The user's own notifications in this zone, newest first."""
    return Notification.objects.filter(zone=access.zone, recipient_id=access.user_id).order_by("-pk")


def unread_count(access: Access) -> int:
    return inbox(access).filter(read_at__isnull=True).count()


def get_notification(access: Access, notification_id: int) -> Notification:
    try:
        return inbox(access).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None


def zone_endpoints(access: Access) -> QuerySet[WebhookEndpoint]:
    """The zone's group robots: the admins' and the supervision office's to manage."""
    if not access.roles & ENDPOINT_MANAGERS:
        raise Http404
    return WebhookEndpoint.objects.filter(zone=access.zone).select_related("unit")


def get_endpoint(access: Access, endpoint_id: int) -> WebhookEndpoint:
    try:
        return zone_endpoints(access).get(pk=endpoint_id)
    except WebhookEndpoint.DoesNotExist:
        raise Http404 from None


def zone_outbox(access: Access) -> QuerySet[OutboxMessage]:
    """Delivery state is for the admins: addresses and robot errors are operational detail."""
    if not access.is_admin:
        raise Http404
    return (
        OutboxMessage.objects.filter(zone=access.zone).select_related("endpoint").order_by("-created", "-pk")
    )


def get_outbox_message(access: Access, message_id: int) -> OutboxMessage:
    try:
        return zone_outbox(access).get(pk=message_id)
    except OutboxMessage.DoesNotExist:
        raise Http404 from None
