"""Output serializers of the API (read-only: writes go through services, never through serializers)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation in the directory (no personal data)."""

    class Meta:
        model = Organisation
        fields = ["code", "name", "type", "level", "country", "municipality"]
        read_only_fields = fields


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["code", "name"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    """The signed-in user or the service account behind the token."""

    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField(help_text=_("The organisation roles held."))

    class Meta:
        model = User
        fields = ["code", "username", "is_service_account", "organisation", "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_set)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Machine-readable error code, e.g. not_authenticated."))
    message = serializers.CharField(help_text=_("Human-readable message in the request's language."))
    field_errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per input field (validation errors only)."),
    )


# The body's key is "fields", which a Serializer cannot declare as an attribute (it is a property).
ErrorDetailSerializer._declared_fields["fields"] = ErrorDetailSerializer._declared_fields.pop("field_errors")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response: `{"error": {"code", "message", "fields"}}`."""

    error = ErrorDetailSerializer()
