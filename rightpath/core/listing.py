"""Sorting and paginating lists the same way everywhere (query parameters ``sort`` and ``page``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 25


def paginate(
    queryset: QuerySet,
    params: Mapping[str, str],
    *,
    sort_fields: Mapping[str, str],
    default_sort: str,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """Order ``queryset`` by an allow-listed ``sort`` key (``-key`` descending) and return one page.

    Unknown sort keys fall back to the default, so a hand-edited URL can never order by an
    arbitrary column.
    """
    requested = params.get("sort", default_sort)
    key = requested.lstrip("-")
    if key not in sort_fields:
        requested, key = default_sort, default_sort.lstrip("-")
    descending = requested.startswith("-")
    column = sort_fields[key]
    ordered = queryset.order_by(f"-{column}" if descending else column, "pk")
    paginator = Paginator(ordered, page_size)
    page = paginator.get_page(params.get("page"))
    query = {k: v for k, v in params.items() if k not in ("page",)}
    return {"page_obj": page, "object_list": page.object_list, "sort": requested, "query": query}
