"""Case work: one person's DRR path shared by the institutions that work with them.

Access never comes from organisation roles alone: it comes from ``CaseMembership`` and, across
organisations, from an active ``SharingAgreement`` (see ``cases/policy.py``). Identity fields and
session notes are encrypted at rest.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Organisation
from rightpath.core.fields import EncryptedTextField
from rightpath.core.models import BaseModel

from .vocab import CaseRole, Category, LegalBasis, LifeDomain, Phase

User = settings.AUTH_USER_MODEL


class SharingAgreement(BaseModel):
    """An information-sharing agreement between organisations: who may see which data, why, until when."""

    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(Organisation, related_name="sharing_agreements", verbose_name=_("parties"))
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    legal_reference = models.CharField(
        _("legal reference"), max_length=300, blank=True, help_text=_("Article of the law, decree or memorandum.")
    )
    purposes = models.TextField(_("purposes"))
    data_categories = models.JSONField(
        _("data categories"), default=list, help_text=_("Case sections the agreement covers.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    review_date = models.DateField(_("review date"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("information-sharing agreement")
        verbose_name_plural = _("information-sharing agreements")

    def __str__(self) -> str:
        return self.title

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.terminated_at is None and self.valid_from <= on <= self.valid_until


class Case(BaseModel):
    """A person's DRR case, known on the platform by a pseudonymous reference."""

    class PlanStatus(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    reference = models.CharField(_("case reference"), max_length=32, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    is_woman = models.BooleanField(_("woman"), default=False)
    is_minor = models.BooleanField(_("minor"), default=False)
    best_interests_note = models.TextField(
        _("best-interests note"),
        blank=True,
        help_text=_("Required for a minor: how the child's best interests are served."),
    )
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead organisation")
    )
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receiving_cases",
        verbose_name=_("receiving organisation"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.REFERRAL, db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    legal_basis_note = models.CharField(_("legal basis reference"), max_length=300, blank=True)
    plan_status = models.CharField(
        _("plan status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["lead_organisation", "phase"])]

    def __str__(self) -> str:
        return self.reference


class Identity(BaseModel):
    """Who the person is: kept apart from the case and encrypted at rest."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    given_names = EncryptedTextField(_("given names"))
    family_name = EncryptedTextField(_("family name"))
    birth_date = EncryptedTextField(_("birth date"), blank=True, help_text=_("YYYY-MM-DD"))
    identity_numbers = EncryptedTextField(_("identity numbers"), blank=True)
    addresses = EncryptedTextField(_("addresses"), blank=True)
    photo = models.ForeignKey(
        "Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("photo")
    )
    blind_index = models.CharField(
        max_length=64,
        db_index=True,
        help_text="Keyed hash of the normalised name and birth date, for duplicate checks.",
    )

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"identity of {self.case_id}"


class CaseMembership(models.Model):
    """A user on a case team with a case role, for a period; removal ends access at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="case_memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", help_text="The member's organisation when added."
    )
    role = models.CharField(_("case role"), max_length=30, choices=CaseRole.choices)
    valid_from = models.DateTimeField(_("from"), default=timezone.now)
    valid_until = models.DateTimeField(_("until"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    justification = models.TextField(_("justification"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["valid_from"]
        indexes = [
            models.Index(fields=["user", "removed_at"]),
            models.Index(fields=["case", "removed_at"]),
            # The user's memberships in their organisation: every case list and "my work" starts there.
            models.Index(fields=["user", "organisation", "case"], name="cases_member_user_org_case"),
        ]
        verbose_name = _("case team membership")

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id} as {self.role}"

    @property
    def is_break_glass(self) -> bool:
        return self.role == CaseRole.BREAK_GLASS

    def is_active(self, now: timezone.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.removed_at is None and self.valid_from <= now and (self.valid_until is None or now <= self.valid_until)
        )


class PhaseChange(models.Model):
    """A move of the case from one phase to another: who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


# --- the individual plan ---------------------------------------------------------------------------


class PlanGoal(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    strengths = models.TextField(_("strengths to build on"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["domain", "created_at"]

    def __str__(self) -> str:
        return self.title


class PlanAction(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible organisation")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    conference = models.ForeignKey(
        "Conference", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return self.description


class PlanReview(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    summary = models.TextField(_("summary of the review"))
    next_review_on = models.DateField(_("next review"), db_index=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"review of {self.case_id}"


# --- sessions and contacts ------------------------------------------------------------------------


class Session(BaseModel):
    class Type(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual session")
        GROUP = "group", _("Group session")
        HOME_VISIT = "home_visit", _("Home visit")
        PHONE = "phone", _("Phone call")
        FAMILY = "family", _("Family meeting")
        RELIGIOUS = "religious", _("Religious counselling")
        MENTORING = "mentoring", _("Mentoring")
        OTHER = "other", _("Other contact")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    provider = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"), db_index=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.held_on}"


# --- referrals, transfers, conferences, consent, documents, approvals ---------------------------------


class Referral(BaseModel):
    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("to")
    )
    service = models.CharField(_("service asked for"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT, db_index=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.service


class Transfer(BaseModel):
    """A hand-over of the case lead (prison → probation → community) through a checklist."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        PENDING = "pending", _("Waiting for the receiving organisation")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving organisation")
    )
    checklist = models.JSONField(_("hand-over checklist"), default=dict)
    note = models.TextField(_("hand-over note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"transfer of {self.case_id}"


class Conference(BaseModel):
    """A multi-agency case conference: who took part and what was decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("chair"))
    participants = models.ManyToManyField(User, related_name="+", blank=True, verbose_name=_("participants"))
    other_participants = models.TextField(
        _("other participants"), blank=True, help_text=_("People without an account, with their organisation.")
    )
    decisions = models.TextField(_("decisions"))

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"conference {self.held_on}"


class Consent(BaseModel):
    """Consent for one purpose: what, who gave it (the person or a guardian), when, and withdrawal."""

    class GivenBy(models.TextChoices):
        PERSON = "person", _("The person")
        GUARDIAN = "guardian", _("A parent or guardian")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=300)
    scope = models.TextField(_("scope"), blank=True)
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    guardian_name = EncryptedTextField(_("guardian's name"), blank=True)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return self.purpose


class Document(BaseModel):
    """A file attached to a case, stored encrypted under a generated name outside the web root."""

    class Type(models.TextChoices):
        COURT = "court", _("Court decision")
        ASSESSMENT = "assessment", _("Assessment report")
        CERTIFICATE = "certificate", _("Certificate")
        ID_DOCUMENT = "id_document", _("Identity document")
        PHOTO = "photo", _("Photo")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Approval(BaseModel):
    """A supervisor's decision on a plan, a lead transfer or a case closure."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Individual plan")
        TRANSFER = "transfer", _("Lead transfer")
        CLOSURE = "closure", _("Case closure")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, null=True, blank=True, related_name="approvals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", help_text="Whose supervisors decide."
    )
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} approval"


class Notification(models.Model):
    """An in-app notification; e-mail copies carry no personal data (only a link)."""

    class Kind(models.TextChoices):
        REFERRAL_RECEIVED = "referral_received", _("Referral received")
        REFERRAL_ANSWERED = "referral_answered", _("Referral answered")
        TRANSFER_TO_ACCEPT = "transfer_to_accept", _("Lead transfer to accept")
        DUE = "due", _("Review or action due")
        BREAK_GLASS = "break_glass", _("Emergency access used")
        APPROVAL = "approval", _("Approval requested or decided")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kind


class NotificationPreference(models.Model):
    """Whether a user wants an e-mail for a kind of notification (in-app ones always show)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
