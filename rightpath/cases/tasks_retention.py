"""Background tasks of data protection in case work: the subject export and the daily retention run.

Kept apart from ``tasks.py`` (notifications); both are registered in ``apps.py``.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def build_subject_export(case_id: int, export_id: str, actor_id: int) -> str:
    """Build a data-protection officer's subject export (JSON and PDF, encrypted); see services.export."""
    from .services.export import subject_export_build

    return subject_export_build(case_id, export_id, actor_id)


@task()
def apply_retention_daily() -> dict[str, Any]:
    """Anonymise the closed cases past the retention period (runs once a day); returns a summary
    with case references only."""
    from .services.retention import apply_retention

    report = apply_retention()
    return {
        "anonymised": [row["reference"] for row in report.cases],
        "files_swept": report.files_swept,
        "exports_purged": report.exports_purged,
    }
