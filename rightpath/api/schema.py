"""OpenAPI pieces: the token security scheme and the error responses every endpoint documents."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from .serializers import ErrorSerializer


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "rightpath.api.authentication.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<prefix>.<secret>",
            "description": str(_("An organisation's API token, sent as `Authorization: Bearer <prefix>.<secret>`.")),
        }


UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description=_("No valid token or session (or a wrong one)."))
FORBIDDEN = OpenApiResponse(ErrorSerializer, description=_("The policy does not allow this action."))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("No such object, or not one you may see."))

ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN}
ERRORS_WITH_404 = {**ERRORS, 404: NOT_FOUND}
