"""Assessment endpoints of the REST API, behind the same policy as the web pages.

* ``GET /api/v1/instruments/``: the loaded instrument versions (no personal data).
* ``GET /api/v1/cases/<code>/assessments/``: a case's assessments: whole for readers of the
  assessments, the summary judgement of signed-off ones for summary-only readers.
* ``GET /api/v1/cases/<code>/assessments/<assessment>/``: one assessment, in the same two shapes.

Not on the case's team: 404; on it without any assessment part: 403; both audited, as is every read.
Service accounts (API tokens) hold no case membership and are refused by the case policy.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from rightpath.access.policy import can
from rightpath.api.permissions import PolicyPermission
from rightpath.api.schema import ERRORS, ERRORS_WITH_404
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors.referrals import api_case_get
from rightpath.cases.vocab import Section

from . import selectors
from .models import Assessment, Instrument, Parts
from .policy import parts_for
from .serializers_api import AssessmentFullSerializer, AssessmentSummarySerializer, InstrumentSerializer

S = Section.ASSESSMENTS


def _allowed(request: Request, code: Any) -> tuple[Case, str]:
    """The case and the parts the caller sees (404 off the team, 403 without any part; audited)."""
    case = api_case_get(actor=request.user, code=code)
    decision = can(request.user, "assessments.summary.read", SectionRef(case, S))
    if not decision:
        record(
            events.ACCESS_DENIED,
            actor=request.user,
            target=case,
            data={"action": "assessments.summary.read", "section": S, "reason": decision.reason, "api": True},
        )
        if decision.conceal:
            raise exceptions.NotFound()
        raise exceptions.PermissionDenied()
    return case, parts_for(request.user, case) or Parts.NONE


def _audit(request: Request, case: Case, part: str, assessment: Assessment | None = None) -> None:
    data = {"section": S, "part": part, "api": True}
    if assessment is not None:
        data["assessment"] = str(assessment.code)
    record(events.PERSONAL_DATA_READ, actor=request.user, target=case, data=data)


@extend_schema(tags=["assessments"], responses={200: InstrumentSerializer(many=True), **ERRORS})
class InstrumentListView(generics.ListAPIView):
    """The loaded instrument versions, newest version of each instrument first."""

    permission_classes = [PolicyPermission]
    policy_action = "assessments.instrument.view"
    serializer_class = InstrumentSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Instrument.objects.none()
        return selectors.instrument_list(actor=self.request.user)


class CaseAssessmentsView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "cases.case.view"
    serializer_class = AssessmentFullSerializer

    @extend_schema(tags=["assessments"], responses={200: AssessmentFullSerializer(many=True), **ERRORS_WITH_404})
    def get(self, request: Request, code: Any) -> Response:
        """A case's assessments, newest first: whole, or the summary judgement of signed-off ones
        for callers whose case role is shown the summary only."""
        case, parts = _allowed(request, code)
        assessments = selectors.assessment_list(case)
        if parts != Parts.FULL:
            assessments = [a for a in assessments if a.is_locked]
        page = self.paginate_queryset(assessments)
        _audit(request, case, parts)
        serializer = AssessmentSummarySerializer if parts != Parts.FULL else AssessmentFullSerializer
        return self.get_paginated_response(serializer(page, many=True, context={"brief": True}).data)


class AssessmentDetailView(generics.GenericAPIView):
    permission_classes = [PolicyPermission]
    policy_action = "cases.case.view"
    serializer_class = AssessmentFullSerializer

    @extend_schema(tags=["assessments"], responses={200: AssessmentFullSerializer, **ERRORS_WITH_404})
    def get(self, request: Request, code: Any, assessment: Any) -> Response:
        """One assessment with its ratings, evidence, counts (information only), summary judgement,
        recommendations and addenda; or its summary judgement alone for summary-only readers."""
        case, parts = _allowed(request, code)
        item = selectors.assessment_get(case, assessment)
        if parts != Parts.FULL:
            if not item.is_locked:
                raise exceptions.NotFound()
            _audit(request, case, parts, item)
            return Response(AssessmentSummarySerializer(item).data)
        _audit(request, case, parts, item)
        return Response(AssessmentFullSerializer(item, context={"full": selectors.assessment_full(item)}).data)
