"""Outgoing e-mail goes through the task queue: a slow mail server never slows a page down."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


def serialise(message: EmailMessage) -> dict[str, Any]:
    """A JSON-safe copy of ``message`` (attachments are not sent by e-mail on this platform)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(c), m] for c, m in getattr(message, "alternatives", [])],
    }


def deserialise(data: dict[str, Any]) -> EmailMultiAlternatives:
    msg = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        msg.attach_alternative(content, mimetype)
    return msg


class QueuedEmailBackend(BaseEmailBackend):
    """Django e-mail backend that enqueues each message as a ``send_email`` task."""

    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        from .tasks import send_email

        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            send_email.enqueue(serialise(message))
            count += 1
        return count
