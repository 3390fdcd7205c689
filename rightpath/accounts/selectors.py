"""Reads for organisations and users, already narrowed by the policy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.core.listing import paginate

from .models import Invitation, Organisation, User
from .roles import Role


def organisation_list(*, actor: User, params: Mapping[str, str]) -> dict[str, Any]:
    """Organisations the actor may see, filtered by ``q``, ``country`` and ``type``, sorted and paged."""
    qs = visible(actor, "accounts.organisation.list", Organisation.objects.all())
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(municipality__icontains=q))
    if params.get("country"):
        qs = qs.filter(country=params["country"])
    if params.get("type"):
        qs = qs.filter(type=params["type"])
    qs = qs.annotate(user_count=Count("users", filter=Q(users__is_active=True)))
    return paginate(qs, params, sort_fields={"name": "name", "country": "country", "type": "type"}, default_sort="name")


def user_list(*, actor: User, organisation: Organisation, params: Mapping[str, str]) -> dict[str, Any]:
    """Users of ``organisation`` visible to the actor, with their roles (two queries per page)."""
    qs = visible(actor, "accounts.user.list", User.objects.filter(organisation=organisation, is_service_account=False))
    q = params.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(username__icontains=q) | Q(email__icontains=q)
        )
    status = params.get("status")
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    qs = qs.prefetch_related("role_assignments")
    return paginate(
        qs,
        params,
        sort_fields={"name": "last_name", "username": "username", "last_login": "last_login"},
        default_sort="name",
    )


def open_invitations(*, organisation: Organisation) -> QuerySet:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def role_labels(user: User) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[r]) for r in sorted(user.role_set) if r in labels]
