"""Check that the audit log is intact: entry MACs, the seal chain and, optionally, an exported head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightpath.audit import events
from rightpath.audit.sealing import seal_pending
from rightpath.audit.services import record
from rightpath.audit.verification import verify_chain


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property: argparse needs a plain string, translated into the active language.
        return _(
            "Verify the audit log. Seals pending entries first (unless --no-seal), then recomputes every "
            "entry's keyed MAC and every seal, and names the first broken entry. With --head, also checks "
            "that a head exported earlier with export_audit_head is still in the chain (detects truncation). "
            "Exits 0 when intact, 1 when broken. When intact, an 'Audit log verified' entry is appended "
            "(after counting, so it is sealed and checked on the next run; --no-record skips it)."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            metavar="HASH",
            help=_("A head exported earlier by export_audit_head ('SEAL_ID:MAC' or just the MAC)."),
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help=_("Do not seal pending entries first (entries newer than the last seal are then checked one by one)."),
        )
        parser.add_argument(
            "--no-record",
            action="store_true",
            help=_("Do not append an 'Audit log verified' entry (for a read-only database connection)."),
        )

    def handle(self, *args: Any, head: str | None, no_seal: bool, no_record: bool, **options: Any) -> None:
        if not no_seal:
            seal_pending()
        # An exported head may carry its seal id ("12:ab34…"); the MAC alone identifies it.
        expected = head.rpartition(":")[2].strip().lower() if head else None
        result = verify_chain(expected_head=expected)
        if not result.intact:
            if result.broken_entry_id is None:
                message = _("Audit log broken: %(reason)s") % {"reason": result.reason}
            else:
                message = _("Audit log broken at entry #%(entry)s: %(reason)s") % {
                    "entry": result.broken_entry_id,
                    "reason": result.reason,
                }
            self.stdout.write(message)
            if not self.stdout.isatty():
                # Scripts often read only one stream; a terminal would show the line twice.
                self.stderr.write(message)
            raise SystemExit(1)
        summary = _("Audit log intact: %(entries)s, %(seals)s.") % {
            "entries": ngettext("%(n)s entry checked", "%(n)s entries checked", result.entries_checked)
            % {"n": result.entries_checked},
            "seals": ngettext("%(n)s seal", "%(n)s seals", result.seals_checked) % {"n": result.seals_checked},
        }
        if result.unsealed_entries:
            summary += " " + ngettext(
                "%(n)s recent entry is not sealed yet.",
                "%(n)s recent entries are not sealed yet.",
                result.unsealed_entries,
            ) % {"n": result.unsealed_entries}
        self.stdout.write(summary)
        if not no_record:
            # Written after the count, so the numbers printed are those of the log as verified.
            record(
                events.AUDIT_VERIFIED,
                data={
                    "entries_checked": result.entries_checked,
                    "seals": result.seals_checked,
                    "head": result.head,
                    "head_compared": expected is not None,
                },
            )
