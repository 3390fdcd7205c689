"""Write the permission table of docs/security.md from the registered rules (the code is the source)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import URLPattern, URLResolver, get_resolver

from rightpath.access.policy import registered_actions

BEGIN = "<!-- BEGIN GENERATED: document_policy -->"
END = "<!-- END GENERATED: document_policy -->"


def _public_views() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                reason = getattr(p.callback, "access_public", None)
                if reason:
                    out.append(("/" + prefix + str(p.pattern), reason))

    walk(get_resolver().url_patterns)
    return sorted(out)


def render_tables() -> str:
    """The generated Markdown: every policy action with its rule, and every deliberately public URL."""
    lines = [BEGIN, "", "| action | who may (the rule's own words) |", "|---|---|"]
    for action, description in registered_actions().items():
        lines.append(f"| `{action}` | {description} |")
    lines += ["", "Deliberately public URLs (anyone may call them):", "", "| URL | why |", "|---|---|"]
    for route, reason in _public_views():
        lines.append(f"| `{route}` | {reason} |")
    extra = []
    for hook in getattr(settings, "POLICY_DOC_SECTIONS", []):
        from django.utils.module_loading import import_string

        extra.append(import_string(hook)())
    lines += ["", *extra, END]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


class Command(BaseCommand):
    help = (
        "Regenerate the permission tables in docs/security.md from the policy rules registered with "
        "rightpath.access. --check exits 1 if the document is out of date (used by the test suite)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Do not write; fail if docs/security.md is stale.")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "security.md"
        text = path.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            raise CommandError(f"{path} lacks the generated-section markers")
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        new = head + render_tables() + tail
        if check:
            if new != text:
                raise CommandError("docs/security.md is out of date: run `manage.py document_policy`.")
            self.stdout.write("docs/security.md is up to date.")
            return
        path.write_text(new, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
