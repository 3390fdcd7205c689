"""API endpoints. Each declares the policy action it performs; ``PolicyPermission`` asks the policy."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rightpath.access.policy import visible
from rightpath.accounts.models import Organisation

from .permissions import PolicyPermission
from .schema import ERRORS, ERRORS_WITH_404
from .serializers import MeSerializer, OrganisationSerializer

ORGANISATION_LIST = "accounts.organisation.list"


class MeView(APIView):
    """The authenticated user, or the service account a token belongs to."""

    permission_classes = [PolicyPermission]
    policy_action = "accounts.profile.view"

    @extend_schema(operation_id="me_retrieve", tags=["accounts"], responses={200: MeSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class OrganisationQuerysetMixin:
    permission_classes = [PolicyPermission]
    policy_action = ORGANISATION_LIST
    serializer_class = OrganisationSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Organisation]:
        qs = Organisation.objects.order_by("name", "pk")
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return qs.none()
        return visible(self.request.user, ORGANISATION_LIST, qs)  # type: ignore[attr-defined]


@extend_schema(tags=["organisations"], responses={200: OrganisationSerializer(many=True), **ERRORS})
class OrganisationListView(OrganisationQuerysetMixin, generics.ListAPIView):
    """The directory of organisations the caller may see (active ones; platform administrators see all)."""


@extend_schema(tags=["organisations"], responses={200: OrganisationSerializer, **ERRORS_WITH_404})
class OrganisationDetailView(OrganisationQuerysetMixin, generics.RetrieveAPIView):
    """One organisation of the directory, by its code."""


class SwaggerDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with vendored assets; its start-up script is a separate URL (no inline script)."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        if response.template_name == self.template_name_js:
            # Never send the schema address to the public validator (and CSP would block its badge).
            ui_settings = {**spectacular_settings.SWAGGER_UI_SETTINGS, "validatorUrl": None}
            response.data["settings"] = json.dumps(ui_settings)
        return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown API addresses answer with the API's JSON error, not the web site's HTML page."""
    body = {"error": {"code": "not_found", "message": _("There is no API endpoint at this address.")}}
    return JsonResponse(body, status=404)
