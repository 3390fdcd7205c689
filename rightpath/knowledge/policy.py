"""Who may read and edit the knowledge hub. Registered with ``rightpath.access``.

Published content is public (signed in or not). Editing needs the knowledge editor or reviewer
role; only a reviewer publishes, returns or archives.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.roles import Role

from .taxonomy import Status

EDITING_ROLES = (Role.EDITOR, Role.REVIEWER)


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _editor(user: Any) -> bool:
    return _active(user) and user.has_role(*EDITING_ROLES)


def _reviewer(user: Any) -> bool:
    return _active(user) and user.has_role(Role.REVIEWER)


@rule("knowledge.entry.view")
def entry_view(user: Any, obj: Any) -> Decision:
    """Anyone reads published entries and publications; editors and reviewers read every status."""
    if obj is None or getattr(obj, "status", None) == Status.PUBLISHED:
        return allow("published knowledge is public")
    if _editor(user):
        return allow("knowledge editor or reviewer")
    return deny("not published", conceal=True)


@scope("knowledge.entry.view")
def entry_view_scope(user: Any, qs: QuerySet) -> QuerySet:
    if _editor(user):
        return qs
    return qs.filter(status=Status.PUBLISHED)


@rule("knowledge.entry.edit")
def entry_edit(user: Any, obj: Any) -> Decision:
    """Knowledge editors and reviewers create and change entries, publications and imports."""
    if _editor(user):
        return allow("knowledge editor or reviewer")
    return deny("only knowledge editors and reviewers edit the hub")


@scope("knowledge.entry.edit")
def entry_edit_scope(user: Any, qs: QuerySet) -> QuerySet:
    return qs if _editor(user) else qs.none()


@rule("knowledge.entry.submit")
def entry_submit(user: Any, obj: Any) -> Decision:
    """An editor sends a draft for review."""
    if not _editor(user):
        return deny("only knowledge editors and reviewers submit for review")
    if obj is not None and obj.status != Status.DRAFT:
        return deny("only a draft can be sent for review")
    return allow("knowledge editor or reviewer")


@rule("knowledge.entry.review")
def entry_review(user: Any, obj: Any) -> Decision:
    """A reviewer publishes, returns to draft or archives an entry."""
    if _reviewer(user):
        return allow("knowledge reviewer")
    return deny("only a knowledge reviewer publishes, returns or archives")


@rule("knowledge.export")
def export(user: Any, obj: Any) -> Decision:
    """Anyone may export published entries; editors export everything (the export says which)."""
    return allow("published knowledge is public")
