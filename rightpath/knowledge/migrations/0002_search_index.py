"""Full-text index over the normalised search documents (see rightpath/knowledge/search.py).

PostgreSQL: a GIN expression index on ``to_tsvector('simple', title_terms || ' ' || terms)``
(``simple``: the terms are lemmatised and folded in Python already). An expression index rather
than a stored tsvector column: the search never reads the vector (GIN needs no recheck for its
queries), rows stay small, and with the vector's cost of recomputation the planner keeps to the
index even for frequent words (with a stored vector it chose a sequential scan that detoasted
every vector: ~20 ms instead of ~2 ms on 11,000 documents).

SQLite: an FTS5 external-content table over ``title_terms`` and ``terms``, kept in sync by
triggers. ``remove_diacritics 0``: the terms are folded already, and folding again here would
make SQLite match what PostgreSQL does not.

No pg_trgm index: trigram similarity has no SQLite counterpart, and the two databases must give
the same answers; prefix matching (``term:*`` / ``"term"*``) covers partial words on both.

Caution: if a later migration makes SQLite rebuild ``knowledge_searchdocument`` (an AlterField),
the triggers go with the old table; re-create them (``manage.py rebuild_search_index`` does).
"""

from django.db import migrations

PG_INDEX = "knowledge_searchdocument_search_gin"
PG_FORWARD = [
    f"""CREATE INDEX IF NOT EXISTS {PG_INDEX} ON knowledge_searchdocument
        USING gin (to_tsvector('simple'::regconfig, title_terms || ' ' || terms))""",
]
PG_REVERSE = [f"DROP INDEX IF EXISTS {PG_INDEX}"]

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_searchdocument_fts USING fts5(
        title_terms, terms, content='knowledge_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_searchdocument_fts_insert AFTER INSERT ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_searchdocument_fts(rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_searchdocument_fts_delete AFTER DELETE ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_searchdocument_fts(knowledge_searchdocument_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
    END""",
    """CREATE TRIGGER IF NOT EXISTS knowledge_searchdocument_fts_update AFTER UPDATE ON knowledge_searchdocument BEGIN
        INSERT INTO knowledge_searchdocument_fts(knowledge_searchdocument_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
        INSERT INTO knowledge_searchdocument_fts(rowid, title_terms, terms) VALUES (new.id, new.title_terms, new.terms);
    END""",
    # Index whatever the table already holds.
    "INSERT INTO knowledge_searchdocument_fts(knowledge_searchdocument_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_searchdocument_fts_update",
    "DROP TABLE IF EXISTS knowledge_searchdocument_fts",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
