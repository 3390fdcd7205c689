"""Who may run organisations and their users. Registered with ``rightpath.access``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope

from .models import Organisation, User
from .roles import Role


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rule("accounts.profile.view")
def profile_view(user: Any, obj: Any) -> Decision:
    """Any signed-in user sees and manages their own account (language, second factor, password)."""
    return allow("own account") if _signed_in(user) else deny("not signed in")


@rule("accounts.organisation.list")
def organisation_list(user: Any, obj: Any) -> Decision:
    """Signed-in users see the directory of organisations (names, types, places: no personal data)."""
    return allow("directory") if _signed_in(user) else deny("not signed in")


@scope("accounts.organisation.list")
def organisation_list_scope(user: Any, qs: QuerySet) -> QuerySet:
    if user.is_platform_admin:
        return qs
    return qs.filter(is_active=True)


@rule("accounts.organisation.create")
def organisation_create(user: Any, obj: Any) -> Decision:
    """Only a platform administrator registers a new organisation."""
    if _signed_in(user) and user.is_platform_admin:
        return allow("platform administrator")
    return deny("only a platform administrator registers organisations")


@rule("accounts.organisation.change")
def organisation_change(user: Any, obj: Organisation | None) -> Decision:
    """A platform administrator edits any organisation; an organisation administrator edits their own."""
    if not _signed_in(user):
        return deny("not signed in")
    if user.is_platform_admin:
        return allow("platform administrator")
    if obj is not None and user.organisation_id == obj.pk and user.has_role(Role.ORG_ADMIN):
        return allow("administrator of this organisation")
    return deny("not an administrator of this organisation")


@rule("accounts.user.list")
def user_list(user: Any, obj: Organisation | None) -> Decision:
    """Organisation administrators list their own staff; platform administrators list any organisation's."""
    if not _signed_in(user):
        return deny("not signed in")
    if user.is_platform_admin:
        return allow("platform administrator")
    if user.has_role(Role.ORG_ADMIN) and (obj is None or obj.pk == user.organisation_id):
        return allow("administrator of this organisation")
    return deny("not an administrator of this organisation")


@scope("accounts.user.list")
def user_list_scope(user: Any, qs: QuerySet) -> QuerySet:
    if user.is_platform_admin:
        return qs
    if user.has_role(Role.ORG_ADMIN):
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


@rule("accounts.user.invite")
def user_invite(user: Any, obj: Organisation | None) -> Decision:
    """Organisation administrators invite users to their organisation; platform administrators to any."""
    return user_list(user, obj)


def _manages(user: Any, target: User | None) -> Decision:
    if not _signed_in(user) or target is None:
        return deny("not signed in")
    if target.pk == user.pk:
        return deny("nobody manages their own account this way")
    if user.is_platform_admin:
        return allow("platform administrator")
    if user.has_role(Role.ORG_ADMIN) and target.organisation_id == user.organisation_id:
        return allow("administrator of this organisation")
    return deny("not an administrator of this user's organisation", conceal=True)


@rule("accounts.user.view")
def user_view(user: Any, target: User | None) -> Decision:
    """An administrator sees the account details of a user they manage."""
    if _signed_in(user) and target is not None and target.pk == user.pk:
        return allow("own account")
    return _manages(user, target)


@rule("accounts.user.deactivate")
def user_deactivate(user: Any, target: User | None) -> Decision:
    """An administrator deactivates (or reactivates) a user of their organisation, never themself."""
    return _manages(user, target)


@rule("accounts.user.change_roles")
def user_change_roles(user: Any, target: User | None) -> Decision:
    """An administrator changes the roles of a user of their organisation, never their own."""
    return _manages(user, target)


@rule("accounts.user.reset_mfa")
def user_reset_mfa(user: Any, target: User | None) -> Decision:
    """A second administrator resets a user's second factor (never one's own: two people are needed)."""
    return _manages(user, target)


@rule("system.manage")
def system_manage(user: Any, obj: Any) -> Decision:
    """Only platform administrators see the system page (health, task queue, configuration)."""
    if _signed_in(user) and user.is_platform_admin:
        return allow("platform administrator")
    return deny("only a platform administrator runs the system")
