"""Run the background task worker: queued e-mail, PDFs, imports, and the periodic tasks."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from rightpath.core import schedule


class Command(BaseCommand):
    help = (
        "Process the task queue (database backend) and enqueue periodic tasks (such as sealing the "
        "audit log) at their intervals. Run one or more per deployment; --batch drains the queue once and exits."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to sleep when the queue is empty (default 1)."
        )
        parser.add_argument(
            "--batch", action="store_true", help="Enqueue due periodic tasks, run everything queued, then exit."
        )

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: Any) -> None:
            self.running = False

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while self.running:
            schedule.enqueue_due()
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="rightpath-worker",
                excluded_queue_names=[],
            ).run()
            if batch:
                return
            time.sleep(interval)
