"""Background tasks of the platform core."""

from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django_tasks import task

from .mail import deserialise


@task()
def send_email(message: dict[str, Any]) -> int:
    """Deliver one queued e-mail through the configured delivery backend (SMTP in production)."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND)
    return connection.send_messages([deserialise(message)])
