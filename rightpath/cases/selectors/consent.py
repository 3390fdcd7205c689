"""Reads of consent records (the view has asked the policy about the case's consent section)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from rightpath.cases.models import Case, Consent
from rightpath.cases.vocab import LegalBasis, Phase


def consent_list(case: Case) -> dict[str, Any]:
    """The case's consent records split into active and withdrawn, newest first (one query)."""
    rows = list(Consent.objects.filter(case=case).select_related("recorded_by").order_by("-given_on", "-created_at"))
    return {
        "active": [c for c in rows if c.withdrawn_on is None],
        "withdrawn": [c for c in rows if c.withdrawn_on is not None],
        "consent_basis_in_custody": consent_basis_in_custody(case),
    }


def consent_basis_in_custody(case: Case) -> bool:
    """True when the case names consent as its legal basis while the person is in prison, preparing
    for release or on probation: consent there is rarely free, so the basis deserves a second look."""
    return case.legal_basis == LegalBasis.CONSENT and case.phase in (Phase.PRISON, Phase.RELEASE, Phase.PROBATION)


def consent_get(case: Case, code: Any) -> Consent:
    """One consent record of ``case`` (404 otherwise)."""
    return get_object_or_404(Consent.objects.select_related("case"), case=case, code=code)
