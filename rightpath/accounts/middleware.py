"""Session idle timeout and second-factor enforcement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a signed-in user without a verified second factor may still reach.
_MFA_EXEMPT_NAMES = (
    "accounts:mfa_setup",
    "accounts:mfa_verify",
    "accounts:logout",
    "core:set_language",
    "core:healthz",
)


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            # Writing every request would save the session each time; a minute's precision is enough.
            if last is None or now - last > 60:
                request.session["last_seen"] = now
        return self.get_response(request)


class MFAEnforcementMiddleware:
    """A user whose roles can see personal data must enrol and verify a second factor first.

    Users with an enrolled device always verify it, whatever their roles.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def _exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = tuple(reverse(n) for n in _MFA_EXEMPT_NAMES)
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MFA_ENFORCED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
            and not request.path.startswith("/api/")
            and request.path not in self._exempt_paths()
        ):
            from .services import totp_device

            if totp_device(user) is not None:
                return redirect(f"{reverse('accounts:mfa_verify')}?next={request.get_full_path()}")
            if user.needs_mfa:
                return redirect("accounts:mfa_setup")
        return self.get_response(request)
