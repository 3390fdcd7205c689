"""Load the demonstration data: invented organisations and one user per role. Safe to run again."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from rightpath.accounts.models import Organisation, RoleAssignment, User
from rightpath.accounts.roles import Role

DEMO_PASSWORD = "RightPath-demo-2026"  # noqa: S105 (printed demo login; refused in production)

# name, type, level, country, municipality, data-protection regime
ORGANISATIONS = [
    ("RightPath Operations", "ministry", "national", "XK", "", "general"),
    ("Kosovo Correctional Service (demo)", "prison", "national", "XK", "Dubravë", "law_enforcement"),
    ("Kosovo Probation Service (demo)", "probation", "national", "XK", "Prishtinë", "law_enforcement"),
    ("Centre for Social Work Gjilan (demo)", "social_work", "municipal", "XK", "Gjilan", "general"),
    ("Kosovo Police Liaison Unit (demo)", "police", "national", "XK", "Prishtinë", "law_enforcement"),
    ("Centre for Social Work Zenica (demo)", "social_work", "municipal", "BA", "Zenica", "general"),
    ("Sarajevo Reintegration Network (demo NGO)", "ngo", "civil_society", "BA", "Sarajevo", "general"),
    ("Directorate for Execution of Sanctions (demo)", "prison", "national", "MK", "Skopje", "law_enforcement"),
    ("Skopje Youth Bridge (demo youth organisation)", "youth", "civil_society", "MK", "Skopje", "general"),
    ("Balkan DRR Training Academy (demo)", "training", "civil_society", "MK", "Tetovo", "general"),
]

# username, first name, last name, organisation (index above), roles
USERS = [
    ("platform.admin", "Arben", "Krasniqi", 0, [Role.PLATFORM_ADMIN]),
    ("probation.admin", "Vjosa", "Berisha", 2, [Role.ORG_ADMIN]),
    ("probation.coordinator", "Driton", "Gashi", 2, [Role.COORDINATOR]),
    ("probation.supervisor", "Mimoza", "Hoxha", 2, [Role.SUPERVISOR]),
    ("probation.dpo", "Liridona", "Shala", 2, [Role.DPO]),
    ("prison.assessor", "Besnik", "Morina", 1, [Role.ASSESSOR, Role.PRACTITIONER]),
    ("socialwork.practitioner", "Teuta", "Rexhepi", 3, [Role.PRACTITIONER]),
    ("hub.editor", "Amra", "Hadžić", 6, [Role.EDITOR]),
    ("hub.reviewer", "Emir", "Kovačević", 5, [Role.REVIEWER]),
    ("academy.trainer", "Елена", "Стојановска", 9, [Role.TRAINER]),
]


def demo_totp_key(username: str) -> str:
    """A stable TOTP key per demo user (hex), so re-running prints the same secret."""
    return hmac.new(settings.SECRET_KEY.encode(), f"demo-totp:{username}".encode(), hashlib.sha1).hexdigest()


class Command(BaseCommand):
    help = (
        "Create or refresh the demonstration organisations and users (one per role) and print their "
        "logins with the TOTP secret of users who must use a second factor. Idempotent. Refuses to "
        "run unless the demo/development settings are in use."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "RIGHTPATH_DEMO", False):
            raise CommandError("seed_demo runs only under the demo/development settings, never in production.")
        with transaction.atomic():
            orgs = [self._organisation(*row) for row in ORGANISATIONS]
            rows = [self._user(orgs, *row) for row in USERS]
            from django.apps import apps

            for config in apps.get_app_configs():
                seed = getattr(config, "seed_demo", None)
                if callable(seed):
                    rows.extend(seed(self) or [])
        self._print(rows)

    def _organisation(
        self, name: str, type_: str, level: str, country: str, municipality: str, regime: str
    ) -> Organisation:
        org, _created = Organisation.objects.update_or_create(
            name=name,
            country=country,
            defaults={
                "type": type_,
                "level": level,
                "municipality": municipality,
                "data_regime": regime,
                "is_active": True,
            },
        )
        return org

    def _user(
        self, orgs: list[Organisation], username: str, first: str, last: str, org_index: int, roles: list[Role]
    ) -> dict[str, str]:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.rightpath.invalid",
                "organisation": orgs[org_index],
            },
        )
        user.first_name, user.last_name, user.organisation, user.is_active = first, last, orgs[org_index], True
        user.set_password(DEMO_PASSWORD)
        user.save()
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        user._role_cache = None
        secret = ""
        if user.needs_mfa:
            key = demo_totp_key(username)
            TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
            TOTPDevice.objects.get_or_create(
                user=user, key=key, defaults={"name": "Demo authenticator", "confirmed": True}
            )
            secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
        return {
            "role": ", ".join(str(Role(r).label) for r in roles),
            "organisation": orgs[org_index].name,
            "username": username,
            "password": DEMO_PASSWORD,
            "totp": secret,
        }

    def _print(self, rows: list[dict[str, str]]) -> None:
        headers = {
            "role": "ROLE",
            "organisation": "ORGANISATION",
            "username": "USERNAME",
            "password": "PASSWORD",
            "totp": "TOTP SECRET",
        }
        widths = {k: max(len(headers[k]), *(len(r.get(k, "")) for r in rows)) for k in headers}
        line = "  ".join(headers[k].ljust(widths[k]) for k in headers)
        self.stdout.write(line)
        self.stdout.write("  ".join("-" * widths[k] for k in headers))
        for r in rows:
            self.stdout.write("  ".join(r.get(k, "").ljust(widths[k]) for k in headers))
        self.stdout.write("")
        self.stdout.write(
            "Users with a TOTP secret sign in with a second factor: add the secret to an authenticator app."
        )
