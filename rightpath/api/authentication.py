"""Token authentication for system integrations: ``Authorization: Bearer <prefix>.<secret>``."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a service account of one organisation by its token."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        prefix, _sep, secret = raw.partition(".")
        token = ApiToken.objects.select_related("user", "user__organisation").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        user = token.user
        organisation = user.organisation
        if (
            not token.is_valid
            or not user.is_active
            or not user.is_service_account
            or organisation is None
            or not organisation.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
