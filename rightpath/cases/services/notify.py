"""Notifications: in the app always, by e-mail when the recipient wants it.

The e-mail copy carries no personal data and no case reference: only the kind of notification and a
link to the notification list, where the recipient signs in to read more. It is written in the
recipient's language and leaves through the task queue once the transaction commits, so a
rolled-back change never e-mails anyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, Notification, NotificationPreference


def notification_email(user: User, kind: str) -> tuple[str, str]:
    """Subject and body of the e-mail telling ``user`` about a notification of ``kind``, in their language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        label = Notification.Kind(kind).label
        url = settings.SITE_URL.rstrip("/") + reverse("cases:notification_list")
        subject = _("New notification on RightPath")
        body = _("You have a new notification on RightPath: %(kind)s. Open: %(url)s") % {
            "kind": label,
            "url": url,
        }
    return str(subject), str(body) + "\n"


def _emails_wanted(users: list[User], kind: str) -> set[int]:
    """Ids of ``users`` who want an e-mail for ``kind`` (e-mail is on unless they turned it off)."""
    off = set(
        NotificationPreference.objects.filter(user__in=users, kind=kind, email=False).values_list("user_id", flat=True)
    )
    return {u.pk for u in users if u.pk not in off and u.email}


def notify(users: Iterable[User], kind: str, *, case: Case | None = None) -> list[Notification]:
    """Tell ``users`` about something of ``kind`` (a ``Notification.Kind``), optionally about ``case``.

    Creates one in-app notification per active user (duplicates and inactive accounts skipped) and,
    for those whose preference allows it (e-mail is on by default), queues an e-mail after commit.
    The e-mail holds the kind's label and a link, never the case reference or any personal data.
    Call it inside the transaction of the change it reports.
    """
    if kind not in Notification.Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    unique: dict[int, User] = {}
    for user in users:
        if user is not None and user.pk and user.is_active and not user.is_service_account:
            unique.setdefault(user.pk, user)
    recipients = list(unique.values())
    if not recipients:
        return []
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, case=case, created_at=now) for u in recipients]
    )
    wanted = _emails_wanted(recipients, kind)
    messages = [(u.email, *notification_email(u, kind)) for u in recipients if u.pk in wanted]
    if messages:
        ids = [n.pk for n in created if n.user_id in wanted]

        def send() -> None:
            for address, subject, body in messages:
                send_mail(subject, body, None, [address])
            Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())

        transaction.on_commit(send)
    return created


def notification_mark_read(user: User, *, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or, with no id, all of them) as read; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def notification_preferences_set(user: User, *, email: Mapping[str, bool]) -> None:
    """Save, per kind of notification, whether ``user`` wants an e-mail copy (in-app ones always show)."""
    with transaction.atomic():
        changed: dict[str, Any] = {}
        for kind in Notification.Kind.values:
            if kind not in email:
                continue
            wanted = bool(email[kind])
            pref, made = NotificationPreference.objects.get_or_create(user=user, kind=kind, defaults={"email": wanted})
            if not made and pref.email != wanted:
                pref.email = wanted
                pref.save(update_fields=["email"])
                changed[kind] = wanted
            elif made and not wanted:
                changed[kind] = wanted
        if changed:
            record(events.UPDATED, actor=user, target=user, data={"notification_email": changed})
