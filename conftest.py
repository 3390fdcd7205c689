"""Shared test fixtures: organisations and personas (one per role), signed-in clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rightpath.accounts.models import Organisation, RoleAssignment, User

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)


@pytest.fixture
def make_org(db: Any) -> Callable[..., Organisation]:
    counter = {"n": 0}

    def make(name: str | None = None, *, type: str = "probation", country: str = "XK", **extra: Any) -> Organisation:
        counter["n"] += 1
        return Organisation.objects.create(
            name=name or f"Organisation {counter['n']}", type=type, country=country, **extra
        )

    return make


@pytest.fixture
def org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("Probation Service", type="probation")


@pytest.fixture
def other_org(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("Other Organisation", type="ngo", country="BA")


@pytest.fixture
def make_user(db: Any, org: Organisation) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        *roles: str,
        organisation: Organisation | None = None,
        username: str | None = None,
        mfa: bool = True,
        **extra: Any,
    ) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"user{counter['n']}",
            password=PASSWORD,
            email=f"user{counter['n']}@example.org",
            first_name=f"First{counter['n']}",
            last_name=f"Last{counter['n']}",
            organisation=organisation or org,
            **extra,
        )
        for role in roles:
            RoleAssignment.objects.create(user=user, role=role)
        if mfa and user.needs_mfa:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in with a verified second factor (as after a successful TOTP check)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db: Any) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


@pytest.fixture(autouse=True)
def _mail_through_the_queue(settings: Any) -> None:
    """Django's test runner swaps in the locmem backend; route mail through the queue as in production.

    The test profile runs tasks immediately and delivers to locmem, so ``mail.outbox`` still works.
    """
    settings.EMAIL_BACKEND = "rightpath.core.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a test that renders a page in another language
    (the locale middleware activates it for the thread) must not change what later tests read."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _allow_audit_truncate_in_test_flushes(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Let Django's test flush (TRUNCATE after each transactional test) pass the audit trigger.

    The trigger lets TRUNCATE through only in sessions with ``rightpath.allow_audit_truncate = 'on'``;
    setting it on the test database makes every new connection (threads included) carry it.
    """
    with django_db_blocker.unblock():
        for alias in connections:
            conn = connections[alias]
            if conn.vendor != "postgresql":
                continue
            with conn.cursor() as cursor:
                name = conn.ops.quote_name(conn.settings_dict["NAME"])
                cursor.execute(f"ALTER DATABASE {name} SET rightpath.allow_audit_truncate = 'on'")
            # Reconnect so the open connection picks the setting up too.
            conn.close()
