"""The main navigation: each entry shows only when the policy allows its action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rightpath.access.policy import can


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    action: str
    section: str


# Parts of the product add their entries here as they are built.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Knowledge hub"), "knowledge:search", "knowledge.entry.view", "knowledge"),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.organisation.list", "organisations"),
    NavItem(_("Audit log"), "audit:entry_list", "audit.entry.list", "audit"),
    NavItem(_("Audit chain"), "audit:verify_start", "audit.verify", "audit-verify"),
    NavItem(_("System"), "core:system", "system.manage", "system"),
    NavItem(_("Edit the hub"), "knowledge:editor_home", "knowledge.entry.edit", "knowledge-edit"),
    NavItem(_("My work"), "cases:mywork", "cases.mywork.view", "mywork"),
    NavItem(_("Cases"), "cases:case_list", "cases.case.view", "cases"),
    NavItem(_("Assessment instruments"), "assessments:instrument_list", "assessments.instrument.view", "instruments"),
    NavItem(_("Training"), "training:home", "training.learning.view", "training"),
]


def items_for(user: Any) -> list[dict[str, Any]]:
    """The entries ``user`` may open, with their URLs."""
    out = []
    for item in NAV_ITEMS:
        if can(user, item.action):
            out.append({"label": item.label, "url": reverse(item.url_name), "section": item.section})
    return out
