"""Who may read and verify the audit log. Registered with ``rightpath.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.roles import Role


@rule("audit.entry.list")
def entry_list(user: Any, obj: Any) -> Decision:
    """A data-protection officer reads the audit entries of their own organisation."""
    if user.is_authenticated and user.is_active and user.has_role(Role.DPO):
        return allow("data-protection officer")
    return deny("only a data-protection officer reads the audit log")


@scope("audit.entry.list")
def entry_list_scope(user: Any, qs: QuerySet) -> QuerySet:
    if user.has_role(Role.DPO):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


@rule("audit.verify")
def verify(user: Any, obj: Any) -> Decision:
    """A data-protection officer or the platform administrator checks that the chain is intact."""
    if user.is_authenticated and user.is_active and (user.has_role(Role.DPO) or user.is_platform_admin):
        return allow("data-protection officer or platform administrator")
    return deny("only a data-protection officer or the platform administrator verifies the audit log")
