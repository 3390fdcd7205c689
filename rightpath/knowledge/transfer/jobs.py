"""Web imports as background jobs: the upload and the job state live under PRIVATE_MEDIA_ROOT."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import TaskResultStatus

from rightpath.access.policy import can

from .. import services
from ..taxonomy import Status
from .files import FileRefused, detect_format
from .importing import ImportReport, import_records


def _jobs_dir(*, create: bool = False) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "knowledge-imports"
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _job_path(job: uuid.UUID | str) -> Path:
    return _jobs_dir() / f"{uuid.UUID(str(job))}.json"


def _save_job(state: dict[str, Any]) -> None:
    path = _job_path(state["id"])
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), encoding="utf-8")
    # Replacing in one step: a page polling the job never reads half a file.
    os.replace(temporary, path)


def _load_job(job: uuid.UUID | str) -> dict[str, Any] | None:
    try:
        return json.loads(_job_path(job).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


JOB_KEEP_SECONDS = 14 * 24 * 3600


def _prune_jobs() -> None:
    """Forget jobs (and any upload left by a crashed worker) after two weeks."""
    limit = time.time() - JOB_KEEP_SECONDS
    for path in _jobs_dir().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def import_job_start(
    content: bytes, *, filename: str, actor: Any, publish: bool = False, skip_existing: bool = False
) -> uuid.UUID:
    """Store an uploaded spreadsheet under a generated name and queue its import; returns the job id."""
    services._require(actor, "knowledge.entry.edit")
    if publish and not can(actor, "knowledge.entry.review"):
        raise PermissionDenied(_("Only a knowledge reviewer may publish records on import."))
    fmt = detect_format(content)
    directory = _jobs_dir(create=True)
    _prune_jobs()
    job = uuid.uuid4()
    upload = directory / f"{job}.{fmt}"
    descriptor = os.open(upload, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    state = {
        "id": str(job),
        "actor": actor.pk,
        "filename": Path(filename).name[:200],
        "format": fmt,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        "publish": publish,
        "skip_existing": skip_existing,
        "status": TaskResultStatus.READY,
        "progress": {"phase": "", "done": 0, "total": 0},
        "report": None,
        "created_at": timezone.now().isoformat(),
    }
    _save_job(state)
    # The job state is written before the task is queued and never by this request afterwards: a
    # worker may already be running it (the immediate backend in tests has even finished it).
    run_import_job.enqueue(str(job))
    return job


def import_job_get(job: uuid.UUID, *, actor: Any) -> dict[str, Any] | None:
    """The state of an import job, for the editor who started it only (None for anyone else)."""
    state = _load_job(job)
    if state is None or not getattr(actor, "is_authenticated", False) or state["actor"] != actor.pk:
        return None
    state["finished"] = state["status"] in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    state["report"] = ImportReport.from_dict(state["report"]) if state.get("report") else None
    return state


@task()
def run_import_job(job_id: str) -> dict[str, Any] | None:
    """Run a queued import (see ``import_job_start``); the report is saved with the job and returned."""
    from rightpath.accounts.models import User

    state = _load_job(job_id)
    if state is None:
        return None
    if state["status"] != TaskResultStatus.READY:
        # Already run (a retried task): never import the same file twice.
        return state.get("report")
    state["status"] = TaskResultStatus.RUNNING
    _save_job(state)
    upload = _jobs_dir() / f"{state['id']}.{state['format']}"

    def progress(phase: str, done: int, total: int) -> None:
        state["progress"] = {"phase": phase, "done": done, "total": total}
        _save_job(state)

    try:
        actor = User.objects.get(pk=state["actor"])
        with translation.override(state["language"]):
            try:
                report = import_records(
                    upload.read_bytes(),
                    filename=state["filename"],
                    actor=actor,
                    status=Status.PUBLISHED if state["publish"] else Status.DRAFT,
                    skip_existing=state["skip_existing"],
                    progress=progress,
                )
            except (FileRefused, PermissionDenied) as exc:
                # Refused files are caught at upload; a role withdrawn since then lands here.
                report = ImportReport(filename=state["filename"])
                report.add(1, "", str(exc))
        state["report"] = report.as_dict()
        state["status"] = TaskResultStatus.SUCCESSFUL
        return state["report"]
    except BaseException:
        state["status"] = TaskResultStatus.FAILED
        raise
    finally:
        _save_job(state)
        # The spreadsheet is not needed once imported (or refused): keep no copy of it.
        upload.unlink(missing_ok=True)
