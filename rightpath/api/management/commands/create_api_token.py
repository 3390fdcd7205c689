"""Create a service account and an API token for one system integration; print the token once."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from rightpath.accounts.models import Organisation
from rightpath.api.services import CONSOLE, MAX_TOKEN_DAYS, api_token_create, service_account_create


def _find_organisation(ref: str) -> Organisation:
    ref = ref.strip()
    try:
        code = uuid.UUID(ref)
    except ValueError:
        matches = list(Organisation.objects.filter(name__iexact=ref)[:2])
    else:
        matches = list(Organisation.objects.filter(code=code)[:1])
    if not matches:
        raise CommandError(_("No organisation with this name or code: %(ref)s") % {"ref": ref})
    if len(matches) > 1:
        raise CommandError(_("Several organisations have this name; give the organisation's code instead."))
    return matches[0]


class Command(BaseCommand):
    help = (
        "Create a service account for a system integration of one organisation, with the given roles, and "
        "an API token for it. The token is printed once; only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name or code.")
        parser.add_argument("--name", required=True, help="A label for the integration, e.g. 'Case system sync'.")
        parser.add_argument(
            "--roles", default="", help="Comma-separated roles of the service account, e.g. practitioner."
        )
        parser.add_argument("--days", type=int, default=90, help=f"Days the token is valid (1-{MAX_TOKEN_DAYS}).")

    def handle(self, *args: Any, organisation: str, name: str, roles: str, days: int, **options: Any) -> None:
        org = _find_organisation(organisation)
        role_list = [r.strip() for r in roles.split(",") if r.strip()]
        try:
            with transaction.atomic():
                account = service_account_create(actor=CONSOLE, organisation=org, name=name, roles=role_list)
                token, raw = api_token_create(actor=CONSOLE, service_account=account, name=name, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            _("Service account %(username)s created in %(organisation)s; token valid until %(expires)s.")
            % {"username": account.username, "organisation": org.name, "expires": token.expires_at.isoformat()}
        )
        self.stdout.write(_("Copy this token now; it is not shown again:"))
        self.stdout.write(raw)
