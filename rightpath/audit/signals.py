"""Sign-in, sign-out and failed sign-in go to the audit log."""

from typing import Any

from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from . import events
from .services import record


@receiver(auth_signals.user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(events.LOGIN, actor=user, target=user, request=request)


@receiver(auth_signals.user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(events.LOGOUT, actor=user, target=user, request=request)


@receiver(auth_signals.user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The username typed is kept (it may not exist); the password never is.
    record(events.LOGIN_FAILED, request=request, data={"username": str(credentials.get("username", ""))[:150]})
