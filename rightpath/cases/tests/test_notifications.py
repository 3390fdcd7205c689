"""Notifications: always in the app, by e-mail unless turned off; the e-mail is in the recipient's
language, leaves through the task queue after the commit, and carries no personal data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Identity, Notification, NotificationPreference
from rightpath.cases.services.notify import notify
from rightpath.cases.vocab import CaseRole


def test_notify_creates_notifications_and_queues_one_email_each_after_commit(
    make_user: Any, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = make_user("coordinator"), make_user("dpo")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify([a, b, a], "referral_received", case=case)
    assert len(created) == 2 and mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_email_holds_no_personal_data_and_speaks_the_recipients_language(
    make_user: Any, case: Case, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Identity.objects.create(case=case, given_names="Arben", family_name="Krasniqi", blind_index="x")
    albanian, english = make_user("coordinator", language="sq"), make_user("coordinator", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify([albanian, english], "break_glass", case=case)
    by_address = {m.to[0]: m for m in mail.outbox}
    sq, en = by_address[albanian.email], by_address[english.email]
    link = settings.SITE_URL.rstrip("/") + reverse("cases:notification_list")
    assert en.body.strip() == f"You have a new notification on RightPath: Emergency access used. Open: {link}"
    assert "U përdor qasja emergjente" in sq.body and link in sq.body and "Emergency access used" not in sq.body
    for message in (sq, en):
        text = message.subject + message.body
        for secret in (case.reference, str(case.code), "Arben", "Krasniqi", albanian.first_name, english.last_name):
            assert secret not in text


def test_a_user_who_turned_email_off_gets_only_the_in_app_notification(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    quiet, loud = make_user("coordinator"), make_user("coordinator")
    NotificationPreference.objects.create(user=quiet, kind="due", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify([quiet, loud], "due")
    assert [m.to[0] for m in mail.outbox] == [loud.email]
    assert Notification.objects.filter(user=quiet, kind="due", emailed_at__isnull=True).exists()


def test_a_rolled_back_change_emails_nobody(make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = make_user("coordinator")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify([user], "approval")
        raise RuntimeError("the change failed")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_inactive_accounts_and_unknown_kinds(make_user: Any) -> None:
    gone = make_user("coordinator", is_active=False)
    assert notify([gone], "due") == []
    with pytest.raises(ValueError):
        notify([make_user("coordinator")], "party")


def test_list_shows_only_own_notifications_and_links_only_open_cases(
    client_for: Any, make_user: Any, case: Case, add_member: Any
) -> None:
    me, other = make_user("dpo"), make_user("coordinator")
    notify([me], "break_glass", case=case)  # a DPO is told, but is not on the team
    notify([other], "referral_received", case=case)
    response = client_for(me).get(reverse("cases:notification_list"))
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert [n.kind for n in rows] == ["break_glass"] and rows[0].can_open is False
    html = response.content.decode()
    assert case.reference in html and reverse("cases:case_detail", kwargs={"code": case.code}) not in html
    add_member(case, other, CaseRole.COORDINATOR)
    response = client_for(other).get(reverse("cases:notification_list"))
    assert reverse("cases:case_detail", kwargs={"code": case.code}) in response.content.decode()


@pytest.mark.parametrize("rows", [2, 40])
def test_list_query_count_does_not_grow(
    client_for: Any, make_user: Any, case: Case, rows: int, django_assert_num_queries: Any
) -> None:
    me = make_user("coordinator")
    for _i in range(rows):
        notify([me], "due", case=case)
    client = client_for(me)
    # Session, user, OTP device, count, page, unread count, navigation roles, session save with its
    # savepoint.
    with django_assert_num_queries(10):
        assert client.get(reverse("cases:notification_list")).status_code == 200


def test_marking_as_read_touches_only_own_notifications(client_for: Any, make_user: Any) -> None:
    me, other = make_user("coordinator"), make_user("coordinator")
    mine = notify([me], "due")[0]
    theirs = notify([other], "due")[0]
    client = client_for(me)
    assert client.post(reverse("cases:notification_read"), {"notification": theirs.pk}).status_code == 302
    assert client.post(reverse("cases:notification_read"), {"notification": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("cases:notification_read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    notify([me], "approval")
    client.post(reverse("cases:notification_read"), {"all": "1"})
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()


def test_preferences_page_turns_emails_off_and_on(client_for: Any, make_user: Any) -> None:
    me = make_user("coordinator")
    client = client_for(me)
    form = client.get(reverse("cases:notification_preferences")).context["form"]
    assert all(form.initial[kind] is True for kind in Notification.Kind.values)
    wanted = {kind: "on" for kind in Notification.Kind.values if kind != "due"}
    assert client.post(reverse("cases:notification_preferences"), wanted).status_code == 302
    assert list(NotificationPreference.objects.filter(user=me, email=False).values_list("kind", flat=True)) == ["due"]
    assert AuditEntry.objects.filter(event="data.updated", actor_id=me.pk).exists()
    client.post(reverse("cases:notification_preferences"), {kind: "on" for kind in Notification.Kind.values})
    assert not NotificationPreference.objects.filter(user=me, email=False).exists()


def test_anyone_signed_in_has_a_notification_page(client: Any, client_for: Any, make_user: Any) -> None:
    assert client_for(make_user()).get(reverse("cases:notification_list")).status_code == 200
    assert client.get(reverse("cases:notification_list")).status_code == 302


def test_every_signed_in_page_links_to_the_users_notifications(client_for: Any, make_user: Any) -> None:
    body = client_for(make_user("dpo")).get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("cases:notification_list")}"' in body
