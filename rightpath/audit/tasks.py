"""Background tasks of the audit log."""

from django_tasks import task

from .sealing import seal_pending


@task()
def seal_audit_log() -> int:
    """Chain the entries written since the last run into seals (run every few seconds by the worker)."""
    return seal_pending()
