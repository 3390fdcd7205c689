"""Writes for service accounts and API tokens. Each service checks the policy, saves, audits.

The ``actor`` is the user doing it, or ``CONSOLE`` when an operator runs a management command on the
server (they already hold the keys to everything, so the policy is not asked; the audit log says so).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.accounts.models import Organisation, RoleAssignment, User
from rightpath.accounts.roles import ORG_GRANTABLE_ROLES
from rightpath.audit import events
from rightpath.audit.services import record

from .authentication import hash_secret
from .models import ApiToken

MANAGE = "api.token.manage"
MAX_TOKEN_DAYS = 365
PREFIX_LENGTH = 8
_PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


class _Console:
    """The operator at the server's console (management commands)."""

    def __repr__(self) -> str:
        return "CONSOLE"


CONSOLE = _Console()
Actor = User | _Console


def _require(actor: Actor, obj: Any) -> None:
    if actor is CONSOLE:
        return
    decision = can(actor, MANAGE, obj)
    if not decision:
        record(events.ACCESS_DENIED, actor=actor, target=obj, data={"action": MANAGE, "reason": decision.reason})
        raise PermissionDenied(decision.reason)


def _audit_actor(actor: Actor) -> tuple[User | None, dict[str, Any]]:
    return (None, {"via": "console"}) if actor is CONSOLE else (actor, {})  # type: ignore[return-value]


def service_account_create(
    *, actor: Actor, organisation: Organisation, name: str, roles: list[str] | None = None
) -> User:
    """Create the service account of one system integration in ``organisation``.

    It cannot sign in with a password; it acts only through its API tokens, with the ``roles`` given.
    """
    _require(actor, organisation)
    # The policy is asked before the transaction, so a denial's audit entry is not rolled back.
    with transaction.atomic():
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("Give the integration a name.")})
        if not organisation.is_active:
            raise ValidationError({"organisation": _("This organisation is not active.")})
        roles = sorted(set(roles or []))
        grantable = {r.value for r in ORG_GRANTABLE_ROLES}
        bad = [r for r in roles if r not in grantable]
        if bad:
            raise ValidationError(
                {"roles": _("A service account cannot hold this role: %(role)s") % {"role": ", ".join(bad)}}
            )
        base = slugify(name)[:40].strip("-") or "integration"
        username = f"svc-{base}-{secrets.token_hex(3)}"
        while User.objects.filter(username=username).exists():
            username = f"svc-{base}-{secrets.token_hex(3)}"
        account = User(
            username=username,
            first_name=name[:150],
            organisation=organisation,
            is_service_account=True,
        )
        account.set_unusable_password()
        account.full_clean()
        account.save()
        who, extra = _audit_actor(actor)
        RoleAssignment.objects.bulk_create([RoleAssignment(user=account, role=r, granted_by=who) for r in roles])
        record(
            events.CREATED,
            actor=who,
            target=account,
            organisation=organisation,
            data={"service_account": username, "roles": roles, **extra},
        )
        if roles:
            record(
                events.ROLES_CHANGED,
                actor=who,
                target=account,
                organisation=organisation,
                data={"before": [], "after": roles, **extra},
            )
        return account


def _new_prefix() -> str:
    for _attempt in range(10):
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix
    raise RuntimeError("could not find a free token prefix")  # pragma: no cover - 36**8 prefixes


def api_token_create(*, actor: Actor, service_account: User, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """Issue a token for ``service_account``; returns (token, the token string ``<prefix>.<secret>``).

    The string is shown once: only the SHA-256 hash of the secret is stored.
    """
    _require(actor, service_account)
    # The policy is asked before the transaction, so a denial's audit entry is not rolled back.
    with transaction.atomic():
        if not service_account.is_service_account:
            raise ValidationError(_("API tokens are issued only to service accounts."))
        if not service_account.is_active:
            raise ValidationError(_("This service account is deactivated."))
        name = name.strip()
        if not name:
            raise ValidationError({"name": _("Give the token a name.")})
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValidationError({"days": _("A token is valid for 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
        prefix = _new_prefix()
        secret = secrets.token_urlsafe(32)
        who, extra = _audit_actor(actor)
        token = ApiToken(
            user=service_account,
            name=name[:100],
            prefix=prefix,
            secret_hash=hash_secret(secret),
            expires_at=timezone.now() + timedelta(days=days),
            created_by=who,
        )
        token.full_clean(exclude=["created_by"])
        token.save()
        record(
            events.API_TOKEN_CREATED,
            actor=who,
            target=token,
            organisation=service_account.organisation_id,
            data={
                "name": token.name,
                "prefix": prefix,
                "service_account": service_account.username,
                "expires_at": token.expires_at.isoformat(),
                **extra,
            },
        )
        return token, f"{prefix}.{secret}"


def api_token_revoke(token: ApiToken, *, actor: Actor) -> ApiToken:
    """Revoke ``token`` at once (revoking a revoked token changes nothing)."""
    _require(actor, token)
    # The policy is asked before the transaction, so a denial's audit entry is not rolled back.
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        who, extra = _audit_actor(actor)
        record(
            events.API_TOKEN_REVOKED,
            actor=who,
            target=token,
            organisation=token.user.organisation_id,
            data={"name": token.name, "prefix": token.prefix, "service_account": token.user.username, **extra},
        )
        return token
