"""Output serializers of the assessment endpoints. They shape what the policy already allowed."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .instruments import translated
from .models import Assessment, Instrument


class InstrumentSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version_label")
    name = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = ["code", "key", "version", "kind", "is_demonstration", "name", "loaded_at"]
        read_only_fields = fields

    def get_name(self, instrument: Instrument) -> str:
        return translated(instrument.definition.get("name"))


class AssessmentSummarySerializer(serializers.ModelSerializer):
    """The summary judgement of a signed-off assessment: the assessor's level of concern and rationale."""

    instrument = InstrumentSerializer(read_only=True)
    assessor = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "code",
            "instrument",
            "status",
            "assessor",
            "level_of_concern",
            "rationale",
            "signed_off_at",
            "next_review_on",
        ]
        read_only_fields = fields

    def get_assessor(self, assessment: Assessment) -> str:
        return assessment.assessor.get_full_name() or assessment.assessor.username


class RatingSerializer(serializers.Serializer):
    item = serializers.CharField()
    domain = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()
    evidence = serializers.CharField()


class CountsSerializer(serializers.Serializer):
    """Information only: how many items of each kind were rated present. Never a score or a verdict."""

    risk = serializers.IntegerField()
    protective = serializers.IntegerField()
    need = serializers.IntegerField()


class AssessmentFullSerializer(AssessmentSummarySerializer):
    """The whole assessment. In lists (``brief``) without ratings, evidence and sources."""

    ratings = serializers.SerializerMethodField()
    counts_information_only = serializers.SerializerMethodField()
    screening_result = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField()
    addenda = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()

    class Meta(AssessmentSummarySerializer.Meta):
        fields = [
            *AssessmentSummarySerializer.Meta.fields,
            "sources",
            "ratings",
            "counts_information_only",
            "screening_result",
            "recommendations",
            "addenda",
        ]
        read_only_fields = fields

    def _full(self) -> dict[str, Any] | None:
        return self.context.get("full")

    def get_sources(self, assessment: Assessment) -> str | None:
        return assessment.sources if self._full() else None

    @extend_schema_field(RatingSerializer(many=True, allow_null=True))
    def get_ratings(self, assessment: Assessment) -> list[dict[str, str]] | None:
        full = self._full()
        if not full:
            return None
        return [
            {
                "item": item["key"],
                "domain": domain["key"],
                "kind": item["kind"],
                "value": item["value"],
                "label": item["value_label"],
                "evidence": item["evidence"],
            }
            for domain in full["domains"]
            for item in domain["items"]
        ]

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_counts_information_only(self, assessment: Assessment) -> dict[str, int] | None:
        full = self._full()
        return full["counts"] if full and assessment.instrument.is_spj else None

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_screening_result(self, assessment: Assessment) -> dict[str, Any] | None:
        full = self._full()
        return full["screening"] if full else None

    @extend_schema_field(serializers.ListField(child=serializers.DictField(), allow_null=True))
    def get_recommendations(self, assessment: Assessment) -> list[dict[str, Any]] | None:
        full = self._full()
        if not full:
            return None
        return [
            {
                "code": str(r.code),
                "domain": r.domain,
                "title": r.title,
                "description": r.description,
                "plan_goal": str(r.plan_goal.code) if r.plan_goal else None,
            }
            for r in full["recommendations"]
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField(), allow_null=True))
    def get_addenda(self, assessment: Assessment) -> list[dict[str, Any]] | None:
        full = self._full()
        if not full:
            return None
        return [{"written_at": a.written_at.isoformat(), "text": a.text} for a in full["addenda"]]
