from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rightpath.accounts.models import Organisation, User
from rightpath.api.services import CONSOLE, api_token_create, service_account_create


@pytest.fixture
def make_token(db: Any) -> Callable[..., tuple[User, str]]:
    """A service account of ``organisation`` (with ``roles``) and the string of a fresh token for it."""

    def make(organisation: Organisation, *roles: str, days: int = 90) -> tuple[User, str]:
        account = service_account_create(actor=CONSOLE, organisation=organisation, name="Case sync", roles=list(roles))
        _token, raw = api_token_create(actor=CONSOLE, service_account=account, name="sync", days=days)
        return account, raw

    return make


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
