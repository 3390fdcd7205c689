"""PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the audit tables.

The trigger is a guard against mistakes and against code paths that bypass the services, not
against the database owner (who can disable triggers). In production the application's database
role must also be granted INSERT and SELECT only on both tables (see docs/deployment.md)::

    REVOKE ALL ON audit_auditentry, audit_auditseal FROM rightpath_app;
    GRANT SELECT, INSERT ON audit_auditentry, audit_auditseal TO rightpath_app;

TRUNCATE is let through only in a session that sets ``rightpath.allow_audit_truncate = 'on'``:
Django's test runner empties every table with TRUNCATE after each transactional test, and the test
fixtures (rightpath/audit/tests/conftest.py) set it on the test database for that purpose only. Nothing in the application sets it, and the production
role lacks the TRUNCATE privilege anyway. SQLite has no such triggers; the embedded pilot relies
on the seals and the exported head to show tampering.
"""

from collections.abc import Callable
from typing import Any

from django.db import migrations

FUNCTION = "audit_refuse_change"
TABLES = ("audit_auditentry", "audit_auditseal")

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND current_setting('rightpath.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _statements_forward() -> list[str]:
    statements = [CREATE_FUNCTION]
    for table in TABLES:
        statements += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
    return statements


def _statements_backward() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [*statements, f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


def _run(statements: list[str]) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        # SQLite (the embedded pilot) has no plpgsql; there the seals alone show tampering.
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(_run(_statements_forward()), _run(_statements_backward()), elidable=False)]
