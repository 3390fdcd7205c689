"""Re-encrypt every encrypted value and file under the newest key of FIELD_ENCRYPTION_KEYS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from rightpath.cases.models import Document
from rightpath.cases.services.documents import REMOVED_BY_RETENTION, document_path
from rightpath.cases.services.export import exports_root
from rightpath.core.fields import EncryptedTextField, decrypt, encrypt, encryption_keys
from rightpath.core.files import decrypt_bytes, encrypt_bytes, key_id_of_bytes, write_private_file

BATCH = 1000


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Command(BaseCommand):
    help = (
        "After a new key is put first in FIELD_ENCRYPTION_KEYS: re-encrypt every encrypted field value (identity "
        "fields, session notes, guardians' names, and any other EncryptedTextField) and every document and export "
        "file that is not under the newest key yet, then print the counts. Old keys can be removed once it reports "
        "nothing left. Values are compared before they are replaced, so a concurrent edit is never overwritten. "
        "Safe to run again: a second run finds nothing to do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is not under the newest key; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        newest = encryption_keys()[0][0]
        self.stdout.write(f"Newest key: {newest}." + (" Dry run: nothing changes." if dry_run else ""))
        total = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    count = self._field(model, field, newest, dry_run)
                    total += count
                    self.stdout.write(f"  {model._meta.label}.{field.name}: {count}")
        count = self._documents(newest, dry_run)
        total += count
        self.stdout.write(f"  document files: {count}")
        count = self._exports(newest, dry_run)
        total += count
        self.stdout.write(f"  export files: {count}")
        self.stdout.write(f"{total} value(s) and file(s) {'to re-encrypt' if dry_run else 're-encrypted'}.")

    def _field(self, model: Any, field: Any, newest: str, dry_run: bool) -> int:
        qn = connection.ops.quote_name
        table, column, pk = qn(model._meta.db_table), qn(field.column), qn(model._meta.pk.column)
        prefix = _escape_like(f"{newest}:") + "%"
        done, last = 0, None
        while True:
            # Raw SQL: the field would decrypt on read, and we need the stored value and its key id.
            where = f"{column} <> '' AND {column} NOT LIKE %s ESCAPE '\\'"
            params: list[Any] = [prefix]
            if last is not None:
                where += f" AND {pk} > %s"
                params.append(last)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {BATCH}", params)  # noqa: S608
                rows = cursor.fetchall()
            if not rows:
                return done
            last = rows[-1][0]
            with transaction.atomic():
                for row_pk, stored in rows:
                    if stored is None or stored.startswith(f"{newest}:"):
                        continue
                    done += 1
                    if dry_run:
                        continue
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                            [encrypt(decrypt(stored)), row_pk, stored],
                        )

    def _rewrite(self, path: Path, newest: str, dry_run: bool) -> int:
        try:
            stored = path.read_bytes()
        except FileNotFoundError:
            return 0
        if key_id_of_bytes(stored) == newest:
            return 0
        if not dry_run:
            write_private_file(path, encrypt_bytes(decrypt_bytes(stored)))
        return 1

    def _documents(self, newest: str, dry_run: bool) -> int:
        documents = Document.objects.exclude(content_type=REMOVED_BY_RETENTION).only("stored_name")
        return sum(self._rewrite(document_path(d), newest, dry_run) for d in documents.iterator(chunk_size=BATCH))

    def _exports(self, newest: str, dry_run: bool) -> int:
        root = exports_root()
        if not root.exists():
            return 0
        return sum(
            self._rewrite(p, newest, dry_run) for p in root.glob("*/*") if p.is_file() and p.suffix in (".json", ".pdf")
        )
