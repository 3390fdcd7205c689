"""Organisations, their users and the roles users hold."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightpath.core.models import BaseModel

from .roles import PERSONAL_DATA_ROLES, Role


class Country(models.TextChoices):
    """Countries the platform is built for first, then the European reference countries."""

    AL = "AL", _("Albania")
    BA = "BA", _("Bosnia and Herzegovina")
    XK = "XK", _("Kosovo")
    ME = "ME", _("Montenegro")
    MK = "MK", _("North Macedonia")
    RS = "RS", _("Serbia")
    HR = "HR", _("Croatia")
    AT = "AT", _("Austria")
    BE = "BE", _("Belgium")
    DK = "DK", _("Denmark")
    FR = "FR", _("France")
    DE = "DE", _("Germany")
    IT = "IT", _("Italy")
    NL = "NL", _("Netherlands")
    SE = "SE", _("Sweden")
    GB = "GB", _("United Kingdom")


class Organisation(BaseModel):
    """An institution or civil-society organisation that works on the platform."""

    class Type(models.TextChoices):
        PRISON = "prison", _("Prison service")
        PROBATION = "probation", _("Probation service")
        SOCIAL_WORK = "social_work", _("Centre for social work")
        POLICE = "police", _("Police liaison unit")
        HEALTH = "health", _("Health service")
        EDUCATION = "education", _("Education authority")
        EMPLOYMENT = "employment", _("Employment service")
        MUNICIPALITY = "municipality", _("Municipal referral mechanism")
        PANEL = "panel", _("Local multi-agency panel")
        NGO = "ngo", _("Non-governmental organisation")
        YOUTH = "youth", _("Youth organisation")
        RELIGIOUS = "religious", _("Religious community")
        TRAINING = "training", _("Training provider")
        MINISTRY = "ministry", _("Ministry")
        RESEARCH = "research", _("Research institute")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        MUNICIPAL = "municipal", _("Municipal")
        CIVIL_SOCIETY = "civil_society", _("Civil society")

    class DataRegime(models.TextChoices):
        GENERAL = "general", _("General data protection law")
        LAW_ENFORCEMENT = "law_enforcement", _("Law-enforcement data protection regime")

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.NATIONAL)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    data_regime = models.CharField(
        _("data-protection regime"), max_length=20, choices=DataRegime.choices, default=DataRegime.GENERAL
    )
    approval_required = models.BooleanField(
        _("supervisor approval required"),
        default=False,
        help_text=_("Plans, lead transfers and case closures need a supervisor's approval."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(fields=["name", "country"], name="organisation_unique_name_country")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person (or a system integration's service account) who signs in to RightPath."""

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="users", null=True
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    is_service_account = models.BooleanField(_("service account"), default=False)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        """The user's organisation roles, read once per request object."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_platform_admin(self) -> bool:
        return Role.PLATFORM_ADMIN in self.role_set

    @property
    def needs_mfa(self) -> bool:
        """True when any of the user's roles can see personal data."""
        return bool(self.role_set & PERSONAL_DATA_ROLES)


class RoleAssignment(models.Model):
    """One organisation role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")]
        verbose_name = _("role assignment")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Invitation(BaseModel):
    """An invitation to join an organisation, sent by e-mail; only a hash of its token is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class RecoveryCode(models.Model):
    """A single-use MFA recovery code, stored as a keyed hash (the code itself is shown once)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")]

    def __str__(self) -> str:
        return f"recovery code of user {self.user_id}"
