"""Retention: closed cases are anonymised once ``CASE_RETENTION_DAYS`` have passed since closure.

What goes: the identity record, session notes, the documents' files (their rows stay as metadata,
marked "removed by retention"), and every free-text field that may describe the person (the
best-interests note, plan goals and actions, plan reviews, phase-change reasons, referral messages
and reasons, hand-over notes, conference places, participants and decisions, consent scope and the
guardian's name, approval reasons), plus any subject export of the case. What stays, for
statistics and accountability: the case reference, category, flags, organisations, phases and all
dates, the plan's structure (life domains and statuses), session types and durations, and the team
(who worked on the case is staff data). Each anonymisation is audited (``DELETED`` with
``{"retention": true}``) in the same transaction as the change. Running again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import (
    Approval,
    Case,
    Conference,
    Consent,
    Document,
    Identity,
    PhaseChange,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    Session,
    Transfer,
)

from .documents import REMOVED_BY_RETENTION, documents_dir
from .export import exports_delete_for, exports_purge


@dataclass
class RetentionReport:
    """What a retention run did (or, in a dry run, would do)."""

    dry_run: bool
    cutoff: datetime
    cases: list[dict[str, Any]] = field(default_factory=list)
    files_swept: int = 0
    exports_purged: int = 0


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.CASE_RETENTION_DAYS)


def cases_due(now: datetime | None = None) -> QuerySet[Case]:
    """Closed cases whose closure is older than the retention period and that are not anonymised yet."""
    return Case.objects.filter(
        closed_at__isnull=False, closed_at__lt=retention_cutoff(now), anonymised_at__isnull=True
    ).order_by("closed_at", "pk")


def _bump(qs: QuerySet, **values: Any) -> int:
    """Blank fields of versioned rows, counting as an edit (a form opened before fails to save)."""
    return qs.update(version=F("version") + 1, updated_at=timezone.now(), **values)


def _counts(case: Case) -> dict[str, int]:
    return {
        "identity": Identity.objects.filter(case=case).count(),
        "sessions": Session.objects.filter(case=case).exclude(notes="").count(),
        "documents": Document.objects.filter(case=case).exclude(content_type=REMOVED_BY_RETENTION).count(),
    }


def case_anonymise(case: Case, *, actor: Any = None) -> dict[str, int]:
    """Anonymise one closed case past its retention period (see the module docstring); audited.

    Called by the retention run (``actor`` None: the system). Returns what was removed. A case
    already anonymised is left alone. Document files are deleted after the commit, so a rollback
    never leaves rows pointing at deleted files.
    """
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.anonymised_at is not None:
            return {}
        now = timezone.now()
        documents = list(
            Document.objects.filter(case=current)
            .exclude(content_type=REMOVED_BY_RETENTION)
            .values_list("pk", "stored_name")
        )
        removed = {
            "identity": Identity.objects.filter(case=current).delete()[1].get(Identity._meta.label, 0),
            "sessions": _bump(Session.objects.filter(case=current).exclude(notes=""), notes=""),
            "documents": _bump(
                Document.objects.filter(pk__in=[pk for pk, _name in documents]),
                title="",
                content_type=REMOVED_BY_RETENTION,
                sha256="",
            ),
        }
        _bump(PlanGoal.objects.filter(case=current), title="", description="", strengths="")
        _bump(PlanAction.objects.filter(goal__case=current), description="")
        PlanReview.objects.filter(case=current).update(summary="")
        PhaseChange.objects.filter(case=current).update(reason="")
        _bump(Referral.objects.filter(case=current), message="", decline_reason="")
        _bump(Transfer.objects.filter(case=current), note="", decline_reason="")
        _bump(Conference.objects.filter(case=current), place="", other_participants="", decisions="")
        _bump(Consent.objects.filter(case=current), scope="", guardian_name="")
        _bump(Approval.objects.filter(case=current), reason="")
        Case.objects.filter(pk=current.pk).update(
            best_interests_note="", anonymised_at=now, version=F("version") + 1, updated_at=now
        )
        record(
            events.DELETED,
            actor=actor,
            target=current,
            data={"retention": True, "closed_at": current.closed_at.isoformat(), **removed},
        )
        names = [name for _pk, name in documents]
        transaction.on_commit(lambda: _delete_files(names))
        transaction.on_commit(lambda: exports_delete_for(current))
    return removed


def _delete_files(stored_names: list[str]) -> None:
    root = documents_dir()
    for name in stored_names:
        (root / name).unlink(missing_ok=True)


def sweep_removed_files(*, dry_run: bool = False) -> int:
    """Delete files still on disk for documents marked removed (e.g. after a crash right after a
    commit); returns how many there were."""
    root = documents_dir()
    names = Document.objects.filter(content_type=REMOVED_BY_RETENTION).values_list("stored_name", flat=True)
    leftover = [n for n in names.iterator(chunk_size=2000) if (root / n).exists()]
    if not dry_run:
        _delete_files(leftover)
    return len(leftover)


def apply_retention(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    """Anonymise every case due (or, with ``dry_run``, only list them with what would go), delete
    leftover document files of anonymised cases, and purge subject exports older than a week."""
    report = RetentionReport(dry_run=dry_run, cutoff=retention_cutoff(now))
    # Listed first: the loop changes the rows the query selects.
    for case in list(cases_due(now).only("pk", "reference", "closed_at")):
        row: dict[str, Any] = {"reference": case.reference, "closed_at": case.closed_at}
        row["removed"] = _counts(case) if dry_run else case_anonymise(case)
        report.cases.append(row)
    report.files_swept = sweep_removed_files(dry_run=dry_run)
    report.exports_purged = exports_purge(dry_run=dry_run)
    return report
