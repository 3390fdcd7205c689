"""The policy module itself: deny by default, decisions carry reasons, denials are audited."""

from typing import Any

from rightpath.access.policy import can, visible
from rightpath.accounts.models import Organisation
from rightpath.audit.models import AuditEntry


def test_unknown_action_is_denied_with_a_reason(make_user: Any) -> None:
    decision = can(make_user("platform_admin"), "nothing.registered.here")
    assert not decision
    assert "no rule" in decision.reason


def test_inactive_user_is_denied_everything(make_user: Any) -> None:
    user = make_user("platform_admin")
    user.is_active = False
    assert not can(user, "accounts.organisation.create")


def test_visible_without_scope_returns_nothing(make_user: Any, org: Organisation) -> None:
    assert list(visible(make_user("platform_admin"), "nothing.registered", Organisation.objects.all())) == []


def test_denied_view_is_audited_with_the_reason(client_for: Any, make_user: Any, org: Organisation) -> None:
    practitioner = make_user("practitioner")
    response = client_for(practitioner).get("/accounts/organisations/new/")
    assert response.status_code == 403
    entry = AuditEntry.objects.filter(event="access.denied").latest("id")
    assert entry.actor_id == practitioner.pk
    assert entry.data["action"] == "accounts.organisation.create"
    assert entry.data["reason"]
