"""Who may run the API's service accounts and tokens. Registered with ``rightpath.access``.

Service accounts are users: the roles they hold (RoleAssignment, as for people) decide what their
tokens may do through every other rule. This module only decides who manages them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role

from .models import ApiToken


def _organisation_id(obj: Any) -> int | None:
    if isinstance(obj, Organisation):
        return obj.pk
    if isinstance(obj, ApiToken):
        return obj.user.organisation_id
    if isinstance(obj, User):
        return obj.organisation_id
    return None


@rule(
    "api.token.manage",
    "Organisation administrators manage their organisation's service accounts and API tokens; platform "
    "administrators any organisation's. A service account never manages tokens.",
)
def token_manage(user: Any, obj: Organisation | ApiToken | User | None) -> Decision:
    """Who creates service accounts and issues or revokes API tokens."""
    if not (user and user.is_authenticated and user.is_active):
        return deny("not signed in")
    if user.is_service_account:
        return deny("a service account does not manage API tokens")
    if user.is_platform_admin:
        return allow("platform administrator")
    if not user.has_role(Role.ORG_ADMIN):
        return deny("not an administrator of this organisation")
    if isinstance(obj, User) and not obj.is_service_account:
        return deny("not a service account")
    if obj is None or _organisation_id(obj) == user.organisation_id:
        return allow("administrator of this organisation")
    return deny("not an administrator of this organisation", conceal=True)


@scope("api.token.manage")
def token_manage_scope(user: Any, qs: QuerySet) -> QuerySet:
    if not user.is_authenticated or user.is_service_account:
        return qs.none()
    if user.is_platform_admin:
        return qs
    if user.has_role(Role.ORG_ADMIN):
        return qs.filter(user__organisation_id=user.organisation_id)
    return qs.none()
