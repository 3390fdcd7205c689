"""Reads of case documents: the list of one case's documents (metadata only) and one document by code.

The views have asked the policy about the case's documents section first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.shortcuts import get_object_or_404

from rightpath.cases.models import Case, Document
from rightpath.core.listing import paginate

DOCUMENTS_PER_PAGE = 25


def document_list(case: Case, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of ``case``'s documents (newest first) with who uploaded them; files stay unread."""
    qs = Document.objects.filter(case=case).select_related("uploaded_by")
    return paginate(
        qs,
        params,
        sort_fields={"date": "created_at", "type": "type", "title": "title", "size": "size"},
        default_sort="-date",
        page_size=DOCUMENTS_PER_PAGE,
    )


def document_by_code(code: Any) -> Document:
    """The document behind a download URL with its case (404 when unknown); the policy then decides."""
    return get_object_or_404(
        Document.objects.select_related("case", "case__lead_organisation", "case__receiving_organisation"), code=code
    )


def document_get(case: Case, code: Any) -> Document:
    """One document of ``case`` (404 when it belongs to no such case)."""
    return get_object_or_404(Document.objects.select_related("case"), case=case, code=code)
