"""The public certificate check at /certificates/verify/<code>/ (the QR code on every certificate
points here). It shows valid, expired or revoked with the date, the name on the certificate and the
course, and nothing else; an unknown code answers 404; lookups are throttled per address."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rightpath.access.views import public

from .. import selectors
from ..certificates import lookup_allowed

REASON = "anyone checks a certificate by its long random code; lookups are throttled per address"


@public(REASON)
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if not lookup_allowed(request):
        response = render(
            request,
            "training/verify_throttled.html",
            {"message": _("Too many certificate checks from your address. Please wait a few minutes and try again.")},
            status=429,
        )
        response["Retry-After"] = "600"
        return response
    certificate = selectors.certificate_by_verification_code(code)
    if certificate is None:
        raise Http404
    return render(request, "training/verify.html", {"certificate": certificate})


app_name = "certificates"
urlpatterns = [path("verify/<str:code>/", verify, name="verify")]
