"""Template helpers for assessments."""

from __future__ import annotations

from typing import Any

from django import template

from rightpath.cases.policy import memberships_of

from ..models import Parts
from ..policy import S, default_parts

register = template.Library()


@register.filter
def may_see_assessment_summary(case: Any, user: Any) -> bool:
    """Whether the case navigation offers the assessments to a member whose case role lacks the
    section but is shown the summary judgement by default (e.g. a police liaison).

    Uses the memberships the policy has already read for the page (no query); the assessments page
    itself asks the policy, with the lead organisation's own choices.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return any(S in covered and default_parts(m.role) != Parts.NONE for m, covered in memberships_of(user, case))
