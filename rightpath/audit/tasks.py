"""Background tasks of the audit log."""

from typing import Any

from django_tasks import task

from .sealing import seal_pending
from .verification import verify_chain


@task()
def seal_audit_log() -> int:
    """Chain the entries written since the last run into seals (run every few seconds by the worker)."""
    return seal_pending()


@task()
def verify_audit_log(actor_id: int) -> dict[str, Any]:
    """Seal what can be sealed, then verify the whole chain; record who asked and the outcome."""
    from rightpath.accounts.models import User

    from . import events
    from .services import record

    seal_pending()
    result = verify_chain()
    outcome = {
        "intact": result.intact,
        "entries_checked": result.entries_checked,
        "seals_checked": result.seals_checked,
        "unsealed_entries": result.unsealed_entries,
        "broken_entry_id": result.broken_entry_id,
        "reason": result.reason,
        "head": result.head,
    }
    actor = User.objects.filter(pk=actor_id).first()
    record(
        events.AUDIT_VERIFIED,
        actor=actor,
        data={k: outcome[k] for k in ("intact", "entries_checked", "broken_entry_id")},
    )
    return outcome
