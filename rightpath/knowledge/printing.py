"""PDF exports (country profiles, publications) with WeasyPrint, without any network access.

The HTML given to WeasyPrint is rendered from a template that is never served to browsers. Its
only resource is the print stylesheet; ``LocalStaticFetcher`` serves the platform's own static
files from disk and refuses every other address (other hosts, ``file:`` paths, ``data:``…), so
content can never make the server fetch anything.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """WeasyPrint asked for an address that is not one of the platform's static files."""


class LocalStaticFetcher(URLFetcher):
    """Serves ``<base_url><STATIC_URL>…`` from the static files on disk; refuses everything else."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=(), fail_on_errors=False)
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)
        self.requested: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        path = self.local_path(url)
        if path is None:
            raise RefusedURL(f"not a local static file: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/"):
            content_type += "; charset=utf-8"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def local_path(self, url: str) -> Path | None:
        """The file ``url`` names among the static files, or None when it is anything else."""
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin or not parts.path.startswith(settings.STATIC_URL):
            return None
        name = unquote(parts.path[len(settings.STATIC_URL) :])
        if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
            return None
        found: str | None = None
        if staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
        else:
            located = finders.find(name)
            found = located if isinstance(located, str) else None
        if found is None or not Path(found).is_file():
            return None
        return Path(found)


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    """Render ``template`` (in the active language) to PDF bytes.

    Relative links resolve against the site's own address, so links in the PDF lead back to it;
    only static files on that address are read, from disk.
    """
    base_url = request.build_absolute_uri("/")
    html = render_to_string(template, context)
    fetcher = LocalStaticFetcher(base_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A download of ``pdf`` named ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
