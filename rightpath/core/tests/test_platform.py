"""Health check, security headers, error pages, queued e-mail and the production profile."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from conftest import sign_in

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_the_database(client: Client, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client: Client, db: Any) -> None:
    from django.db import OperationalError

    with mock.patch("rightpath.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client: Client, db: Any) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_scripts_or_event_handlers(client: Client, make_user: Any) -> None:
    import re

    sign_in(client, make_user("org_admin"))
    for url in ["/", "/accounts/login/", "/accounts/profile/", "/accounts/organisations/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url


def test_signed_in_pages_are_never_cached(client: Client, make_user: Any) -> None:
    sign_in(client, make_user("org_admin"))
    assert client.get("/accounts/profile/")["Cache-Control"] == "no-store"


def test_cookies_are_http_only_and_same_site(client: Client, make_user: Any, settings: Any) -> None:
    from conftest import PASSWORD

    user = make_user("editor")
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_unknown_page_gets_the_friendly_translated_404(client: Client, db: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()
    albanian = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="sq")
    assert 'lang="sq"' in albanian.content.decode()


def test_server_error_page_is_friendly(rf: Any, db: Any) -> None:
    from django.utils import translation

    from rightpath.core.views import server_error

    with translation.override("en"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_email_goes_through_the_task_queue_and_the_worker_delivers_it(settings: Any) -> None:
    from django.core.mail import send_mail
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Subject", "Body", None, ["someone@example.org"])
    assert mail.outbox == []  # queued, not sent during the request
    assert DBTaskResult.objects.filter(status="READY", task_path="rightpath.core.tasks.send_email").count() == 1
    call_command("worker", "--batch")
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    assert DBTaskResult.objects.get(task_path="rightpath.core.tasks.send_email").status == "SUCCESSFUL"


def test_production_profile_passes_the_deployment_check() -> None:
    # The test runner's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests) are not production's.
    inherited = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "rightpath.settings.production",
        "SECRET_KEY": "x" * 20 + "production-grade-secret-value-0123456789",
        "AUDIT_HMAC_KEYS": "k1:" + "a" * 40,
        "FIELD_ENCRYPTION_KEYS": "k1:ZGV2LW9ubHktZmllbGQta2V5LTAxMjM0NTY3ODlhYmM=",
        "BLIND_INDEX_KEY": "c" * 40,
        "DATABASE_URL": "sqlite:////tmp/rightpath-deploy-check.sqlite3",
        "ALLOWED_HOSTS": "rightpath.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_secrets() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "AUDIT_HMAC_KEYS", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "rightpath.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_seed_demo_refuses_to_run_under_production(settings: Any, db: Any) -> None:
    from django.core.management.base import CommandError

    settings.RIGHTPATH_DEMO = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_platform_admin_sees_the_system_page_and_others_do_not(client_for: Any, make_user: Any) -> None:
    platform = client_for(make_user("platform_admin"))
    page = platform.get("/system/")
    assert page.status_code == 200
    assert page.context["database"] in ("sqlite", "postgresql")
    assert "SECRET_KEY" not in page.content.decode()
    assert client_for(make_user("org_admin")).get("/system/").status_code == 403


@pytest.mark.parametrize(
    "roles,shown,hidden",
    [
        (["platform_admin"], ["/system/", "/accounts/organisations/"], ["/audit/"]),
        (["dpo"], ["/audit/"], ["/system/"]),
        (["editor"], ["/accounts/organisations/"], ["/audit/", "/system/"]),
    ],
)
def test_navigation_shows_only_what_the_roles_allow(
    client_for: Any, make_user: Any, roles: list, shown: list, hidden: list
) -> None:
    nav = [item["url"] for item in client_for(make_user(*roles)).get("/").context["nav_items"]]
    assert all(url in nav for url in shown), nav
    assert not any(url in nav for url in hidden), nav


@pytest.mark.parametrize("language", ["en", "hr", "mk", "sq"])
def test_dates_follow_the_readers_locale(client_for: Any, make_user: Any, org: Any, language: str) -> None:
    from datetime import datetime

    from django.utils import formats, translation

    admin = make_user("org_admin")
    colleague = make_user("editor")
    colleague.last_login = datetime(2026, 3, 9, 14, 5, tzinfo=UTC)
    colleague.save()
    client = client_for(admin)
    client.cookies["django_language"] = language
    html = client.get(f"/accounts/organisations/{org.code}/").content.decode()
    with translation.override(language):
        from django.utils.timezone import localtime

        expected = formats.date_format(localtime(colleague.last_login), "SHORT_DATETIME_FORMAT")
    assert expected in html


def test_printed_pages_say_who_printed_them_and_that_they_may_hold_personal_data(
    client: Client, client_for: Any, make_user: Any
) -> None:
    user = make_user("coordinator")
    signed_in = client_for(user).get("/accounts/profile/").content.decode()
    assert 'class="print-only print-mark"' in signed_in
    assert "Printed from RightPath on" in signed_in and f"by {user.get_full_name()}." in signed_in
    assert "print-mark" not in client.get("/accounts/login/").content.decode()
