"""Security headers that Django's SecurityMiddleware does not set, and per-request context."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy, and ``Cache-Control: no-store`` for signed-in pages.

    Pages seen by a signed-in user may carry personal data, so neither the browser nor a proxy may
    keep a copy; static files and anonymous public pages stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


class RequestContextMiddleware:
    """Remembers the current request so the audit log can read the address without threading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from rightpath.core import request_context

        token = request_context.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            request_context.current_request.reset(token)
