"""Assessments: structured professional judgement on versioned instruments an organisation loads.

An ``Instrument`` is one version of an instrument definition and never changes once loaded; an
``Assessment`` points at the exact version it was made with, so loading a new version leaves every
earlier assessment as it was. The platform records ratings, evidence and the assessor's reasoned
judgement: it never computes a verdict. Evidence, sources, the rationale and addenda are encrypted
at rest.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Organisation
from rightpath.cases.models import Case, PlanGoal
from rightpath.cases.vocab import CaseRole, LifeDomain
from rightpath.core.fields import EncryptedTextField
from rightpath.core.models import BaseModel

from .instruments import translated

User = settings.AUTH_USER_MODEL


class InstrumentKind(models.TextChoices):
    SPJ = "spj", _("Structured professional judgement")
    RULE_BASED = "rule_based", _("Rule-based screening")


class ConcernLevel(models.TextChoices):
    LOW = "low", _("Low concern")
    MODERATE = "moderate", _("Moderate concern")
    HIGH = "high", _("High concern")


class Parts(models.TextChoices):
    """Which parts of an assessment a case role sees."""

    FULL = "full", _("The whole assessment")
    SUMMARY = "summary", _("The summary judgement only")
    NONE = "none", _("Nothing")


class ImmutableError(Exception):
    """An instrument version was about to be changed after loading."""


class Instrument(BaseModel):
    """One version of an instrument definition, exactly as loaded; never changed afterwards."""

    key = models.CharField(_("key"), max_length=40)
    version_label = models.CharField(_("version"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    is_demonstration = models.BooleanField(_("demonstration"), default=False)
    definition = models.JSONField(_("definition"))
    sha256 = models.CharField(max_length=64)
    loaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    class Meta:
        ordering = ["key", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["key", "version_label"], name="instrument_key_version_unique")]
        verbose_name = _("instrument version")

    def __str__(self) -> str:
        return f"{self.key} {self.version_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(f"instrument {self.key} {self.version_label} is immutable once loaded")
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return translated(self.definition.get("name"))

    @property
    def description(self) -> str:
        return translated(self.definition.get("description"))

    @property
    def is_spj(self) -> bool:
        return self.kind == InstrumentKind.SPJ

    def items(self) -> list[dict[str, Any]]:
        return [item for domain in self.definition["domains"] for item in domain["items"]]


class Assessment(BaseModel):
    """One assessment of a person on one instrument version: a draft, then signed off and locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED_OFF = "signed_off", _("Signed off")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    sources = EncryptedTextField(
        _("sources of information"),
        blank=True,
        help_text=_("Interviews, records, reports and observations the assessment draws on, with their dates."),
    )
    level_of_concern = models.CharField(_("level of concern"), max_length=20, choices=ConcernLevel.choices, blank=True)
    rationale = EncryptedTextField(
        _("rationale"), blank=True, help_text=_("Your reasoned judgement in your own words: required to sign off.")
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"assessment {self.code}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SIGNED_OFF


class ItemRating(models.Model):
    """The assessor's rating of one item with the evidence for it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    item_key = models.CharField(max_length=40)
    value = models.CharField(_("rating"), max_length=40, blank=True)
    evidence = EncryptedTextField(_("evidence"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item_key"], name="rating_item_unique")]

    def __str__(self) -> str:
        return f"{self.item_key}={self.value}"


class Recommendation(BaseModel):
    """What the assessment recommends for the plan; it can become a plan goal in one step."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="recommendations")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    title = models.CharField(_("recommendation"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    plan_goal = models.ForeignKey(PlanGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class Addendum(models.Model):
    """A dated correction or addition to a signed-off assessment; never changed afterwards."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="addenda")
    text = EncryptedTextField(_("addendum"))
    written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["written_at"]
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"addendum to {self.assessment_id}"


class AssessmentVisibility(BaseModel):
    """An organisation's choice of which parts of its cases' assessments a case role sees.

    Applies to cases the organisation leads. Without a row the default applies (``policy.DEFAULT_PARTS``).
    It can only narrow what the case grants table allows, except that a team member may be given
    the summary judgement alone.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    case_role = models.CharField(_("case role"), max_length=30, choices=CaseRole.choices)
    parts = models.CharField(_("sees"), max_length=20, choices=Parts.choices)
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "case_role"], name="assessment_visibility_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.case_role}: {self.parts}"
