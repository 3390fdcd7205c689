"""Case endpoints of the REST API, behind the same policy as the web pages.

* ``GET /api/v1/cases/``: the cases the caller may see (``visible`` for "cases.case.view").
* ``GET /api/v1/cases/<code>/``: one case's summary and the caller's rights on its sections.
* ``GET /api/v1/cases/<code>/plan/``: the individual plan (section plan).
* ``GET|POST /api/v1/cases/<code>/sessions/``: sessions and contacts (section sessions); notes are
  written, never read, through the API.
* ``GET|POST /api/v1/cases/<code>/referrals/``: referrals (section referrals).

As on the web, a caller who is not on the case's team gets 404 and a team member without the
section's right gets 403; both are audited, and so is every read. Case access comes from case
membership only: an organisation's service account (an API token) holds none, and the case policy
refuses service accounts outright, so tokens get 403 on every case endpoint. These endpoints serve
people signed in to the web application (session and second factor), e.g. a case-work client.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from rightpath.access.policy import can
from rightpath.api.permissions import PolicyPermission
from rightpath.api.schema import ERRORS, ERRORS_WITH_404
from rightpath.api.serializers import ErrorSerializer
from rightpath.audit import events
from rightpath.audit.services import record

from .models import Case
from .policy import SectionRef, section_rights
from .selectors import referrals as selectors
from .serializers_api import (
    CaseDetailSerializer,
    CaseSerializer,
    PlanSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    SessionInputSerializer,
    SessionSerializer,
)
from .services.referrals import referral_send
from .services.sessions import session_create
from .vocab import Section

VIEW = "cases.case.view"
ERRORS_WRITE = {**ERRORS_WITH_404, 400: ErrorSerializer}


def _audit_read(request: Request, case: Case, section: str) -> None:
    record(events.PERSONAL_DATA_READ, actor=request.user, target=case, data={"section": section, "api": True})


class CaseEndpoint(generics.GenericAPIView):
    """Base of the endpoints about one case: the global check lets signed-in people in, then each
    request asks the policy about its case (and section) with ``case_for``."""

    permission_classes = [PolicyPermission]
    policy_action = VIEW
    lookup_field = "code"

    def case_for(self, request: Request, code: Any, section: str | None = None, *, write: bool = False) -> Case:
        """The case named by ``code`` if the caller may read (or ``write``) ``section`` of it.

        Not on the team (or no such case): 404. On the team without the right: 403. Denials are
        audited with the policy's reason.
        """
        case = selectors.api_case_get(actor=request.user, code=code)
        if section is None:
            action, obj = VIEW, case
        else:
            action, obj = ("cases.section.write" if write else "cases.section.read"), SectionRef(case, section)
        decision = can(request.user, action, obj)
        if not decision:
            record(
                events.ACCESS_DENIED,
                actor=request.user,
                target=case,
                data={"action": action, "section": section or Section.SUMMARY, "reason": decision.reason, "api": True},
            )
            if decision.conceal:
                raise exceptions.NotFound()
            raise exceptions.PermissionDenied()
        return case


@extend_schema(tags=["cases"], responses={200: CaseSerializer(many=True), **ERRORS})
class CaseListView(generics.ListAPIView):
    """The cases the caller is on the team of (and, across organisations, may see under an agreement)."""

    permission_classes = [PolicyPermission]
    policy_action = VIEW
    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to ask about
            return Case.objects.none()
        return selectors.api_case_list(actor=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        # One entry for the page, naming the cases it showed (pseudonymous codes only).
        record(
            events.PERSONAL_DATA_READ,
            actor=request.user,
            data={"section": "case_list", "cases": [str(c.code) for c in page], "api": True},
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CaseDetailView(CaseEndpoint):
    serializer_class = CaseDetailSerializer

    @extend_schema(tags=["cases"], responses={200: CaseDetailSerializer, **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        """One case's summary, with the sections the caller may read (r) or change (rw)."""
        case = self.case_for(request, code)
        _audit_read(request, case, Section.SUMMARY)
        rights = section_rights(request.user, case)
        return Response(CaseDetailSerializer(case, context={"rights": rights}).data)


class CasePlanView(CaseEndpoint):
    serializer_class = PlanSerializer

    @extend_schema(tags=["cases"], responses={200: PlanSerializer, **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        """The individual plan: goals per life domain with their actions (needs the plan section)."""
        case = self.case_for(request, code, Section.PLAN)
        _audit_read(request, case, Section.PLAN)
        return Response(PlanSerializer(selectors.api_plan(case)).data)


class CaseSessionsView(CaseEndpoint):
    serializer_class = SessionSerializer

    @extend_schema(tags=["cases"], responses={200: SessionSerializer(many=True), **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        """The case's sessions and contacts, newest first, without notes (needs the sessions section)."""
        case = self.case_for(request, code, Section.SESSIONS)
        page = self.paginate_queryset(selectors.api_session_list(case))
        _audit_read(request, case, Section.SESSIONS)
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    @extend_schema(tags=["cases"], request=SessionInputSerializer, responses={201: SessionSerializer, **ERRORS_WRITE})
    def post(self, request: Request, code: Any) -> Response:
        """Log a session or contact (needs the right to change the sessions section); validated as
        on the web: the provider must be on the team, the date not in the future."""
        case = self.case_for(request, code, Section.SESSIONS, write=True)
        data = SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["provider"] = values.get("provider") or request.user
        session = session_create(case, actor=request.user, **values)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class CaseReferralsView(CaseEndpoint):
    serializer_class = ReferralSerializer

    @extend_schema(tags=["cases"], responses={200: ReferralSerializer(many=True), **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        """The case's referrals with their status and response times (needs the referrals section)."""
        case = self.case_for(request, code, Section.REFERRALS)
        page = self.paginate_queryset(selectors.api_referral_list(case))
        _audit_read(request, case, Section.REFERRALS)
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(tags=["cases"], request=ReferralInputSerializer, responses={201: ReferralSerializer, **ERRORS_WRITE})
    def post(self, request: Request, code: Any) -> Response:
        """Refer the person to another organisation for a service (needs the right to change the
        referrals section). The receiving organisation sees only the referral until it accepts."""
        case = self.case_for(request, code, Section.REFERRALS, write=True)
        may_read_consent = Section.CONSENT in section_rights(request.user, case)
        data = ReferralInputSerializer(data=request.data, context={"case": case, "may_read_consent": may_read_consent})
        data.is_valid(raise_exception=True)
        referral = referral_send(case, actor=request.user, **data.validated_data)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)
