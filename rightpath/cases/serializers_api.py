"""Serializers of the case endpoints of the API.

Output serializers shape what the policy already allowed; input serializers check types and turn
codes into records. The rules (team members only, dates, the receiving organisation…) stay in the
services, whose ``ValidationError`` the API answers as a 400 with the messages per field.
Identity fields and session notes never appear here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rightpath.accounts.models import Organisation, User

from .models import Case, Consent, PlanAction, PlanGoal, Referral, Session
from .selectors.referrals import response_time
from .vocab import CaseRole, Category, Phase, Section


def _one_of(values: list[str]) -> str:
    return "One of " + ", ".join(values) + "."


class FlagsSerializer(serializers.Serializer):
    woman = serializers.BooleanField()
    minor = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    """A case as listed: pseudonymous reference, category, phase, lead organisation, flags and the
    caller's own case roles. Never identity data."""

    category = serializers.CharField(help_text=_one_of(Category.values))
    phase = serializers.CharField(help_text=_one_of(Phase.values))
    lead_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    flags = serializers.SerializerMethodField()
    my_roles = serializers.SerializerMethodField(
        help_text="The caller's active case roles: " + _one_of(CaseRole.values)
    )

    class Meta:
        model = Case
        fields = ["code", "reference", "category", "phase", "lead_organisation", "flags", "my_roles"]
        read_only_fields = fields

    @extend_schema_field(FlagsSerializer)
    def get_flags(self, case: Case) -> dict[str, bool]:
        return {"woman": case.is_woman, "minor": case.is_minor}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_my_roles(self, case: Case) -> list[str]:
        return sorted({m.role for m in getattr(case, "my_memberships", [])})


class CaseDetailSerializer(CaseSerializer):
    """The case summary, with the sections the caller may read ("r") or change ("rw")."""

    receiving_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    sections = serializers.SerializerMethodField(help_text="Section → r or rw. Sections: " + _one_of(Section.values))

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "receiving_organisation",
            "legal_basis",
            "plan_status",
            "opened_at",
            "closed_at",
            "sections",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_sections(self, case: Case) -> dict[str, str]:
        return dict(sorted(self.context["rights"].items()))


class PlanActionSerializer(serializers.ModelSerializer):
    responsible_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PlanAction
        fields = ["code", "description", "responsible_organisation", "due_date", "status", "completed_at"]
        read_only_fields = fields


class PlanGoalSerializer(serializers.ModelSerializer):
    actions = PlanActionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanGoal
        fields = ["code", "domain", "title", "description", "strengths", "status", "actions"]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer):
    """The individual plan: its approval status and goals per life domain with their actions."""

    plan_status = serializers.CharField(help_text=_one_of(Case.PlanStatus.values))
    goals = PlanGoalSerializer(many=True)


class SessionSerializer(serializers.ModelSerializer):
    """A session or contact, without its notes (they are read on the web page, one by one, audited)."""

    type = serializers.CharField(help_text=_one_of(Session.Type.values))
    provider = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Session
        fields = ["code", "type", "provider", "organisation", "held_on", "duration_minutes"]
        read_only_fields = fields


class SessionInputSerializer(serializers.Serializer):
    """A session to log. ``provider`` (a user's code) defaults to the caller."""

    # A plain string with its values listed (the service checks it): OpenAPI enum names would
    # collide with the other vocabularies called "type".
    type = serializers.CharField(max_length=20, help_text=_one_of(Session.Type.values))
    provider = serializers.UUIDField(required=False, allow_null=True)
    held_on = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)

    def validate_provider(self, value: Any) -> User | None:
        if value is None:
            return None
        user = User.objects.filter(code=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active user has this code."))
        return user


class ReferralSerializer(serializers.ModelSerializer):
    """A referral with its status and response time (seconds from sending to the answer)."""

    from_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    response_time_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "code",
            "service",
            "message",
            "status",
            "from_organisation",
            "to_organisation",
            "sent_at",
            "answered_at",
            "completed_at",
            "decline_reason",
            "response_time_seconds",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_response_time_seconds(self, referral: Referral) -> int | None:
        delta = response_time(referral.sent_at, referral.answered_at)
        return int(delta.total_seconds()) if delta is not None else None


class ReferralInputSerializer(serializers.Serializer):
    """A referral to send: the receiving organisation's code, the service, a message, and optionally
    the code of the case's consent the referral relies on."""

    to_organisation = serializers.UUIDField()
    service = serializers.CharField(max_length=300)
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    consent = serializers.UUIDField(required=False, allow_null=True)

    def validate_to_organisation(self, value: Any) -> Organisation:
        organisation = Organisation.objects.filter(code=value).first()
        if organisation is None:
            raise serializers.ValidationError(_("No organisation has this code."))
        return organisation

    def validate_consent(self, value: Any) -> Consent | None:
        if value is None:
            return None
        if not self.context.get("may_read_consent"):
            raise serializers.ValidationError(_("Your case role does not let you name this case's consent records."))
        consent = Consent.objects.filter(code=value, case=self.context["case"]).first()
        if consent is None:
            raise serializers.ValidationError(_("This case has no consent with this code."))
        return consent
