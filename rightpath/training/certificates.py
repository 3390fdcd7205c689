"""Certificates: the PDF (with a QR code pointing to the public verification page) and the
throttle on verification lookups.

Lookups are limited per client address (``CERTIFICATE_VERIFY_LIMIT`` per
``CERTIFICATE_VERIFY_WINDOW`` seconds, in the shared cache): with 192-bit random codes guessing is
already hopeless, and the limit also stops anyone from hammering the page.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from rightpath.core.request_context import client_address
from rightpath.knowledge.printing import render_pdf

from .models import Certificate

VERIFY_LIMIT = 30
VERIFY_WINDOW_SECONDS = 600


def verification_url(certificate: Certificate, request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("certificates:verify", args=[certificate.verification_code]))


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(
        scale=3, dark="#111", light="#fff", title=_("QR code of the verification page")
    )


def certificate_pdf(certificate: Certificate, request: HttpRequest) -> bytes:
    """The certificate as PDF: what was frozen at issue, the code and a QR code of its verification page."""
    url = verification_url(certificate, request)
    return render_pdf(
        "training/certificate_pdf.html",
        {"certificate": certificate, "url": url, "qr_svg": qr_svg(url)},
        request,
    )


def lookup_allowed(request: HttpRequest) -> bool:
    """Count one verification lookup for the client's address; False once over the limit."""
    limit = int(getattr(settings, "CERTIFICATE_VERIFY_LIMIT", VERIFY_LIMIT))
    window = int(getattr(settings, "CERTIFICATE_VERIFY_WINDOW", VERIFY_WINDOW_SECONDS))
    key = f"training:verify:{client_address(request) or 'unknown'}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return True
    return count <= limit
