"""View guards built on the policy: the only way a view says who may call it.

``@guard(action, load=…)`` loads the object (404 if missing), asks ``can`` and, on a denial,
records it in the audit log and answers 404 (concealed) or 403; an anonymous visitor who is
denied is sent to sign in. ``@public(reason)`` marks a view that anyone may call on purpose.
The URL-walk test fails for any view that carries neither mark.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .policy import Decision, can

Loader = Callable[..., Any]


def enforce(request: HttpRequest, action: str, obj: Any = None) -> Decision:
    """Ask the policy for this request; raise (and audit) on a denial, return the decision."""
    decision = can(request.user, action, obj)
    if decision.allowed:
        return decision
    from rightpath.audit import events
    from rightpath.audit.services import record

    if request.user.is_authenticated:
        record(events.ACCESS_DENIED, actor=request.user, target=obj, data={"action": action, "reason": decision.reason})
        if decision.conceal:
            raise Http404
        raise PermissionDenied(decision.reason)
    raise _LoginRequired


class _LoginRequired(Exception):
    pass


def guard(
    action: str, *, load: Loader | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view so it runs only when the policy allows ``action``.

    ``load(request, **url_kwargs)`` returns the object the action is about (or raises Http404);
    the view then receives it as ``obj``.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = load(request, **kwargs) if load else None
            try:
                enforce(request, action, obj)
            except _LoginRequired:
                return redirect_to_login(request.get_full_path())
            if load:
                kwargs["obj"] = obj
            return view(request, *args, **kwargs)

        wrapped.access_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorate


def public(reason: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark a view as open to anyone on purpose, with the reason (listed in docs/security.md)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.access_public = reason  # type: ignore[attr-defined]
        return view

    return decorate


def guarded_inside(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark a view that calls ``enforce`` itself (e.g. with an object it builds from the form)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.access_action = action  # type: ignore[attr-defined]
        return view

    return decorate
