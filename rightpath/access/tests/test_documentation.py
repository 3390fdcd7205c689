"""docs/security.md prints the permission table from the code, so the two cannot drift."""

from django.core.management import call_command


def test_security_document_matches_the_registered_rules() -> None:
    call_command("document_policy", "--check")
