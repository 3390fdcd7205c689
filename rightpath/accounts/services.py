"""Writes for organisations and users. Each service checks the policy, validates, saves, audits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import save_versioned

from .models import Invitation, Organisation, RecoveryCode, RoleAssignment, User
from .roles import ORG_GRANTABLE_ROLES, Role

RECOVERY_CODE_COUNT = 10


def _require(actor: User, action: str, obj: Any = None) -> None:
    decision = can(actor, action, obj)
    if not decision:
        record(events.ACCESS_DENIED, actor=actor, target=obj, data={"action": action, "reason": decision.reason})
        raise PermissionDenied(decision.reason)


def _keyed_hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


# --- organisations -----------------------------------------------------------------------------


ORGANISATION_FIELDS = [
    "name",
    "type",
    "level",
    "country",
    "municipality",
    "data_regime",
    "approval_required",
    "is_active",
]


def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    """Register an organisation (platform administrators only)."""
    _require(actor, "accounts.organisation.create")
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        org = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
        org.full_clean()
        org.save()
        record(events.CREATED, actor=actor, target=org, data={"fields": sorted(fields)})
        return org


def organisation_update(org: Organisation, *, actor: User, expected_version: int, **fields: Any) -> Organisation:
    """Change an organisation's details; fails with ConcurrentEditError if someone saved first."""
    _require(actor, "accounts.organisation.change", org)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        changed = [k for k in ORGANISATION_FIELDS if k in fields and getattr(org, k) != fields[k]]
        if not actor.is_platform_admin:
            # An organisation's own administrator cannot switch it off or move it to another country.
            changed = [k for k in changed if k not in ("is_active", "country")]
        for k in changed:
            setattr(org, k, fields[k])
        org.full_clean()
        save_versioned(org, expected_version, changed)
        record(events.UPDATED, actor=actor, target=org, data={"fields": changed})
        return org


# --- invitations and users ---------------------------------------------------------------------


def _clean_roles(actor: User, roles: list[str]) -> list[str]:
    allowed = {r.value for r in ORG_GRANTABLE_ROLES}
    if actor.is_platform_admin:
        allowed.add(Role.PLATFORM_ADMIN.value)
    bad = [r for r in roles if r not in allowed]
    if bad:
        raise ValidationError({"roles": _("You cannot grant this role: %(role)s") % {"role": ", ".join(bad)}})
    return sorted(set(roles))


def invitation_create(
    *, actor: User, organisation: Organisation, email: str, first_name: str, last_name: str, roles: list[str]
) -> tuple[Invitation, str]:
    """Invite a person to ``organisation``; e-mails them a link and returns (invitation, token).

    Only a hash of the token is stored, so a database reader cannot accept the invitation.
    """
    _require(actor, "accounts.user.invite", organisation)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("A user with this e-mail address already exists.")})
        if Invitation.objects.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).exists():
            raise ValidationError({"email": _("An open invitation for this e-mail address already exists.")})
        roles = _clean_roles(actor, roles)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            roles=roles,
            token_hash=_keyed_hash(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        record(events.USER_INVITED, actor=actor, target=invitation, organisation=organisation, data={"roles": roles})
        _send_invitation(invitation, token, language=actor.language)
        return invitation, token


def _send_invitation(invitation: Invitation, token: str, *, language: str) -> None:
    with translation.override(language):
        context = {
            "organisation": invitation.organisation.name,
            "path": reverse("accounts:invitation_accept", args=[token]),
            "days": settings.INVITATION_VALID_DAYS,
            "base_url": settings.SITE_URL.rstrip("/"),
        }
        subject = _("Your invitation to RightPath")
        body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))


def invitation_for_token(token: str) -> Invitation | None:
    """The open invitation behind ``token``, or None (unknown, used, revoked or expired alike)."""
    inv = Invitation.objects.select_related("organisation").filter(token_hash=_keyed_hash(token)).first()
    return inv if inv is not None and inv.is_open else None


@transaction.atomic
def invitation_accept(invitation: Invitation, *, username: str, password: str) -> User:
    """Create the invited user with the invited roles; the invitation cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken. Choose another.")})
    user = User(
        username=username,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        organisation=invitation.organisation,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=r, granted_by=invitation.invited_by) for r in invitation.roles]
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record(events.INVITATION_ACCEPTED, actor=user, target=user, data={"invitation": str(invitation.code)})
    return user


def user_set_active(target: User, *, actor: User, active: bool) -> User:
    """Deactivate (or reactivate) a user. A deactivated user's sessions stop working at once."""
    _require(actor, "accounts.user.deactivate", target)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        target.is_active = active
        target.deactivated_at = None if active else timezone.now()
        target.save(update_fields=["is_active", "deactivated_at"])
        record(events.USER_REACTIVATED if active else events.USER_DEACTIVATED, actor=actor, target=target)
        return target


def user_set_roles(target: User, *, actor: User, roles: list[str]) -> User:
    """Replace a user's organisation roles (never one's own; platform role only by a platform admin)."""
    _require(actor, "accounts.user.change_roles", target)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        roles = _clean_roles(actor, roles)
        before = sorted(target.role_set)
        if not actor.is_platform_admin and Role.PLATFORM_ADMIN in before:
            raise PermissionDenied(_("Only a platform administrator changes another platform administrator."))
        RoleAssignment.objects.filter(user=target).exclude(role__in=roles).delete()
        existing = set(RoleAssignment.objects.filter(user=target).values_list("role", flat=True))
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=target, role=r, granted_by=actor) for r in roles if r not in existing]
        )
        target._role_cache = None
        record(events.ROLES_CHANGED, actor=actor, target=target, data={"before": before, "after": roles})
        return target


@transaction.atomic
def user_set_language(user: User, *, language: str) -> None:
    """Remember the interface language a user chose."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- second factor -------------------------------------------------------------------------------


def totp_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


@transaction.atomic
def mfa_begin_enrolment(user: User) -> TOTPDevice:
    """Create (or reuse) the unconfirmed TOTP device whose secret the user scans."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def mfa_confirm_enrolment(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a code from the app; returns fresh recovery codes, or None if wrong."""
    if not device.verify_token(token.strip().replace(" ", "")):
        record(events.MFA_FAILED, actor=user, target=user, data={"stage": "enrolment"})
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(events.MFA_ENROLLED, actor=user, target=user)
    return recovery_codes_regenerate(user)


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


@transaction.atomic
def recovery_codes_regenerate(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones, returned once in clear and stored hashed."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = ["-".join(secrets.token_hex(3) for _ in range(2)) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_keyed_hash(f"{user.pk}:{_normalise_code(c)}")) for c in codes]
    )
    return codes


@transaction.atomic
def mfa_verify(user: User, code: str) -> TOTPDevice | None:
    """Check a TOTP code or a recovery code; a recovery code works once. Returns the device or None."""
    device = totp_device(user)
    if device is None:
        return None
    cleaned = code.strip().replace(" ", "")
    if cleaned.isdigit() and device.verify_token(cleaned):
        record(events.MFA_VERIFIED, actor=user, target=user)
        return device
    digest = _keyed_hash(f"{user.pk}:{_normalise_code(code)}")
    used = RecoveryCode.objects.filter(user=user, code_hash=digest, used_at__isnull=True).update(used_at=timezone.now())
    if used:
        record(events.MFA_RECOVERY_USED, actor=user, target=user)
        return device
    record(events.MFA_FAILED, actor=user, target=user, data={"stage": "sign-in"})
    return None


def mfa_reset(target: User, *, actor: User) -> None:
    """Remove a user's second factor so they enrol again at next sign-in (needs a second person)."""
    _require(actor, "accounts.user.reset_mfa", target)
    # Checked before the transaction, so the denial's audit entry is not rolled back.
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        RecoveryCode.objects.filter(user=target).delete()
        record(events.MFA_RESET, actor=actor, target=target)


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
